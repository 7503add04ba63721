// What a board does, as values: the simulator, the classroom and the commands read these, never
// the console lines, which are written from them here, in the words the course prints.

import type { CloseKind } from '../host';

export type BoardEvent =
  /** The WiFi gave the board an address. */
  | { type: 'joined'; ip: string }
  /** Connected to the broker, its subscriptions acknowledged. */
  | { type: 'connected'; broker: string; topics: string[] }
  /** A connection ended or an attempt failed: retried in `retryIn` ms, or the board restarts. */
  | { type: 'closed'; reason: string; kind: CloseKind; code?: number; retryIn: number; wasConnected: boolean; failures: number; restarting: boolean }
  /** A subscription refused by the broker. */
  | { type: 'refused'; reason: string }
  /** A message from the broker. */
  | { type: 'received'; topic: string; text: string }
  /** ESP#1 sent Hello #n. */
  | { type: 'hello'; n: number }
  /** ESP#1 got its answer. */
  | { type: 'answered' }
  /** ESP#2 answered a hello. */
  | { type: 'reply' };

/** A board's listener: what the simulator and the classroom give it. */
export type BoardListener = (event: BoardEvent) => void;

/** The line an event is said with on the serial port, or '' for one that is not said. */
export function eventLine(e: BoardEvent): string {
  switch (e.type) {
    case 'connected': {
      const t = e.topics;
      return `Connected to ${e.broker} MQTT broker${t.length ? `, subscribed to ${t.join(' and ')} topic${t.length > 1 ? 's' : ''}` : ''}`;
    }
    case 'closed': {
      const what = `${e.wasConnected ? 'Lost connection to' : 'Failed to connect to'} MQTT broker: ${e.reason}.`;
      return e.restarting
        ? `${what} ${e.failures} failures in a row: restarting the board...`
        : `${what} Reconnecting in ${(e.retryIn / 1000).toFixed(1)} s...`;
    }
    case 'refused':
      return `Subscription failed: ${e.reason}`;
    case 'received':
      return `Received ${e.topic}: ${e.text}`;
    case 'answered':
      return 'ESP received hello message';
    default:
      return '';
  }
}
