// The class page's tiles in the browser: tilesOf(page) reads them; measureTiles (run it with
// page.evaluate) measures every text element of every tile against its own box (scrollWidth/
// scrollHeight against its client size: a clipped or ellipsed word shows there), against its tile's
// inner box, and against its siblings; and the tiles against the window. It returns { bad: [what
// does not fit], below, smallest, pageScroll, tiles }.

/** The first names of a class of 30, for a roster and its tiles. */
export const CLASS_NAMES = [
  'alice',
  'bob',
  'camille',
  'david',
  'emma',
  'felix',
  'gabriel',
  'hugo',
  'ines',
  'jules',
  'karim',
  'lea',
  'louis',
  'manon',
  'nina',
  'oscar',
  'paul',
  'quentin',
  'rose',
  'sarah',
  'thomas',
  'ugo',
  'victor',
  'william',
  'xavier',
  'yasmine',
  'zoe',
  'adam',
  'chloe',
  'ethan',
];

export function measureTiles() {
  const bad = [];
  const inside = (r, box) => r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
  const overlap = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const main = document.getElementById('main').getBoundingClientRect();
  let smallest = Infinity;
  for (const li of document.querySelectorAll('#tiles > li')) {
    const tile = li.getBoundingClientRect();
    const cs = getComputedStyle(li);
    const box = {
      left: tile.left + parseFloat(cs.borderLeftWidth),
      right: tile.right - parseFloat(cs.borderRightWidth),
      top: tile.top + parseFloat(cs.borderTopWidth),
      bottom: tile.bottom - parseFloat(cs.borderBottomWidth),
    };
    const shown = [...li.querySelectorAll('*')].filter((e) => e.getClientRects().length && e.textContent.trim());
    for (const e of shown) {
      const what = `${li.dataset.name} .${e.className || e.tagName}: "${e.textContent}"`;
      if (e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight)
        bad.push(`${what} clipped (${e.scrollWidth}×${e.scrollHeight} in ${e.clientWidth}×${e.clientHeight})`);
      const r = e.getBoundingClientRect();
      if (!inside(r, box)) bad.push(`${what} outside its tile`);
      smallest = Math.min(smallest, parseFloat(getComputedStyle(e).fontSize));
    }
    const lines = [...li.children].filter((e) => e.getClientRects().length);
    for (let i = 0; i < lines.length; i++)
      for (let j = i + 1; j < lines.length; j++)
        if (overlap(lines[i].getBoundingClientRect(), lines[j].getBoundingClientRect()))
          bad.push(`${li.dataset.name}: .${lines[i].className} overlaps .${lines[j].className}`);
    if (!inside(tile, { left: 0, right: innerWidth, top: -Infinity, bottom: Infinity })) bad.push(`${li.dataset.name}: the tile is wider than the window`);
    if (tile.bottom > main.bottom + 0.5) bad.push(`${li.dataset.name}: below the window (the class does not fit on the screen)`);
  }
  for (const e of document.querySelectorAll('header *, #legend *, .banner'))
    if (e.getClientRects().length && (e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight))
      bad.push(`header .${e.className || e.id || e.tagName} clipped`);
  const below = [...document.querySelectorAll('#tiles > li')].filter((li) => li.getBoundingClientRect().bottom > main.bottom + 0.5).length;
  return { bad, below, smallest, pageScroll: document.documentElement.scrollHeight - innerHeight, tiles: document.querySelectorAll('#tiles > li').length };
}

/**
 * Every tile of the class page, in the page's order, as { name, state, reason, label, why, replies,
 * background }: read in one evaluation, so that the order and the states come from one render.
 * (page.$$eval is two: it lists the elements, then reads them. A snapshot rendered in between gives
 * the old order with the new states, an order the page never showed.)
 */
export function tilesOf(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('#tiles > li')].map((li) => ({
      name: li.dataset.name,
      state: li.dataset.state,
      reason: li.dataset.reason,
      label: li.querySelector('.label')?.textContent ?? '',
      why: li.querySelector('.why')?.textContent ?? '',
      replies: Number(/(\d+) (repl|réponse)/.exec(li.querySelector('.seen')?.textContent ?? '')?.[1] ?? -1),
      background: getComputedStyle(li).backgroundColor,
    })),
  );
}
