// The activities a class does beside the pair (the sensor of « l'activité 2 du lycée », the chat and
// the remote of the students' page, the student's presence), recognised from the topics under a
// pair's prefix, and what each tells a tile.

import { COMMAND_TOPIC, SENSOR_BASE, SENSOR_TOPICS } from '../../src/apps/registry';
import { printable } from '../../src/apps/text';
import type { Activity, ObservedPair } from './view-model';

/** A command or value shown on a tile is cut to this many characters. */
const FACT_CHARS = 24;

/** The activity a topic under a pair's prefix belongs to (`rest`: the topic after the prefix; '' for
 *  the chat's `<class>/<name>`). */
function activityOf(rest: string): Activity {
  if (rest === '' || rest === 'status') return 'chat';
  if (rest.startsWith(SENSOR_BASE)) return 'sensor';
  if (rest === COMMAND_TOPIC) return 'remote';
  return 'other';
}

/** The prefix of the pair a live message of another activity belongs to: under `<school>/<class>/`,
 *  the level after the class names it (`…/alice/myRasp/sensors/temperature`, and the chat's
 *  `…/alice`). Null without a class, or for a topic outside it. */
export function activityPrefix(school: string | undefined, className: string | undefined, topic: string): string | null {
  if (school === undefined || className === undefined) return null;
  const group = `${school}/${className}/`;
  if (!topic.startsWith(group) || topic.length === group.length) return null;
  const name = topic.slice(group.length).split('/')[0];
  return name ? `${group}${name}/` : null;
}

/** A live message of another activity under `p`, at `now`: what it does, when, and its last facts. */
export function recordActivity(p: ObservedPair, topic: string, text: string, now: number): void {
  const rest = topic.length < p.prefix.length ? '' : topic.slice(p.prefix.length);
  const kind = activityOf(rest);
  if (!p.heardAt) p.heardAt = now;
  // The students' page's status speaks for presence (p.present), not for an activity of its own.
  if (rest === 'status') return;
  // A gap under 100 ms is the same reading's second value (temperature, then pressure), not a period.
  if (p.activity === kind && p.otherAt) {
    if (now - p.otherAt >= 100) p.otherGaps.push(now - p.otherAt);
    if (p.otherGaps.length > 5) p.otherGaps.shift();
  } else p.otherGaps = [];
  // The sensor's status says only whether it is there: the gaps are its values'.
  if (rest !== SENSOR_TOPICS.status) p.otherAt = now;
  else if (!p.otherAt) p.otherAt = now;
  p.activity = kind;
  if (kind === 'sensor') {
    const value = Number.parseFloat(text);
    if (rest === SENSOR_TOPICS.temperature && Number.isFinite(value)) p.facts.temperature = value;
    else if (rest === SENSOR_TOPICS.pressure && Number.isFinite(value)) p.facts.pressure = value;
    else if (rest === SENSOR_TOPICS.status) p.facts.sensorOnline = text === 'online';
    if (rest !== SENSOR_TOPICS.status) p.facts.sensorOnline = true;
  } else if (kind === 'remote') p.facts.command = printableFact(text);
}

/** A fact from the network as a tile shows it: printable (src/apps/text.ts), FACT_CHARS at most. */
function printableFact(text: string): string {
  const clean = printable(text.trim());
  return clean.length > FACT_CHARS ? `${clean.slice(0, FACT_CHARS - 1)}…` : clean;
}
