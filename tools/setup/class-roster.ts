// Who gets which board when a class is set up from a roster (`mqtt-pair setup --roster`): one
// pair a line, as `watch --roster` reads it. A line holds one first name (a student with both
// boards) or two (two students, a board each); the pair works under the first one's prefix
// (<school>/<class>/alice/). The first name's board is ESP#1 (role hello), the second's ESP#2 (role
// responder), and each board carries its student's name and its partner's. Pure: the command
// reads the files.

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
  clientId: string;
}

/** A first name as a topic level: letters, digits, - and _, as the course's topics use. */
const NAME = /^[\p{L}\p{N}_-]{1,40}$/u;

/** The slots of a roster's text (one pair a line: `alice bob`, or `alice` alone; `#` starts a
 *  comment), two a line; an Error naming the wrong line. */
export function classSlots(text: string, school: string, className: string): Slot[] {
  const pairs: [string, string][] = [];
  const lineOf = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const names = raw.replace(/#.*$/, '').trim().split(/\s+/).filter(Boolean);
    if (!names.length) return;
    const shown = names.join(' ');
    if (names.length > 2 || !names.every((n) => NAME.test(n))) {
      throw new Error(`line ${i + 1} ('${shown}'): write one pair a line, one or two first names (letters, digits, - or _: they become topic levels)`);
    }
    if (names.length === 2 && names[0].toLowerCase() === names[1].toLowerCase()) names.pop(); // `alice alice`: alice alone
    for (const name of names) {
      const first = lineOf.get(name.toLowerCase());
      if (first !== undefined) throw new Error(`line ${i + 1}: '${name}' is already on line ${first}: two students, two names (add an initial: ${name}_B)`);
      lineOf.set(name.toLowerCase(), i + 1);
    }
    pairs.push([names[0], names[1] ?? names[0]]);
  });
  if (!pairs.length) throw new Error('it has no name: write one pair a line, e.g. alice bob');
  if (pairs.length * 2 > MAX_STUDENTS) throw new Error(`it has ${pairs.length} pairs, ${MAX_STUDENTS / 2} at most`);
  return pairs.flatMap(([first, second], i) => {
    const topicPrefix = `${school}/${className}/${first}/`;
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
        clientId: `${name}-esp${esp}`,
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
