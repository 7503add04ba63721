// The live classroom page that `mqtt-pair watch --web` and `mqtt-pair classroom --web` serve:
// self-contained (no CDN, no fonts to fetch), one tile per pair, updated by Server-Sent Events
// from /events. Every colour comes with a symbol, a word and a border style, so nothing is told
// by colour alone. Names from the broker are set with textContent, never parsed as HTML.
// (No backquote and no dollar-brace in here: the page is one template string.)

export const PAGE_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Classroom · mqtt-pair</title>
<style>
  :root {
    --ok-bg: #dbf3e0; --ok-fg: #0b3a19; --ok-line: #1d7a35;
    --wait-bg: #fff0c4; --wait-fg: #432d00; --wait-line: #9a6200;
    --silent-bg: #ffdcd7; --silent-fg: #5a0a04; --silent-line: #bf2517;
  }
  * { box-sizing: border-box; }
  body { margin: 0; font: 17px/1.35 system-ui, "DejaVu Sans", "Liberation Sans", Arial, sans-serif; background: #eef0f3; color: #1a1e24; }
  header { background: #1a2940; color: #fff; padding: 1rem 1.5rem .9rem; display: flex; flex-wrap: wrap; align-items: center; gap: .6rem 2rem; }
  h1 { font-size: 2.1rem; margin: 0; letter-spacing: .01em; }
  #subtitle { color: #c8d3e2; font-size: 1rem; flex-basis: 100%; order: 3; }
  #counts { display: flex; flex-wrap: wrap; gap: .6rem; margin-left: auto; font-size: 1.3rem; font-weight: 700; }
  .count { padding: .25rem .85rem; border-radius: 999px; border: 3px solid; white-space: nowrap; }
  .count.total { background: #fff; color: #1a2940; border-color: #fff; }
  .count.ok { background: var(--ok-bg); color: var(--ok-fg); border-color: var(--ok-line); }
  .count.wait { background: var(--wait-bg); color: var(--wait-fg); border-color: var(--wait-line); border-style: dashed; }
  .count.silent { background: var(--silent-bg); color: var(--silent-fg); border-color: var(--silent-line); border-style: double; border-width: 5px; }
  #legend { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; padding: .7rem 1.5rem; background: #fff; border-bottom: 1px solid #cfd5dd; margin: 0; font-size: 1rem; }
  #legend div { display: flex; align-items: center; gap: .5rem; }
  #legend dt { margin: 0; }
  #legend dd { margin: 0; }
  .swatch { display: inline-block; min-width: 2.1rem; text-align: center; font-weight: 700; padding: .05rem .4rem; border-radius: .35rem; border: 3px solid; }
  .swatch[data-state] { border-width: 3px; }
  .swatch[data-state=silent] { border-width: 5px; }
  .banner { padding: .7rem 1.5rem; font-weight: 700; font-size: 1.15rem; }
  .banner[hidden] { display: none; }
  #alert { background: var(--silent-line); color: #fff; }
  #finished { background: #1a2940; color: #fff; }
  main { padding: 1rem 1.5rem 2rem; }
  #empty { font-size: 1.3rem; color: #47505c; }
  #tiles { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .8rem; }
  .tile { border: 3px solid; border-left-width: .8rem; border-radius: .6rem; padding: .6rem .85rem .7rem; min-height: 8.2rem; }
  [data-state=ok] { background: var(--ok-bg); color: var(--ok-fg); border-color: var(--ok-line); }
  [data-state=wait] { background: var(--wait-bg); color: var(--wait-fg); border-color: var(--wait-line); border-style: dashed; border-left-style: solid; }
  [data-state=silent] { background: var(--silent-bg); color: var(--silent-fg); border-color: var(--silent-line); border-style: double; border-width: 6px; border-left-width: .8rem; border-left-style: solid; }
  .name { font-size: 1.75rem; font-weight: 800; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .group { font-size: .85rem; opacity: .8; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .status { font-size: 1.25rem; font-weight: 700; margin: .1rem 0 .2rem; }
  .icon { display: inline-block; width: 1.4em; }
  .nums { font-variant-numeric: tabular-nums; font-size: 1.05rem; }
  .nums b { display: block; font-size: 1.3rem; }
  .why, .extra { font-size: .95rem; }
  .error { font-size: .9rem; font-weight: 700; overflow-wrap: anywhere; }
  body.many #tiles { grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); gap: .45rem; }
  body.many .tile { min-height: 0; padding: .3rem .5rem; border-left-width: .5rem; }
  body.many .name { font-size: 1.15rem; }
  body.many .status { font-size: 1rem; margin: 0; }
  body.many .nums { font-size: .8rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  body.many .nums b { font-size: .95rem; }
  body.many .why, body.many .extra, body.many .group, body.many .error { display: none; }
  body.one-group .group { display: none; }
  footer { padding: 0 1.5rem 1.5rem; color: #47505c; font-size: .9rem; }
</style>
</head>
<body>
<header>
  <h1 id="title">Classroom</h1>
  <div id="counts" aria-live="polite"></div>
  <div id="subtitle"></div>
</header>
<dl id="legend" aria-label="What the colours mean">
  <div><dt><span class="swatch" data-state="ok">&#10003;</span> <b>OK</b></dt><dd>the last hello got its reply</dd></div>
  <div><dt><span class="swatch" data-state="wait">&#8230;</span> <b>Waiting</b></dt><dd>starting, reconnecting, or waiting for the reply</dd></div>
  <div><dt><span class="swatch" data-state="silent">&#10005;</span> <b>Silent / No reply</b></dt><dd id="legend-silent">nothing, or no reply, for about 3 intervals</dd></div>
</dl>
<div id="alert" class="banner" role="alert" hidden></div>
<div id="finished" class="banner" role="status" hidden></div>
<main>
  <p id="empty">Waiting for the first hello: no pair has published on &lt;prefix&gt;hello yet.</p>
  <ul id="tiles" aria-label="Pairs"></ul>
</main>
<footer id="footer">mqtt-pair · live view, updated every second</footer>
<script>
(function () {
  'use strict';
  var ICON = { ok: '\u2713', wait: '\u2026', silent: '\u2715' };
  var WORD = { ok: 'OK', wait: 'waiting', silent: 'silent' };
  var tiles = new Map();
  var list = document.getElementById('tiles');
  function byId(id) { return document.getElementById(id); }
  function part(parent, tag, cls) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    parent.appendChild(e);
    return e;
  }
  function seconds(ms) {
    if (ms < 1000) return Math.max(0, Math.round(ms)) + ' ms';
    var s = Math.round(ms / 1000);
    return s < 60 ? s + ' s' : Math.floor(s / 60) + ' min' + (s % 60 ? ' ' + (s % 60) + ' s' : '');
  }
  function set(e, text) { if (e.textContent !== text) e.textContent = text; }
  function makeTile(key) {
    var li = document.createElement('li');
    li.className = 'tile';
    li.dataset.key = key;
    var t = {
      li: li, name: part(li, 'div', 'name'), group: part(li, 'div', 'group'), status: part(li, 'div', 'status'),
      nums: part(li, 'div', 'nums'), why: part(li, 'div', 'why'), extra: part(li, 'div', 'extra'), error: part(li, 'div', 'error')
    };
    t.icon = part(t.status, 'span', 'icon');
    t.icon.setAttribute('aria-hidden', 'true');
    t.label = part(t.status, 'span', 'label');
    t.last = part(t.nums, 'b');
    t.counters = part(t.nums, 'span');
    return t;
  }
  function render(s) {
    set(byId('title'), s.title);
    document.title = s.title + ' \u00b7 mqtt-pair';
    set(byId('subtitle'), s.subtitle + ' \u00b7 hello interval ' + seconds(s.interval) + ' \u00b7 running for ' + seconds(s.uptime * 1000));
    set(byId('legend-silent'), 'nothing, or no reply, for about 3 intervals (' + seconds(Math.max(3.5 * s.interval, 3000)) + ')');
    var c = s.counts, counts = byId('counts');
    counts.textContent = '';
    [['total', c.total + (c.total === 1 ? ' pair' : ' pairs')], ['ok', ICON.ok + ' ' + c.ok + ' OK'],
     ['wait', ICON.wait + ' ' + c.wait + ' waiting'], ['silent', ICON.silent + ' ' + c.silent + ' silent']].forEach(function (x) {
      var e = part(counts, 'span', 'count ' + x[0]);
      e.textContent = x[1];
    });
    var alert = byId('alert');
    alert.hidden = !s.alert;
    set(alert, s.alert || '');
    var fin = byId('finished');
    fin.hidden = !s.finished;
    set(fin, s.finished || '');
    byId('empty').hidden = s.pairs.length > 0;
    document.body.classList.toggle('many', s.pairs.length > 60);
    var groups = new Set(s.pairs.map(function (p) { return p.group; }));
    document.body.classList.toggle('one-group', groups.size <= 1);
    var seen = new Set();
    s.pairs.forEach(function (p, i) {
      var key = p.group + '/' + p.name;
      seen.add(key);
      var t = tiles.get(key);
      if (!t) { t = makeTile(key); tiles.set(key, t); }
      if (list.children[i] !== t.li) list.insertBefore(t.li, list.children[i] || null);
      if (t.li.dataset.state !== p.state) t.li.dataset.state = p.state;
      t.li.dataset.name = p.name;
      set(t.name, p.name);
      set(t.group, p.group);
      set(t.icon, ICON[p.state]);
      set(t.label, p.label);
      set(t.last, p.lastHello === null ? 'no hello yet' : 'Hello #' + p.lastHello);
      set(t.counters, p.hellos + (p.hellos === 1 ? ' hello' : ' hellos') + ' \u00b7 ' + p.replies + (p.replies === 1 ? ' reply' : ' replies'));
      set(t.why, p.why);
      var extra = [];
      if (p.boards !== undefined) extra.push('boards ' + p.boards + '/2 connected');
      if (p.reconnects) extra.push(p.reconnects + (p.reconnects === 1 ? ' reconnect' : ' reconnects'));
      set(t.extra, extra.join(' \u00b7 '));
      set(t.error, p.error && p.state !== 'ok' ? p.error : '');
      t.li.setAttribute('aria-label', p.name + ': ' + p.label + ' (' + WORD[p.state] + '), ' + p.why + ', ' + p.hellos + ' hellos, ' + p.replies + ' replies');
    });
    tiles.forEach(function (t, key) { if (!seen.has(key)) { t.li.remove(); tiles.delete(key); } });
    set(byId('footer'), 'mqtt-pair \u00b7 live view, updated every second \u00b7 last update ' + new Date().toLocaleTimeString());
  }
  var lost = false;
  var events = new EventSource('events');
  events.onmessage = function (e) {
    lost = false;
    render(JSON.parse(e.data));
  };
  events.onerror = function () {
    if (lost) return;
    lost = true;
    var alert = byId('alert');
    alert.hidden = false;
    alert.textContent = 'Lost the connection to mqtt-pair (is it still running?): trying again\u2026';
  };
})();
</script>
</body>
</html>
`;
