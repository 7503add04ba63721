// What the broker holds retained under a branch, asked afresh, and clearing exactly that. The
// explorer's own subscription cannot tell: a message retained after it subscribed comes with
// RETAIN 0 (MQTT 3.1.1 §3.3.1.3), and a retained message it never saw stays unknown. So a
// connection of its own subscribes to the branch, as `mqtt-pair sub --retained-only` does, and
// collects the retained messages the broker sends at subscribe time; once it has unsubscribed
// (the broker answers after what it sent for the subscription) and nothing came for QUIET_MS,
// they have stopped coming.

import type { Endpoint } from '../../src/host';
import { MqttClient, type MqttError } from '../../src/mqtt/client';
import type { RetainedProblem } from '../explorer/tree';
import { nodeHost } from '../../hosts/node/host';

/** Nothing came for this long after the broker answered the unsubscription: the end (ms). */
const QUIET_MS = 500;
/** A question is given up after this long (ms): a broker that never answers. */
const LIMIT_MS = 30_000;
/** The topics collected hold this many characters at most: a topic may be 64 KB long. */
const TOPICS_CHARS = 32 << 20;

export interface Retained {
  /** The topics (whole) the broker holds retained under the filter, at most `max`. */
  topics: string[];
  /** More than `max` were held: the list is cut. */
  more: boolean;
  /** Clears acknowledged by the broker (0 when not asked to clear). */
  cleared: number;
}

let asked = 0;

/** Why the broker could not be asked, as an Error (its message in English, for a log) with its code for the page. */
export type RetainedFailure = Error & { problem: RetainedProblem };

function failure(message: string, problem: RetainedProblem): RetainedFailure {
  return Object.assign(new Error(message), { problem });
}

/**
 * Connects on its own, subscribes to `filter`, collects the topics of the retained messages the
 * broker sends (those `keep` accepts, `max` at most), and when asked, clears each (an empty
 * retained message, QoS 1, acknowledged). Rejects with a RetainedFailure when the broker cannot be asked.
 */
export function learnRetained(
  endpoint: Endpoint,
  filter: string,
  o: { keep: (topic: string) => boolean; max: number; clear: boolean; clientId: string },
): Promise<Retained> {
  const client = new MqttClient(nodeHost({ log: () => {} }), endpoint, {
    clientId: `${o.clientId}-r${++asked}`,
    keepalive: 30,
    reconnect: false,
    // The clears wait here for the broker's acknowledgement: room for all of them.
    queue: { messages: o.max + 1, bytes: 1 << 30 },
  });
  const topics = new Set<string>();
  let more = false,
    chars = 0;
  return new Promise<Retained>((resolve, reject) => {
    let done = false;
    let quiet: ReturnType<typeof setTimeout> | undefined;
    const finish = (error?: RetainedFailure, cleared = 0) => {
      if (done) return;
      done = true;
      clearTimeout(quiet);
      clearTimeout(limit);
      client.end();
      if (error) reject(error);
      else resolve({ topics: [...topics], more, cleared });
    };
    const limit = setTimeout(
      () => finish(failure(`the broker did not answer within ${LIMIT_MS / 1000} s`, { code: 'timeout', seconds: LIMIT_MS / 1000 })),
      LIMIT_MS,
    );
    const closed = (e: Error) => finish(failure(e.message, { code: 'closed', kind: (e as MqttError).kind, reason: e.message }));
    let unsubscribed = false;
    const collected = () => {
      if (!o.clear || !topics.size) return finish();
      let waiting = topics.size,
        cleared = 0;
      for (const t of topics)
        client.publish(t, new Uint8Array(0), { qos: 1, retain: true }, (e) => {
          if (!e) cleared++;
          if (--waiting === 0) finish(undefined, cleared);
        });
    };
    const wait = () => {
      clearTimeout(quiet);
      quiet = setTimeout(collected, QUIET_MS);
    };
    client.onMessage = (m) => {
      if (done) return;
      // A live message: the retained ones, sent first, are all here.
      if (!m.retain) {
        if (unsubscribed) wait();
        return;
      }
      if (m.payload.length && o.keep(m.topic) && !topics.has(m.topic)) {
        if (topics.size < o.max && chars + m.topic.length <= TOPICS_CHARS) {
          topics.add(m.topic);
          chars += m.topic.length;
        } else more = true;
      }
      if (unsubscribed) wait();
    };
    client.onConnect = () => {
      client.subscribe(filter, {}, (e, qos) => {
        // (A SUBACK 0x80 comes with an error too: the refusal first.)
        if (qos === 0x80) return finish(failure(`the broker refused the subscription to ${filter}`, { code: 'refused', filter }));
        if (e) return closed(e);
        client.unsubscribe(filter, (e2) => {
          if (e2) return closed(e2);
          unsubscribed = true;
          wait();
        });
      });
    };
    client.onClose = (reason, _retryIn, kind) => finish(failure(reason, { code: 'closed', kind, reason }));
    client.connect();
  });
}
