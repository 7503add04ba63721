// What the explorer's parts share: the words, the topic tree, the page's elements, and the one flag
// that asks for a draw. `lang`, `W` and `tree` are live bindings: replaced by the server's hello
// (setLang, setTree), read afresh by every module.

import { type Seen, TopicTree } from '../../explorer/tree';
import { type ExplorerWords, en, fr } from '../../words/explorer';

export const query = /[?&]lang=(fr|en)/.exec(location.search);
const browserLang = navigator.languages?.[0] || navigator.language || 'en';
export let lang: 'fr' | 'en' = query ? (query[1] as 'fr' | 'en') : /^fr/i.test(browserLang) ? 'fr' : 'en';
export let W: ExplorerWords = lang === 'fr' ? fr : en;

export let tree = new TopicTree();
let dirty = true;

export function setLang(l: 'fr' | 'en'): void {
  lang = l;
  W = lang === 'fr' ? fr : en;
}

export function setTree(t: TopicTree): void {
  tree = t;
}

/** Asks for a draw at the next frame. */
export function draw(): void {
  dirty = true;
}

/** Whether a draw was asked for since the last call. */
export function takeDirty(): boolean {
  const was = dirty;
  dirty = false;
  return was;
}

export const $ = (id: string) => document.getElementById(id)!;
export function set(e: HTMLElement, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, parent?: HTMLElement): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  parent?.appendChild(e);
  return e;
}

export function valueText(s: Seen): string {
  return s.binary ? W.bytes(s.size) : s.size === 0 ? '(null)' : s.text;
}
