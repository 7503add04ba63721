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

// A stop the board said only at the boot after it (its `stopped` event): `r` is a restart nobody saw coming.
const UNSEEN: Record<'fr' | 'en', string> = {
  fr: 'personne n’a vu pourquoi : un reset, un plantage, ou une récursion trop profonde',
  en: 'nobody saw why: a reset, a crash, or a recursion too deep',
};

/** Why the program's last run ended, said at the boot after it (the `stopped` event). */
export function restartCause(lang: 'fr' | 'en', code: string): string {
  return code === 'r' ? UNSEEN[lang] : stopReason(lang, code);
}

/** The reason of a stop; a code this tool does not know (a newer board's) as it is, made printable. */
export function stopReason(lang: 'fr' | 'en', code: string): string {
  return Object.hasOwn(WHY[lang], code) ? WHY[lang][code] : `code ${printable(code.slice(0, 8))}`;
}
