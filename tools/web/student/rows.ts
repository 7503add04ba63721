// Rows added to the page's lists (chat, lab), drawn in batches so that a burst cannot freeze it.

// A burst (thousands of messages a second) is drawn in animation frames, 10 a second at most: the
// rows of each list wait for the next draw, only the last `max` of them are made, and the list
// scrolls once, to its end, and only when the reader was there (reading older lines, they stay).
// A lone message is drawn in the next frame.
type Row = HTMLElement | (() => HTMLElement);
const waiting = new Map<HTMLElement, { rows: Row[]; max: number }>();
const DRAW_EVERY = 100; // ms
let frame = 0,
  drawnAt = -DRAW_EVERY;

/** Adds a row (or what makes it, called only if it is shown) to `list`, at most `max` kept. */
export function add(list: HTMLElement, row: Row, max: number) {
  let w = waiting.get(list);
  if (!w) waiting.set(list, (w = { rows: [], max }));
  w.rows.push(row);
  if (w.rows.length > 2 * max) w.rows.splice(0, w.rows.length - max);
  if (!frame) frame = requestAnimationFrame(draw);
}

function draw(now: number) {
  frame = 0;
  if (now - drawnAt < DRAW_EVERY) {
    frame = requestAnimationFrame(draw);
    return;
  }
  drawnAt = now;
  // Every reading of the layout first, then every change: one layout a frame, not one per row.
  const lists = Array.from(waiting, ([list, w]) => {
    const box = list.closest<HTMLElement>('.table') ?? list;
    return { list, w, box, atEnd: box.scrollHeight - box.scrollTop - box.clientHeight < 40 };
  });
  waiting.clear();
  for (const { list, w, box, atEnd } of lists) {
    const rows = w.rows.length > w.max ? w.rows.slice(-w.max) : w.rows;
    const made = document.createDocumentFragment();
    for (const r of rows) made.append(typeof r === 'function' ? r() : r);
    list.append(made);
    for (let extra = list.children.length - w.max; extra > 0; extra--) list.firstElementChild!.remove();
    if (atEnd) box.scrollTop = box.scrollHeight;
  }
}
