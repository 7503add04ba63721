// Who gets which board when a class is set up from a roster (`mqtt-pair setup --roster`): the
// students two by two, in the roster's order. Each pair works under the first one's prefix
// (<school>/<class>/alice/); the first student's board is ESP#1 (role hello), the second's ESP#2
// (role responder), and each board carries its student's name and its partner's. A student left
// alone at the end gets an ESP#1 waiting for a partner. Pure: the command reads the files.

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

/** The slots of a roster's text (one first name a line, `#` starts a comment); an Error naming the wrong line. */
export function classSlots(text: string, school: string, className: string): Slot[] {
  const names: string[] = [];
  const lineOf = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const name = raw.replace(/#.*$/, '').trim();
    if (!name) return;
    if (!NAME.test(name)) throw new Error(`line ${i + 1} ('${name}'): write one first name a line, letters, digits, - or _ (it becomes a topic level)`);
    const key = name.toLowerCase();
    const first = lineOf.get(key);
    if (first !== undefined) throw new Error(`line ${i + 1}: '${name}' is already on line ${first}: two students, two names (add an initial: ${name}_B)`);
    lineOf.set(key, i + 1);
    names.push(name);
  });
  if (!names.length) throw new Error('it has no name: write one first name a line');
  if (names.length > MAX_STUDENTS) throw new Error(`it has ${names.length} names, ${MAX_STUDENTS} at most`);
  return names.map((name, index) => {
    const esp = index % 2 === 0 ? 1 : 2;
    const first = names[index - (esp - 1)];
    const peer = esp === 1 ? (names[index + 1] ?? '') : first;
    return {
      index,
      pair: Math.floor(index / 2) + 1,
      name,
      peer,
      role: esp === 1 ? 'hello' : 'responder',
      esp,
      topicPrefix: `${school}/${className}/${first}/`,
      clientId: `${name}-esp${esp}`,
    };
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
