// The topic tree: branches from the topics' levels, with counts, last values, retained flags and
// ages; its rows are kept and updated in place, not made again at each draw.

import type { TopicNode } from '../../explorer/tree';
import { duration } from '../../words/duration';
import { select, selected } from './detail';
import { $, draw, el, set, tree, valueText, W } from './page';

/** Branches the user folded or unfolded (by path), over the default (open while the tree is small). */
const toggled = new Map<string, boolean>();

interface Branch {
  path: string;
  seg: string;
  depth: number;
  node?: TopicNode;
  children: Map<string, Branch>;
  /** Messages of every topic under it. */
  total: number;
  lastAt: number;
}

function branches(): Branch {
  const root: Branch = { path: '', seg: '', depth: -1, children: new Map(), total: 0, lastAt: 0 };
  const needle = ($('search') as HTMLInputElement).value.trim().toLowerCase();
  for (const n of tree.topics.values()) {
    if (needle && !n.topic.toLowerCase().includes(needle)) continue;
    const segs = n.topic.split('/');
    let b = root;
    let path = '';
    segs.forEach((seg, i) => {
      path = i ? `${path}/${seg}` : seg;
      let c = b.children.get(seg);
      if (!c) {
        c = { path, seg, depth: i, children: new Map(), total: 0, lastAt: 0 };
        b.children.set(seg, c);
      }
      c.total += n.count;
      c.lastAt = Math.max(c.lastAt, n.last.at);
      b = c;
    });
    b.node = n;
  }
  return root;
}

function isOpen(b: Branch): boolean {
  const t = toggled.get(b.path);
  if (t !== undefined) return t;
  // Open while the tree is small or a search narrows it; else the first two levels.
  return tree.topics.size <= 150 || ($('search') as HTMLInputElement).value.trim() !== '' || b.depth < 1;
}

interface Row {
  li: HTMLLIElement;
  fold: HTMLButtonElement;
  seg: HTMLElement;
  count: HTMLElement;
  value: HTMLElement;
  ret: HTMLElement;
  age: HTMLElement;
}
const rows = new Map<string, Row>();

function makeRow(path: string): Row {
  const li = el('li', 'row');
  li.setAttribute('role', 'treeitem');
  li.dataset.path = path;
  const fold = el('button', 'fold', li);
  fold.type = 'button';
  const r = {
    li,
    fold,
    seg: el('span', 'seg', li),
    count: el('span', 'count', li),
    value: el('span', 'value', li),
    ret: el('span', 'ret', li),
    age: el('span', 'age', li),
  };
  fold.addEventListener('click', (e) => {
    e.stopPropagation();
    const b = li.dataset.open === '1';
    toggled.set(path, !b);
    draw();
  });
  li.addEventListener('click', () => select(path));
  return r;
}

export function drawTree(now: number): void {
  const root = branches();
  const list = $('tree');
  const visible: string[] = [];
  const walk = (b: Branch) => {
    const kids = [...b.children.values()].sort((x, y) => x.seg.localeCompare(y.seg, 'en', { numeric: true }));
    for (const c of kids) {
      visible.push(c.path);
      let r = rows.get(c.path);
      if (!r) {
        r = makeRow(c.path);
        rows.set(c.path, r);
      }
      const open = isOpen(c);
      const hasKids = c.children.size > 0;
      r.li.dataset.open = open ? '1' : '';
      r.li.style.setProperty('--depth', String(c.depth));
      r.li.setAttribute('aria-selected', String(c.path === selected));
      if (hasKids) r.li.setAttribute('aria-expanded', String(open));
      else r.li.removeAttribute('aria-expanded');
      set(r.fold, hasKids ? (open ? '▾' : '▸') : '');
      r.fold.disabled = !hasKids;
      r.fold.setAttribute('aria-label', hasKids ? (open ? W.fold : W.unfold) : '');
      set(r.seg, c.seg || W.emptyLevel);
      set(r.count, `${c.total.toLocaleString(W.locale)}`);
      set(r.value, c.node ? valueText(c.node.last) : '');
      set(r.ret, c.node?.retained ? W.retained : '');
      r.ret.hidden = !c.node?.retained;
      set(r.age, W.ago(duration(Math.max(0, now - c.lastAt))));
      if (open) walk(c);
    }
  };
  walk(root);
  const keep = new Set(visible);
  for (const [path, r] of rows)
    if (!keep.has(path)) {
      r.li.remove();
      rows.delete(path);
    }
  visible.forEach((path, i) => {
    const li = rows.get(path)!.li;
    if (list.children[i] !== li) list.insertBefore(li, list.children[i] ?? null);
  });
}
