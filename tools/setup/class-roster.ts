// Who gets which board when a class is set up from a roster (`mqtt-pair setup --roster`): one
// pair a line, as `watch --roster` reads it. A line holds one first name (a student with both
// boards) or two (two students, a board each); the pair works under the first one's prefix
// (<school>/<class>/alice/). The first name's board is ESP#1 (role hello), the second's ESP#2 (role
// responder), and each board carries its student's name and its partner's. Pure but for the
// client ids' random suffix: the command reads the files (tools/setup/class-state.ts).

import { nameLevel } from '../../src/apps/chat';
import { SetupError } from './problem';

/** At most this many students: a class, not a directory. */
export const MAX_STUDENTS = 200;

/** One board's place in the class. */
export interface Slot {
  /** 0, 1, 2… in the roster's order. */
  index: number;
  /** The pair, from 1. */
  pair: number;
  name: string;
  /** The partner's name; '' for a student alone. */
  peer: string;
  role: 'hello' | 'responder';
  /** ESP#1 or ESP#2, as the course calls the boards. */
  esp: 1 | 2;
  /** <school>/<class>/<first name of the pair>/ */
  topicPrefix: string;
  /** `alice-esp1-` and a random suffix (randomClientId), kept in the state file once the slot is taken. */
  clientId: string;
}

/** A first name as a topic level: letters, digits, - and _, as the course's topics use (after NFC). */
const NAME = /^[\p{L}\p{N}_-]{1,40}$/u;

/** The alphabets a name's letters may come from, one a name: « аlice » (a Cyrillic « а ») is refused. */
const SCRIPTS: [string, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Georgian', /\p{Script=Georgian}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Hangul', /\p{Script=Hangul}/u],
  // Japanese writes one name in these three together.
  ['Japanese', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u],
];

/** Cyrillic and Greek letters drawn like Latin ones (lower case), and those Latin ones, in the same
 *  order: « аӏісе », all Cyrillic, still reads alice. */
const LOOK_ALIKES = 'авеёзіїјкмнопрстухѕһԁӏԛԝьгαβγεηικνορτυχωϲϳ';
const LATIN_LOOK = 'abeë3iïjkmhonpctyxshdlqwbrabyenikvoptuxwcj';

/**
 * A student's name as typed (a roster's line, `name=`), as the class keeps it: NFC (« Zoë » typed
 * decomposed is « Zoë »), or why not, for a line saying so. Refused: what a topic level cannot
 * hold, compatibility forms (fullwidth « ａｌｉｃｅ », ligatures), and letters of two alphabets in
 * one name (« аlice » with a Cyrillic « а »), which a projector shows as another student's.
 */
export function studentName(raw: string): { name: string } | { why: 'chars' | 'compat' | 'mixed'; scripts?: string[] } {
  const name = raw.normalize('NFC');
  if (name.normalize('NFKC') !== name) return { why: 'compat' };
  const scripts = SCRIPTS.filter(([, re]) => re.test(name)).map(([s]) => s);
  if (scripts.length > 1) return { why: 'mixed', scripts };
  if (!NAME.test(name)) return { why: 'chars' };
  return { name };
}

/** What two names that read alike share: case, and the Cyrillic and Greek letters drawn like Latin ones, set aside. */
export function nameLook(name: string): string {
  let out = '';
  for (const c of name.normalize('NFC').toLowerCase()) {
    const i = LOOK_ALIKES.indexOf(c);
    out += i < 0 ? c : LATIN_LOOK[i];
  }
  return out.normalize('NFC');
}

/** A client id no one can guess from the names on the projector: `alice-esp1-` and 48 random bits. */
export function randomClientId(name: string, esp: 1 | 2): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return `${name}-esp${esp}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The slots of a roster's text (one pair a line: `alice bob`, or `alice` alone; `#` starts a
 *  comment), two a line; a SetupError naming the wrong line. */
export function classSlots(text: string, school: string, className: string): Slot[] {
  const pairs: [string, string][] = [];
  const lineOf = new Map<string, [number, string]>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const typed = raw.replace(/#.*$/, '').trim().split(/\s+/).filter(Boolean);
    if (!typed.length) return;
    const shown = typed.join(' ');
    if (typed.length > 2) throw new SetupError({ code: 'onePairALine', line: i + 1, shown });
    const names = typed.map((n) => {
      const r = studentName(n);
      if ('name' in r) return r.name;
      throw new SetupError({ code: 'badName', line: i + 1, shown, name: n, why: r.why, scripts: r.scripts ?? [] });
    });
    // `alice alice`: alice alone; `alice аӏісе` (Cyrillic) is two names that read alike, refused below.
    if (names.length === 2 && names[0].toLowerCase() === names[1].toLowerCase()) names.pop();
    for (const name of names) {
      const look = nameLook(name);
      const first = lineOf.get(look);
      if (first !== undefined) throw new SetupError({ code: 'nameTwice', line: i + 1, name, first: first[0], other: first[1] });
      lineOf.set(look, [i + 1, name]);
    }
    pairs.push([names[0], names[1] ?? names[0]]);
  });
  if (!pairs.length) throw new SetupError({ code: 'noName' });
  if (pairs.length * 2 > MAX_STUDENTS) throw new SetupError({ code: 'tooManyPairs', pairs: pairs.length, max: MAX_STUDENTS / 2 });
  return pairs.flatMap(([first, second], i) => {
    // The first name in lower case in topics (nameLevel), as the chat and `watch --roster` write it.
    const topicPrefix = `${school}/${className}/${nameLevel(first)}/`;
    const alone = first === second;
    const slot = (esp: 1 | 2): Slot => {
      const name = esp === 1 ? first : second;
      return {
        index: 2 * i + esp - 1,
        pair: i + 1,
        name,
        peer: alone ? '' : esp === 1 ? second : first,
        role: esp === 1 ? 'hello' : 'responder',
        esp,
        topicPrefix,
        clientId: randomClientId(name, esp),
      };
    };
    return [slot(1), slot(2)];
  });
}

/** The settings a slot gives its board, as `set` takes them (docs/improv.md). */
export function slotSettings(slot: Slot): [string, string][] {
  const out: [string, string][] = [
    ['role', slot.role],
    ['topicPrefix', slot.topicPrefix],
    ['name', slot.name],
    ['clientId', slot.clientId],
  ];
  if (slot.peer) out.push(['peer', slot.peer]);
  return out;
}

/** Which board took which slot: the board's name (its Improv device name, mqtt-pair-9d2c) by slot index. */
export type Assignments = Record<string, string>;

/**
 * The slot for `board`: the one it had already (a board plugged in again keeps its student), else
 * the first free one; undefined when the class is full.
 */
export function slotFor(slots: readonly Slot[], taken: Assignments, board: string): Slot | undefined {
  const mine = Object.entries(taken).find(([, b]) => b === board);
  if (mine) return slots[Number(mine[0])];
  return slots.find((s) => !taken[String(s.index)]);
}
