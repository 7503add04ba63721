// What every part of the students' page shares: its words, its teacher's settings, its elements,
// and text from the network made fit to show.

import { printable } from '../../../src/apps/text';
import { studentWords as enWords } from '../../words/en';
import { studentWords as frWords } from '../../words/fr';
import type { StudentPageWords } from '../../words/words';
import type { StudentPageConfig } from './config';

const MAX_SHOWN = 500; // characters of a message shown

const WORDS: Record<'fr' | 'en', StudentPageWords> = { fr: frWords, en: enWords };

export const query = new URLSearchParams(location.search);
export const lang: keyof typeof WORDS = (query.get('lang') ?? navigator.language ?? 'en').toLowerCase().startsWith('fr') ? 'fr' : 'en';
export const t = WORDS[lang];
export const config = JSON.parse(document.getElementById('config')!.textContent || '{}') as StudentPageConfig;

export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}
export function input(id: string): HTMLInputElement {
  return $<HTMLInputElement>(id);
}

/** Text from the network, fit to show: printable (no control or bidi characters), and not too long. */
export function shown(s: string): string {
  const p = printable(s);
  return p.length > MAX_SHOWN ? `${p.slice(0, MAX_SHOWN)}…` : p;
}

/** True when `s` holds a control or bidi character: Mosquitto closes the connection of a client
 *  that sends one in a topic, and the page would try again and again. */
export function hasControl(s: string): boolean {
  return printable(s) !== s;
}

/** What is wrong with a topic or filter the student typed, or ''. */
export function typedTopicError(s: string, check: (s: string) => string): string {
  return hasControl(s) ? t.control : check(s);
}

// One formatter: toLocaleTimeString makes a new one each call, which a burst feels.
export const timeFormat = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
export function clock(at = Date.now()): string {
  return timeFormat.format(at);
}

export function el(tag: string, text: string, cls?: string): HTMLElement {
  const e = document.createElement(tag);
  e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

export function setStatus(text: string, state: 'ok' | 'wait' | 'off') {
  const s = $('status');
  s.textContent = text;
  s.dataset.state = state;
}
