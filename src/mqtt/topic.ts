// Topic names and topic filters (MQTT 3.1.1 section 4.7).
import { utf8Length, wellFormed } from './codec';

/** Why a topic name cannot be published to, or '' when it can. */
export function topicError(topic: string): string {
  if (!topic) return 'a topic cannot be empty';
  if (utf8Length(topic) > 65535) return 'a topic is at most 65535 bytes';
  if (!wellFormed(topic)) return 'a topic must be valid text: it holds a lone surrogate (half of a UTF-16 pair)';
  if (/[+#\u0000]/.test(topic)) return `cannot publish to "${topic}": wildcards + and # are only for subscribing`;
  return '';
}

/** Why a topic filter cannot be subscribed to, or '' when it can. */
export function filterError(filter: string): string {
  if (!filter) return 'a topic filter cannot be empty';
  if (utf8Length(filter) > 65535) return 'a topic filter is at most 65535 bytes';
  if (!wellFormed(filter)) return 'a topic filter must be valid text: it holds a lone surrogate (half of a UTF-16 pair)';
  if (filter.includes('\u0000')) return 'a topic filter cannot contain U+0000';
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i];
    if (l.includes('#') && (l !== '#' || i !== levels.length - 1)) return `bad topic filter "${filter}": # must be a whole level and the last one, as in a/b/#`;
    if (l.includes('+') && l !== '+') return `bad topic filter "${filter}": + must be a whole level, as in a/+/c`;
  }
  return '';
}

/** Whether `topic` matches `filter`. A topic starting with $ never matches a leading wildcard. */
export function matches(filter: string, topic: string): boolean {
  if (filter === topic) return true;
  if (topic.charCodeAt(0) === 36 && (filter[0] === '+' || filter[0] === '#')) return false;
  let f = 0,
    t = 0;
  const fl = filter.length,
    tl = topic.length;
  while (f < fl) {
    const c = filter[f];
    if (c === '#') return true; // validated filters only have # as a whole last level
    if (c === '+') {
      while (t < tl && topic[t] !== '/') t++;
      f++;
    } else {
      // compare one literal level
      while (f < fl && filter[f] !== '/') {
        if (t >= tl || topic[t] !== filter[f]) return false;
        f++;
        t++;
      }
      if (t < tl && topic[t] !== '/') return false;
    }
    if (f === fl) return t === tl;
    // both sit on a '/': step over it
    if (t >= tl) return filter.slice(f) === '/#'; // "a/#" matches "a"
    f++;
    t++;
  }
  return t === tl;
}
