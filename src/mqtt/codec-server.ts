// Decoding what only a broker receives: CONNECT, SUBSCRIBE and UNSUBSCRIBE. A client never
// decodes these, so the boards leave this module out; importing it completes the codec (the
// tests, the fault-injection proxy and the Node tools import it through hosts/node/index.ts).

import {
  CONNECT,
  ProtocolError,
  SUBSCRIBE,
  UNSUBSCRIBE,
  brokerBound,
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

function decode(type: number): Packet {
  if (type === SUBSCRIBE) {
    const id = readId();
    const subscriptions: { filter: string; qos: QoS }[] = [];
    while (hasMore()) {
      const filter = readString();
      const q = readByte();
      if (q > 2) throw new ProtocolError(`SUBSCRIBE requested QoS byte ${q}`);
      subscriptions.push({ filter, qos: q as QoS });
    }
    if (!subscriptions.length) throw new ProtocolError('SUBSCRIBE without topic filters');
    return { type, id, subscriptions };
  }
  if (type === CONNECT) {
    const name = readString();
    const level = readByte(),
      cf = readByte(),
      keepalive = readU16();
    if (name !== 'MQTT' || level !== 4) throw new ProtocolError(`unsupported protocol ${name} level ${level}`);
    if (cf & 1) throw new ProtocolError('CONNECT has the reserved flag set');
    const wq = (cf >> 3) & 3;
    if (!(cf & 4) && (wq || cf & 32)) throw new ProtocolError('CONNECT has will QoS or retain without a will');
    if (wq === 3) throw new ProtocolError('CONNECT has will QoS 3');
    if (cf & 64 && !(cf & 128)) throw new ProtocolError('CONNECT has a password without a user name');
    const p: Connect = { type, clientId: readString(), clean: (cf & 2) === 2, keepalive };
    if (cf & 4) p.will = { topic: readString(), payload: readBinary(), qos: wq as QoS, retain: (cf & 32) === 32 };
    if (cf & 128) p.username = readString();
    if (cf & 64) p.password = readBinary();
    if (hasMore()) throw new ProtocolError('CONNECT has extra bytes');
    return p;
  }
  // UNSUBSCRIBE
  const id = readId();
  const filters: string[] = [];
  while (hasMore()) filters.push(readString());
  if (!filters.length) throw new ProtocolError('UNSUBSCRIBE without topic filters');
  return { type: UNSUBSCRIBE, id, filters };
}

brokerBound.decode = decode;
