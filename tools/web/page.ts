// The live classroom page that `mqtt-pair watch --web` and `mqtt-pair classroom --web` serve:
// self-contained (no CDN, no fonts to fetch), one tile per pair, updated by Server-Sent Events
// from /events. Made for a projector: the tiles grow or shrink so that every pair fits the screen,
// pairs in trouble come first, and the words are large. French or English, from --lang or the
// browser's language (?lang=fr works too), with the times of the language (24 h in French).
// Every colour comes with a symbol, a word and a border style, so nothing is told by colour alone.
// Names from the broker are set with textContent, never parsed as HTML.
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
    --tile-h: 9rem; --cols: 4; --k: 1;
  }
  * { box-sizing: border-box; }
  html, body { height: 100%; }
  body { margin: 0; font: 17px/1.3 system-ui, "DejaVu Sans", "Liberation Sans", Arial, sans-serif; background: #eef0f3; color: #1a1e24; display: flex; flex-direction: column; }
  header { background: #1a2940; color: #fff; padding: .5rem 1rem; display: flex; flex-wrap: wrap; align-items: center; gap: .3rem 1.5rem; }
  h1 { font-size: 1.9rem; margin: 0; letter-spacing: .01em; }
  #counts { display: flex; flex-wrap: wrap; gap: .5rem; margin-left: auto; font-size: 1.3rem; font-weight: 700; }
  .count { padding: .15rem .75rem; border-radius: 999px; border: 3px solid; white-space: nowrap; }
  .count.total { background: #fff; color: #1a2940; border-color: #fff; }
  .count.ok { background: var(--ok-bg); color: var(--ok-fg); border-color: var(--ok-line); }
  .count.wait { background: var(--wait-bg); color: var(--wait-fg); border-color: var(--wait-line); border-style: dashed; }
  .count.silent { background: var(--silent-bg); color: var(--silent-fg); border-color: var(--silent-line); border-style: double; border-width: 5px; }
  #subtitle { color: #c8d3e2; font-size: .95rem; flex-basis: 100%; }
  #legend { display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; padding: .3rem 1rem; background: #fff; border-bottom: 1px solid #cfd5dd; margin: 0; font-size: .95rem; }
  #legend div { display: flex; align-items: center; gap: .4rem; }
  #legend dt, #legend dd { margin: 0; }
  .swatch { display: inline-block; min-width: 2rem; text-align: center; font-weight: 700; padding: 0 .35rem; border-radius: .35rem; border: 3px solid; }
  .swatch[data-state=silent] { border-width: 5px; }
  .banner { padding: .45rem 1rem; font-weight: 700; font-size: 1.15rem; }
  .banner[hidden] { display: none; }
  #alert { background: var(--silent-line); color: #fff; }
  #finished { background: #1a2940; color: #fff; }
  #notes { background: #e4e8ee; color: #26303c; font-weight: 600; font-size: 1rem; }
  main { flex: 1; padding: .6rem 1rem; overflow: auto; min-height: 0; }
  #empty { font-size: 1.3rem; color: #47505c; }
  #tiles { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(var(--cols), minmax(0, 1fr)); grid-auto-rows: var(--tile-h); gap: .5rem; }
  .tile { border: 3px solid; border-left-width: .7rem; border-radius: .6rem; padding: calc(.25rem * var(--k)) calc(.55rem * var(--k)); overflow: hidden; display: flex; flex-direction: column; position: relative; }
  [data-state=ok] { background: var(--ok-bg); color: var(--ok-fg); border-color: var(--ok-line); }
  [data-state=wait] { background: var(--wait-bg); color: var(--wait-fg); border-color: var(--wait-line); border-style: dashed; border-left-style: solid; }
  [data-state=silent] { background: var(--silent-bg); color: var(--silent-fg); border-color: var(--silent-line); border-style: double; border-width: 6px; border-left-width: .7rem; border-left-style: solid; }
  .name { font-size: calc(1.6rem * var(--k)); font-weight: 800; line-height: 1.1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .status { font-size: calc(1.25rem * var(--k)); font-weight: 800; line-height: 1.15; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .icon { display: inline-block; width: 1.3em; }
  .why { font-size: calc(1.15rem * var(--k)); font-weight: 600; line-height: 1.2; overflow: hidden; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; flex: 0 1 auto; margin-bottom: auto; }
  .nums { font-variant-numeric: tabular-nums; font-size: calc(.95rem * var(--k)); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .extra, .error, .group { font-size: calc(.85rem * var(--k)); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .error { font-weight: 700; }
  .status { display: flex; align-items: center; gap: .4rem; }
  .status .label { flex: none; }
  .status button { margin-left: auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font: 700 calc(.8rem * var(--k)) system-ui, sans-serif; padding: 0 .4rem; border-radius: .4rem; border: 2px solid currentColor; background: #fff; color: inherit; cursor: pointer; }
  body.small .seen, body.small .extra, body.small .group, body.small .error { display: none; }
  body.tiny .why { display: none; }
  body.one-group .group { display: none; }
  footer { padding: .25rem 1rem .4rem; color: #47505c; font-size: .85rem; }
</style>
</head>
<body>
<header>
  <h1 id="title">Classroom</h1>
  <div id="counts" aria-live="polite"></div>
  <div id="subtitle"></div>
</header>
<dl id="legend">
  <div><dt><span class="swatch" data-state="ok">&#10003;</span> <b id="l-ok"></b></dt><dd id="l-ok-d"></dd></div>
  <div><dt><span class="swatch" data-state="wait">&#8230;</span> <b id="l-wait"></b></dt><dd id="l-wait-d"></dd></div>
  <div><dt><span class="swatch" data-state="silent">&#10005;</span> <b id="l-silent"></b></dt><dd id="l-silent-d"></dd></div>
</dl>
<div id="alert" class="banner" role="alert" hidden></div>
<div id="finished" class="banner" role="status" hidden></div>
<div id="notes" class="banner" hidden></div>
<main id="main">
  <p id="empty"></p>
  <ul id="tiles"></ul>
</main>
<footer id="footer"></footer>
<script>
(function () {
  'use strict';
  var T = {
    en: {
      pairs: function (n) { return n + (n === 1 ? ' pair' : ' pairs'); },
      ok: 'OK', wait: 'waiting', silent: 'in trouble',
      lOk: 'OK', lOkD: 'its last hello got its reply',
      lWait: 'Waiting', lWaitD: 'starting, reconnecting, or waiting for a reply',
      lSilent: 'Silent · No reply · Never connected', lSilentD: function (d) { return 'nothing, or no reply, for about 3 intervals (' + d + ')'; },
      empty: 'Waiting for the first hello: no pair has published on <prefix>hello yet.',
      label: { ok: 'OK', silent: 'Silent', unheard: 'Silent', noReply: 'No reply', noHello: 'Waiting', replyOnly: 'Waiting', waitReply: 'Waiting', quiet: 'Waiting',
        neverConnected: 'Never connected', starting: 'Starting', connecting: 'Connecting', reconnecting: 'Reconnecting', crossed: 'Crossed topics', stopped: 'Stopped' },
      why: {
        ok: function (d, ms) { return ms < 1000 ? 'last round trip just now' : 'last round trip ' + d + ' ago'; },
        silent: function (d) { return 'nothing heard for ' + d; }, unheard: function (d) { return 'nothing heard for ' + d; },
        noReply: function (d) { return 'no reply for ' + d + ': is ESP#2 on?'; },
        noHello: function () { return 'no hello yet'; }, replyOnly: function () { return 'a reply, but no hello seen yet'; },
        waitReply: function (d) { return 'hello sent ' + d + ' ago, no reply yet'; }, quiet: function (d) { return 'quiet for ' + d; },
        neverConnected: function () { return 'on the class list: no hello yet'; },
        starting: function () { return 'waiting for its turn to connect'; }, stopped: function () { return 'stopped from this page'; }
      },
      last: function (n) { return n === null ? 'no hello seen' : 'last: Hello #' + n; },
      seen: function (h, r) { return 'seen here: ' + h + ' hello' + (h === 1 ? '' : 's') + ', ' + r + ' repl' + (r === 1 ? 'y' : 'ies'); },
      boards: function (b) { return 'boards ' + b + '/2 connected'; }, reconnects: function (n) { return n + ' reconnect' + (n === 1 ? '' : 's'); },
      other: function (n) { return n + ' other message' + (n === 1 ? '' : 's') + ' (another activity)'; },
      retained: function (n) { return n + ' retained (old)'; },
      stop: 'Stop', start: 'Start',
      ignored: function (n, more, m) { return (more ? 'more than ' : '') + n + ' more pairs not shown (--max-pairs): ' + m + ' messages'; },
      once: function (n) { return n + ' prefix' + (n === '1' ? '' : 'es') + ' heard only once, not shown (until a hello is answered)'; },
      others: function (n) { return n + ' message' + (n === 1 ? '' : 's') + ' under the class on other topics (not judged)'; },
      interval: 'hello interval', running: 'running for', live: 'live view, updated every second', updated: 'last update',
      watching: function (f, w) { return 'watching ' + f + ' on ' + w; },
      simulated: function (n, w, d) { return n + ' simulated pairs on ' + w + (d ? ' · a ' + d + ' run' : ''); },
      finished: function (r) { return 'Finished: ' + r.ok + '/' + r.of + ' pairs ok' + (r.stopped ? ' (' + r.stopped + ' stopped from this page)' : ''); },
      noBroker: function (p) { return 'Not connected to the broker: ' + p; },
      lost: 'Lost the connection to mqtt-pair (is it still running?): trying again\u2026'
    },
    fr: {
      pairs: function (n) { return n + (n <= 1 ? ' bin\u00f4me' : ' bin\u00f4mes'); },
      ok: 'OK', wait: 'en attente', silent: 'en difficult\u00e9',
      lOk: 'OK', lOkD: 'son dernier hello a re\u00e7u sa r\u00e9ponse',
      lWait: 'En attente', lWaitD: 'd\u00e9marrage, reconnexion, ou r\u00e9ponse attendue',
      lSilent: 'Muet \u00b7 Sans r\u00e9ponse \u00b7 Jamais connect\u00e9', lSilentD: function (d) { return 'rien, ou pas de r\u00e9ponse, depuis environ 3 intervalles (' + d + ')'; },
      empty: 'En attente du premier hello : aucun bin\u00f4me n\u2019a encore publi\u00e9 sur <pr\u00e9fixe>hello.',
      label: { ok: 'OK', silent: 'Muet', unheard: 'Muet', noReply: 'Sans r\u00e9ponse', noHello: 'En attente', replyOnly: 'En attente', waitReply: 'En attente', quiet: 'En attente',
        neverConnected: 'Jamais connect\u00e9', starting: 'D\u00e9marrage', connecting: 'Connexion', reconnecting: 'Reconnexion', crossed: 'Topics m\u00e9lang\u00e9s', stopped: 'Arr\u00eat\u00e9' },
      why: {
        ok: function (d, ms) { return ms < 1000 ? 'dernier aller-retour \u00e0 l\u2019instant' : 'dernier aller-retour il y a ' + d; },
        silent: function (d) { return 'rien re\u00e7u depuis ' + d; }, unheard: function (d) { return 'rien re\u00e7u depuis ' + d; },
        noReply: function (d) { return 'pas de r\u00e9ponse depuis ' + d + ' : l\u2019ESP#2 est-il allum\u00e9 ?'; },
        noHello: function () { return 'pas encore de hello'; }, replyOnly: function () { return 'une r\u00e9ponse, mais aucun hello vu'; },
        waitReply: function (d) { return 'hello envoy\u00e9 il y a ' + d + ', pas encore de r\u00e9ponse'; }, quiet: function (d) { return 'silencieux depuis ' + d; },
        neverConnected: function () { return 'sur la liste de la classe : pas encore de hello'; },
        starting: function () { return 'attend son tour pour se connecter'; }, stopped: function () { return 'arr\u00eat\u00e9 depuis cette page'; }
      },
      last: function (n) { return n === null ? 'aucun hello vu' : 'dernier : Hello #' + n; },
      seen: function (h, r) { return 'vus ici : ' + h + ' hello, ' + r + ' r\u00e9ponse' + (r > 1 ? 's' : ''); },
      boards: function (b) { return 'cartes connect\u00e9es : ' + b + '/2'; }, reconnects: function (n) { return n + ' reconnexion' + (n > 1 ? 's' : ''); },
      other: function (n) { return n + ' autre' + (n > 1 ? 's' : '') + ' message' + (n > 1 ? 's' : '') + ' (autre activit\u00e9)'; },
      retained: function (n) { return n + ' retenu' + (n > 1 ? 's' : '') + ' (ancien)'; },
      stop: 'Arr\u00eater', start: 'Relancer',
      ignored: function (n, more, m) { return (more ? 'plus de ' : '') + n + ' autres bin\u00f4mes non affich\u00e9s (--max-pairs) : ' + m + ' messages'; },
      once: function (n) { return n + ' pr\u00e9fixe' + (n === '1' ? '' : 's') + ' entendu' + (n === '1' ? '' : 's') + ' une seule fois, non affich\u00e9' + (n === '1' ? '' : 's') + ' (tant qu\u2019aucun hello n\u2019a de r\u00e9ponse)'; },
      others: function (n) { return n + ' message' + (n > 1 ? 's' : '') + ' de la classe sur d\u2019autres topics (non jug\u00e9' + (n > 1 ? 's' : '') + ')'; },
      interval: 'intervalle des hello', running: 'en cours depuis', live: 'vue en direct, mise \u00e0 jour chaque seconde', updated: 'derni\u00e8re mise \u00e0 jour',
      watching: function (f, w) { return 'observe ' + f + ' sur ' + w; },
      simulated: function (n, w, d) { return n + ' bin\u00f4mes simul\u00e9s sur ' + w + (d ? ' \u00b7 pendant ' + d : ''); },
      finished: function (r) { return 'Termin\u00e9 : ' + r.ok + '/' + r.of + ' bin\u00f4mes OK' + (r.stopped ? ' (' + r.stopped + ' arr\u00eat\u00e9' + (r.stopped > 1 ? 's' : '') + ' depuis cette page)' : ''); },
      noBroker: function (p) { return 'Pas de connexion au broker : ' + p; },
      lost: 'Connexion perdue avec mqtt-pair (est-il toujours lanc\u00e9 ?) : nouvel essai\u2026'
    }
  };
  var ICON = { ok: '\u2713', wait: '\u2026', silent: '\u2715' };
  var query = /[?&]lang=(fr|en)/.exec(location.search);
  var browser = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
  var lang = query ? query[1] : (/^fr/i.test(browser) ? 'fr' : 'en');
  var fixed = !!query;
  var tiles = new Map();
  var list = document.getElementById('tiles');
  var last = null;
  function byId(id) { return document.getElementById(id); }
  function part(parent, tag, cls) { var e = document.createElement(tag); if (cls) e.className = cls; parent.appendChild(e); return e; }
  function set(e, text) { if (e.textContent !== text) e.textContent = text; }
  function dur(ms) {
    if (ms === undefined || ms === null) return '';
    if (ms < 1000) return Math.max(0, Math.round(ms)) + ' ms';
    var s = Math.round(ms / 1000);
    return s < 60 ? s + ' s' : Math.floor(s / 60) + ' min' + (s % 60 ? ' ' + (s % 60) + ' s' : '');
  }
  function num(n) { return n.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB'); }
  function t() { return T[lang]; }
  function makeTile(key) {
    var li = document.createElement('li');
    li.className = 'tile';
    var x = { li: li, name: part(li, 'div', 'name'), status: part(li, 'div', 'status'), why: part(li, 'div', 'why'), group: part(li, 'div', 'group'),
      extra: part(li, 'div', 'extra'), error: part(li, 'div', 'error'), nums: part(li, 'div', 'nums'), seen: part(li, 'div', 'nums seen'), button: null };
    x.icon = part(x.status, 'span', 'icon');
    x.icon.setAttribute('aria-hidden', 'true');
    x.label = part(x.status, 'span', 'label');
    return x;
  }
  // The tile size that fits every pair in the space left: the most columns that keep tiles readable.
  function layout(n) {
    var main = byId('main');
    var style = getComputedStyle(main);
    var W = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    var H = main.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    var gap = 8, best = null;
    for (var c = 1; c <= Math.max(1, n); c++) {
      var rows = Math.ceil(n / c);
      var w = (W - gap * (c - 1)) / c, h = (H - gap * (rows - 1)) / rows;
      if (w < 120) break;
      var hh = Math.min(h, w * 0.62, 230);
      var score = Math.min(w / 1.7, hh);
      if (!best || score > best.score) best = { c: c, h: hh, score: score };
    }
    if (!best) best = { c: 1, h: 100 };
    var h2 = Math.max(best.h, 62);
    var k = Math.max(0.62, Math.min(1.6, h2 / 125));
    document.documentElement.style.setProperty('--cols', String(best.c));
    document.documentElement.style.setProperty('--tile-h', Math.floor(h2) + 'px');
    document.documentElement.style.setProperty('--k', k.toFixed(3));
    document.body.classList.toggle('small', h2 < 118);
    document.body.classList.toggle('tiny', h2 < 80);
  }
  function control(action, name) {
    var r = new XMLHttpRequest();
    r.open('POST', 'pairs/' + encodeURIComponent(name) + '/' + action);
    r.setRequestHeader('x-mqtt-pair', '1');
    r.send();
  }
  function render(s) {
    last = s;
    if (!fixed && s.lang) lang = s.lang;
    var L = t();
    document.documentElement.lang = lang;
    set(byId('title'), s.title);
    document.title = s.title + ' \u00b7 mqtt-pair';
    var a = s.about;
    var sub = !a ? s.subtitle : a.simulated ? L.simulated(a.simulated, a.where, a.runFor ? dur(a.runFor * 1000) : '') : L.watching((a.filters || []).join(' '), a.where);
    set(byId('subtitle'), sub + ' \u00b7 ' + L.interval + ' ' + dur(s.interval) + ' \u00b7 ' + L.running + ' ' + dur(s.uptime * 1000));
    set(byId('l-ok'), L.lOk); set(byId('l-ok-d'), L.lOkD);
    set(byId('l-wait'), L.lWait); set(byId('l-wait-d'), L.lWaitD);
    set(byId('l-silent'), L.lSilent); set(byId('l-silent-d'), L.lSilentD(dur(Math.max(3.5 * s.interval, 3000))));
    set(byId('empty'), L.empty);
    var c = s.counts, counts = byId('counts');
    counts.textContent = '';
    [['total', L.pairs(c.total)], ['ok', ICON.ok + ' ' + c.ok + ' ' + L.ok], ['wait', ICON.wait + ' ' + c.wait + ' ' + L.wait], ['silent', ICON.silent + ' ' + c.silent + ' ' + L.silent]].forEach(function (x) {
      part(counts, 'span', 'count ' + x[0]).textContent = x[1];
    });
    var alert = byId('alert'); alert.hidden = !s.alert; set(alert, s.alert ? (s.problem ? L.noBroker(s.problem) : s.alert) : '');
    var fin = byId('finished'); fin.hidden = !s.finished; set(fin, s.finished ? (s.result ? L.finished(s.result) : s.finished) : '');
    var notes = [];
    if (s.ignored && s.ignored.pairs) notes.push(L.ignored(num(s.ignored.pairs), s.ignored.more, num(s.ignored.messages)));
    if (s.unconfirmed) notes.push(L.once(num(s.unconfirmed)));
    if (s.other) notes.push(L.others(num(s.other)));
    var n = byId('notes'); n.hidden = !notes.length; set(n, notes.join(' \u00b7 '));
    byId('empty').hidden = s.pairs.length > 0;
    var groups = new Set(s.pairs.map(function (p) { return p.group; }));
    document.body.classList.toggle('one-group', groups.size <= 1);
    var seen = new Set();
    s.pairs.forEach(function (p, i) {
      var key = p.group + '/' + p.name;
      seen.add(key);
      var x = tiles.get(key);
      if (!x) { x = makeTile(key); tiles.set(key, x); }
      if (list.children[i] !== x.li) list.insertBefore(x.li, list.children[i] || null);
      if (x.li.dataset.state !== p.state) x.li.dataset.state = p.state;
      x.li.dataset.name = p.name;
      x.li.dataset.reason = p.reason;
      set(x.name, p.name);
      set(x.group, p.group);
      set(x.icon, ICON[p.state]);
      var label = L.label[p.reason] || p.label;
      set(x.label, label);
      var why = L.why[p.reason] ? L.why[p.reason](dur(p.ms), p.ms) : p.why;
      set(x.why, why);
      set(x.nums, L.last(p.lastHello));
      set(x.seen, L.seen(num(p.hellos), num(p.replies)));
      var extra = [];
      if (p.boards !== undefined) extra.push(L.boards(p.boards));
      if (p.reconnects) extra.push(L.reconnects(p.reconnects));
      if (p.other) extra.push(L.other(p.other));
      if (p.retained) extra.push(L.retained(p.retained));
      set(x.extra, extra.join(' \u00b7 '));
      set(x.error, p.error && p.state !== 'ok' ? p.error : '');
      if (s.controls && p.boards !== undefined) {
        if (!x.button) {
          x.button = part(x.status, 'button');
          x.button.type = 'button';
          x.button.addEventListener('click', function () { control(x.li.dataset.stopped === '1' ? 'start' : 'stop', x.li.dataset.name); });
        }
        x.li.dataset.stopped = p.stopped ? '1' : '';
        set(x.button, p.stopped ? L.start : L.stop);
        x.button.setAttribute('aria-label', (p.stopped ? L.start : L.stop) + ' ' + p.name);
      } else if (x.button) { x.button.remove(); x.button = null; }
      x.li.setAttribute('aria-label', p.name + ': ' + label + ', ' + why);
    });
    tiles.forEach(function (x, key) { if (!seen.has(key)) { x.li.remove(); tiles.delete(key); } });
    layout(s.pairs.length);
    set(byId('footer'), 'mqtt-pair \u00b7 ' + L.live + ' \u00b7 ' + L.updated + ' ' + new Date().toLocaleTimeString(lang === 'fr' ? 'fr-FR' : 'en-GB'));
  }
  window.addEventListener('resize', function () { if (last) layout(last.pairs.length); });
  var lost = false;
  var events = new EventSource('events');
  events.onmessage = function (e) { lost = false; render(JSON.parse(e.data)); };
  events.onerror = function () {
    if (lost) return;
    lost = true;
    var alert = byId('alert');
    alert.hidden = false;
    alert.textContent = t().lost;
  };
})();
</script>
</body>
</html>
`;
