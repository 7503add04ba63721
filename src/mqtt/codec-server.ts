// Decoding what only a broker receives: CONNECT, SUBSCRIBE and UNSUBSCRIBE. A client never
// decodes these, so the boards leave this module out. Whoever reads a client's packets (a broker,
// the tests, the CLI's -d, the fault-injection proxy) uses BrokerDecoder, which decodes all.

import {
  CONNECT,
  ProtocolError,
  SUBSCRIBE,
  UNSUBSCRIBE,
  type Cursor,
  Decoder,
  decodeBody,
  hasMore,
  readBinary,
  readByte,
  readId,
  readString,
  readU16,
  type Connect,
  type Packet,
  type QoS,
} from './codec';

/** CONNECT, SUBSCRIBE or UNSUBSCRIBE, at the cursor. */
export function decodeBrokerBound(type: number, c: Cursor): Packet {
  if (type === SUBSCRIBE) {
    const id = readId(c);
    const subscriptions: { filter: string; qos: QoS }[] = [];
    while (hasMore(c)) {
      const filter = readString(c);
      const q = readByte(c);
      if (q > 2) throw new ProtocolError(`SUBSCRIBE requested QoS byte ${q}`);
      subscriptions.push({ filter, qos: q as QoS });
    }
    if (!subscriptions.length) throw new ProtocolError('SUBSCRIBE without topic filters');
    return { type, id, subscriptions };
  }
  if (type === CONNECT) {
    const name = readString(c);
    const level = readByte(c),
      cf = readByte(c),
      keepalive = readU16(c);
    if (name !== 'MQTT' || level !== 4) throw new ProtocolError(`unsupported protocol ${name} level ${level}`);
    if (cf & 1) throw new ProtocolError('CONNECT has the reserved flag set');
    const wq = (cf >> 3) & 3;
    if (!(cf & 4) && (wq || cf & 32)) throw new ProtocolError('CONNECT has will QoS or retain without a will');
    if (wq === 3) throw new ProtocolError('CONNECT has will QoS 3');
    if (cf & 64 && !(cf & 128)) throw new ProtocolError('CONNECT has a password without a user name');
    const p: Connect = { type, clientId: readString(c), clean: (cf & 2) === 2, keepalive };
    if (cf & 4) p.will = { topic: readString(c), payload: readBinary(c), qos: wq as QoS, retain: (cf & 32) === 32 };
    if (cf & 128) p.username = readString(c);
    if (cf & 64) p.password = readBinary(c);
    if (hasMore(c)) throw new ProtocolError('CONNECT has extra bytes');
    return p;
  }
  // UNSUBSCRIBE
  const id = readId(c);
  const filters: string[] = [];
  while (hasMore(c)) filters.push(readString(c));
  if (!filters.length) throw new ProtocolError('UNSUBSCRIBE without topic filters');
  return { type: UNSUBSCRIBE, id, filters };
}

/** A decoder for both directions: what a broker receives too. */
export class BrokerDecoder extends Decoder {
  protected override decode(c: Cursor, first: number, b: Uint8Array, o: number, end: number): Packet {
    return decodeBody(c, first, b, o, end, decodeBrokerBound);
  }
}
