// A program the board refused, in French and in English: before its error 0x81 the board sends a
// reason code and the facts the words need (docs/improv.md, « A refused program »); `mqtt-pair
// program`, `mqtt-pair setup --port --program`, the students' page and the set-up page say it with
// these, and no console line. The board's own text (a compiler's message, a name) is made printable
// here: it reaches a terminal or a page's textContent.

import type { ProgramRefusalCode } from '../../src/setup/program-store';
import { printable } from '../../src/apps/text';
import type { ProgramRefusal } from '../setup/improv-client';

type Says = (facts: readonly string[]) => string;

/** One line a reason, keyed by the board's codes: a code without words in a language fails typecheck. */
const EN: Record<ProgramRefusalCode, Says> = {
  noName: () => 'a program needs a name',
  nameLong: ([max]) => `its name is too long: ${max} bytes at most (rename the file)`,
  nameControl: () => 'its name holds control characters (rename the file)',
  size: () => 'the board did not read a size in bytes: send it again',
  large: ([n, max]) => `it is ${n} bytes long: a board takes ${max} at most`,
  noParser: () => 'this board cannot run programs (its firmware has no JavaScript parser): flash the class image again',
  order: () => 'a part came with no transfer under way: send it again',
  shape: () => 'the board did not understand the transfer (a tool of another version?): send it again',
  utf8: () => 'a part of it is not UTF-8 text: send it again',
  over: ([n]) => `more than the ${n} bytes announced came: send it again`,
  cut: ([got, n]) => `${got} bytes came of the ${n} announced, the transfer was cut off: send it again`,
  hash: () => 'it arrived garbled (its hash differs): send it again',
  syntax: ([line, column, error]) => `${line ? `line ${line}${column ? `, column ${column}` : ''}: ` : ''}${error || 'a syntax error'}`,
};

const FR: Record<ProgramRefusalCode, Says> = {
  noName: () => 'un programme a besoin d’un nom',
  nameLong: ([max]) => `son nom est trop long : ${max} octets au plus (le fichier est à renommer)`,
  nameControl: () => 'son nom contient des caractères de contrôle (le fichier est à renommer)',
  size: () => 'la carte n’a pas lu une taille en octets; il est à renvoyer',
  large: ([n, max]) => `il fait ${n} octets : une carte en prend ${max} au plus`,
  noParser: () => 'cette carte ne lance pas de programme (son firmware n’a pas d’analyseur JavaScript) ; l’image de la classe est à flasher de nouveau',
  order: () => 'une partie est arrivée sans envoi en cours; il est à renvoyer',
  shape: () => 'la carte n’a pas compris l’envoi (un outil d’une autre version ?); il est à renvoyer',
  utf8: () => 'une partie n’est pas du texte UTF-8; il est à renvoyer',
  over: ([n]) => `plus que les ${n} octets annoncés sont arrivés; il est à renvoyer`,
  cut: ([got, n]) => `${got} octets sont arrivés sur les ${n} annoncés, l’envoi a été coupé; il est à renvoyer`,
  hash: () => 'il est arrivé abîmé (son empreinte diffère); il est à renvoyer',
  syntax: ([line, column, error]) => `${line ? `ligne ${line}${column ? `, colonne ${column}` : ''} : ` : ''}${error || 'une erreur de syntaxe'}`,
};

/**
 * Why the board refused the program, in `lang`, without a sentence around it; `place: false`
 * leaves out a syntax error's line and column (a page that says the line its own way). For a code
 * this tool does not know (a newer board) or none (an older one), the code or that it gave none.
 */
export function programRefusal(lang: 'fr' | 'en', r: ProgramRefusal, place = true): string {
  const facts = r.facts.map(printable);
  if (Object.hasOwn(EN, r.code)) {
    const code = r.code as ProgramRefusalCode;
    if (code === 'syntax' && !place) return facts[2] || (lang === 'fr' ? 'une erreur de syntaxe' : 'a syntax error');
    return (lang === 'fr' ? FR : EN)[code](facts);
  }
  const code = printable(r.code);
  if (lang === 'fr')
    return code ? `raison « ${code} », que cet outil ne connaît pas : mettez mqtt-pair à jour` : 'sans dire pourquoi (un firmware plus ancien ?)';
  return code ? `reason "${code}", which this tool does not know: update mqtt-pair` : 'it gave no reason (an older firmware?)';
}
