// A packet as mosquitto's clients print it with -d, e.g. `PUBLISH (d0, q1, r0, m3, 'class/hello', ... (5 bytes))`.

import { CONNACK_ERRORS } from '../../src/mqtt/client';
import { CONNACK, CONNECT, PUBACK, PUBCOMP, PUBLISH, PUBREC, PUBREL, SUBACK, SUBSCRIBE, UNSUBACK, UNSUBSCRIBE, type Packet } from '../../src/mqtt/codec';

/** One packet in mosquitto's -d manner, e.g. `PUBLISH (d0, q1, r0, m3, 'class/hello', ... (5 bytes))`. */
export function describePacket(p: Packet): string {
  switch (p.type) {
    case CONNECT: {
      const parts = [`c${p.clean ? 1 : 0}`, `k${p.keepalive}`, `id '${p.clientId}'`];
      if (p.username !== undefined) parts.push(`user '${p.username}'`);
      if (p.password !== undefined) parts.push('password set');
      if (p.will) parts.push(`will '${p.will.topic}' q${p.will.qos} r${p.will.retain ? 1 : 0}`);
      return `CONNECT (${parts.join(', ')})`;
    }
    case CONNACK:
      return `CONNACK (${p.returnCode}${p.returnCode ? `: ${CONNACK_ERRORS[p.returnCode] ?? 'refused'}` : ''})`;
    case PUBLISH:
      return `PUBLISH (d${p.dup ? 1 : 0}, q${p.qos}, r${p.retain ? 1 : 0}, m${p.id}, '${p.topic}', ... (${p.payload.length} bytes))`;
    case PUBACK:
    case PUBREC:
    case PUBREL:
    case PUBCOMP:
    case UNSUBACK:
      return `${['', '', '', '', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', '', '', '', 'UNSUBACK'][p.type]} (Mid: ${p.id})`;
    case SUBSCRIBE:
      return `SUBSCRIBE (Mid: ${p.id}, ${p.subscriptions.map((s) => `Topic: ${s.filter}, QoS: ${s.qos}`).join('; ')})`;
    case SUBACK:
      return `SUBACK (Mid: ${p.id}, granted: ${p.granted.map((g) => (g === 0x80 ? '0x80 refused' : g)).join(', ')})`;
    case UNSUBSCRIBE:
      return `UNSUBSCRIBE (Mid: ${p.id}, ${p.filters.join(', ')})`;
    default:
      return ['', '', '', '', '', '', '', '', '', '', '', '', 'PINGREQ', 'PINGRESP', 'DISCONNECT'][p.type] || `packet type ${p.type}`;
  }
}
