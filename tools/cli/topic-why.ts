// Why a topic or a filter is refused, as a code the commands' words say in the user's language
// (tools/words/cli-words.ts, TopicWhy). src/mqtt/topic.ts decides whether it is refused and says
// why in English for the board's console; this sorts the same cases, in the same order.

import { utf8Length, wellFormed } from '../../src/mqtt/codec';
import type { TopicWhy } from '../words/cli-words';

function common(text: string): TopicWhy | undefined {
  if (!text) return 'empty';
  if (utf8Length(text) > 65535) return 'long';
  if (!wellFormed(text)) return 'surrogate';
  return undefined;
}

/** Why src's topicError refuses `topic` (call it only when it does). */
export function topicWhy(topic: string): TopicWhy {
  return common(topic) ?? 'wildcard';
}

/** Why src's filterError refuses `filter` (call it only when it does). */
export function filterWhy(filter: string): TopicWhy {
  const why = common(filter);
  if (why) return why;
  if (filter.includes('\u0000')) return 'nul';
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i];
    if (l.includes('#') && (l !== '#' || i !== levels.length - 1)) return 'hash';
    if (l.includes('+') && l !== '+') return 'plus';
  }
  return 'nul';
}
