// Why a board stopped a student's program, by the stop's code (src/setup/program-store.ts's
// StopCode, sent by the board in its answer to 0x88 and in its `stop` event: docs/improv.md), in
// French and in English: `mqtt-pair program` and the students' page say it the same way.

import { printable } from '../../src/apps/text';

const WHY: Record<'fr' | 'en', Record<string, string>> = {
  fr: {
    l: 'une boucle sans fin : il ne rendait jamais la main',
    m: 'il a utilisé toute la mémoire',
    s: 'il a utilisé toute la pile : une récursion trop profonde',
    r: 'la carte a redémarré pendant qu’il tournait',
  },
  en: {
    l: 'an endless loop: it never gave control back',
    m: 'it used all the memory',
    s: 'it used all the stack: a recursion too deep',
    r: 'the board restarted while it ran',
  },
};

/** The reason of a stop; a code this tool does not know (a newer board's) as it is, made printable. */
export function stopReason(lang: 'fr' | 'en', code: string): string {
  return Object.hasOwn(WHY[lang], code) ? WHY[lang][code] : `code ${printable(code.slice(0, 8))}`;
}
