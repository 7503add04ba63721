// The explorer's page (mqtt-pair explore): the topic tree with counts, last values, retained flags
// and ages; the chosen topic's last messages with the change from the one before; a live chart
// of numeric topics (uPlot: 50 KB, no dependency, made for streaming time series, bundled here so
// nothing comes from the network); and clearing the retained messages under a branch.
// The model is tools/explorer/tree.ts, the server's own, with the same bounds. Everything from the
// network is set with textContent, never parsed as HTML. The CSP runs no inline style: sizes are
// set through the CSSOM, which it allows (uPlot does the same).

import { type ExplorerBatch, type ExplorerHello, type ExplorerPiece, TopicTree } from '../../explorer/tree';
import { chart, charted, drawChart, point, setWindow, windowMinutes } from './chart';
import { clearBranch, drawSelected, selected } from './detail';
import { $, draw, el, lang, query, set, setLang, setTree, takeDirty, tree, W } from './page';
import { drawTree } from './tree-view';

/** The tree is drawn again at most this often (ms): a flood does not redraw it 200 times a second. */
const DRAW_EVERY = 500;

let about: ExplorerHello | null = null;
/** The server's counts: messages seen, and what it did not keep or send. */
const server = { seen: 0, droppedTopics: 0, droppedMessages: 0, notSent: 0 };

// ---- drawing, and the stream from the server

function frame(): void {
  if (!takeDirty()) return;
  const now = Date.now();
  const dropped = server.droppedMessages + server.notSent;
  set(
    $('stats'),
    `${W.topics(tree.topics.size)} · ${W.messages(server.seen)}${server.droppedTopics || dropped ? ` · ${W.dropped(server.droppedTopics, dropped)}` : ''}`,
  );
  drawTree(now);
  drawSelected();
  drawChart(now);
}

function words(): void {
  document.documentElement.lang = lang;
  set($('title'), W.title);
  document.title = `${W.title} · mqtt-pair`;
  ($('search') as HTMLInputElement).placeholder = W.search;
  ($('search') as HTMLInputElement).setAttribute('aria-label', W.search);
  set($('pick'), W.pick);
  set($('chart-title'), W.chart);
  set($('window-label'), W.window);
  set($('history-title'), W.history);
  set($('h-time'), W.time);
  set($('h-qos'), W.qos);
  set($('h-retain'), W.retain);
  set($('h-value'), W.value);
  set($('h-change'), W.change);
  const select = $('window') as HTMLSelectElement;
  select.textContent = '';
  for (const m of [1, 5, 15, 60]) {
    const o = el('option', undefined, select);
    o.value = String(m);
    o.textContent = W.minutes(m);
    o.selected = m === windowMinutes;
  }
  if (about) set($('about'), W.watching(about.filters.join(' '), about.where));
}

function hello(h: ExplorerHello): void {
  about = h;
  if (!query && h.lang) {
    setLang(h.lang);
  }
  // The topics follow in pieces (event `topics`).
  setTree(new TopicTree(h.limits));
  server.seen = h.seen;
  server.droppedTopics = h.droppedTopics;
  server.droppedMessages = h.droppedMessages;
  words();
  draw();
}

/** A piece of the tree: the server's nodes, newer than the page's (a batch may have come first). */
function piece(p: ExplorerPiece): void {
  for (const n of p) {
    tree.put(n);
    if (charted.has(n.topic)) {
      chart(n.topic, false);
      chart(n.topic, true);
    }
  }
  draw();
}

function batch(b: ExplorerBatch): void {
  for (const s of b.messages) if (tree.add(s.topic, s)) point(s);
  server.notSent += b.dropped;
  server.seen = b.seen;
  server.droppedTopics = b.droppedTopics;
  server.droppedMessages = b.droppedMessages;
  const alert = $('alert');
  alert.hidden = b.connected;
  set(alert, b.connected ? '' : W.offline);
  draw();
}

words();
$('search').addEventListener('input', draw);
$('chart-toggle').addEventListener('click', () => {
  if (selected !== null) chart(selected, !charted.has(selected));
  draw();
});
$('clear').addEventListener('click', () => void clearBranch());
$('window').addEventListener('change', (e) => {
  setWindow(Number((e.target as HTMLSelectElement).value) || 5);
  draw();
});
window.addEventListener('resize', draw);
// The ages move on even when nothing comes.
setInterval(draw, 1000);
setInterval(frame, DRAW_EVERY);

const events = new EventSource('events');
events.addEventListener('tree', (e) => {
  $('alert').hidden = true;
  hello(JSON.parse((e as MessageEvent<string>).data) as ExplorerHello);
});
events.addEventListener('topics', (e) => piece(JSON.parse((e as MessageEvent<string>).data) as ExplorerPiece));
events.addEventListener('batch', (e) => batch(JSON.parse((e as MessageEvent<string>).data) as ExplorerBatch));
events.onerror = () => {
  const alert = $('alert');
  alert.hidden = false;
  set(alert, W.lost);
};
