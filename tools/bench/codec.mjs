// The codec's figure: encode + decode the same packets, ours against mqtt-packet, in packets a second.
import { performance } from 'node:perf_hooks';
import mqttPacket from 'mqtt-packet';
import { BrokerDecoder, encode } from '../../dist/index.js';
import { scale } from './smoke.mjs';

const te = new TextEncoder();

function codecPackets() {
  const payload = te.encode('{"temperature":20.5,"unit":"C"}');
  const ours = [],
    theirs = [];
  for (let i = 0; i < 64; i++) {
    const topic = `myRasp/groundfloor/room${i % 8}/temperature`;
    const qos = i % 3;
    ours.push({ type: 3, topic, payload, qos, retain: i % 5 === 0, dup: false, id: qos ? i + 1 : 0 });
    theirs.push({ cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain: i % 5 === 0, dup: false, messageId: qos ? i + 1 : undefined });
    if (i % 4 === 0) {
      ours.push({ type: 4, id: i + 1 });
      theirs.push({ cmd: 'puback', messageId: i + 1 });
    }
    if (i % 16 === 0) {
      ours.push({ type: 8, id: i + 1, subscriptions: [{ filter: 'myRasp/+/kitchen/#', qos: 1 }] });
      theirs.push({ cmd: 'subscribe', messageId: i + 1, subscriptions: [{ topic: 'myRasp/+/kitchen/#', qos: 1 }] });
    }
    if (i % 16 === 8) {
      ours.push({ type: 12 });
      theirs.push({ cmd: 'pingreq' });
    }
  }
  return { ours, theirs };
}

function timeLoop(fn, minMs = scale(400, 0)) {
  fn(); // warm up
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  do {
    fn();
    n++;
    t = performance.now();
  } while (t - t0 < minMs);
  return n / ((t - t0) / 1000);
}

export function benchCodec() {
  const { ours, theirs } = codecPackets();
  // biome-ignore lint/correctness/noUnusedVariables: counted so that each callback does some work, as a real one would
  let count = 0;
  // A broker's decoder: the set holds SUBSCRIBE and PINGREQ, which only a broker receives (the
  // client's Decoder refuses them), as mqtt-packet's parser takes every type.
  const dec = new BrokerDecoder(() => {
    count++;
  });
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  parser.on('packet', () => {
    count++;
  });
  const runOurs = () => {
    for (const p of ours) dec.push(encode(p));
  };
  const runTheirs = () => {
    for (const p of theirs) parser.parse(mqttPacket.generate(p, { protocolVersion: 4 }));
  };
  const best = (f) => Math.max(timeLoop(f), timeLoop(f), timeLoop(f));
  const oursRate = best(runOurs) * ours.length;
  const theirsRate = best(runTheirs) * theirs.length;
  return { ours: oursRate, peer: theirsRate, ratio: oursRate / theirsRate };
}
