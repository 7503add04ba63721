// `npm run bench`: every figure measured in the same run on this machine, each beside its peers
// (mqtt-packet for the codec; MQTT.js and the physical floor, a raw node:net client writing
// pre-encoded packets, for the client; Moddable's own mqtt module for the heap on the board's
// runtime), as one markdown table or, with --json, one JSON object. Ratios are ours / peer's:
// above 1 is better for throughput, below 1 for times and bytes. docs/performance.md says how
// each row is measured.
//
// The parts, in tools/bench/: codec.mjs (the codec), clients.mjs (the clients driven),
// throughput.mjs and latency.mjs (publish rate, round trips, recovery; floor.mjs the raw peer),
// placement.mjs (CPUs), startup.mjs (CLI start-up, bundle sizes), mcsim-heap.mjs (the firmware's
// heap in Moddable's simulator), report.mjs (figures and the table). This file runs them in order.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { moddableModules } from './build.mjs';
import { startResponder } from './bench/clients.mjs';
import { benchCodec } from './bench/codec.mjs';
import { recovery, roundTrips } from './bench/latency.mjs';
import { place, taskset, twoCpus, unpin } from './bench/placement.mjs';
import { fmt, fmt3, printReport, range, sizeName, x2 } from './bench/report.mjs';
import { bundleSize, cliStartup } from './bench/startup.mjs';
import { scale } from './bench/smoke.mjs';
import { throughput } from './bench/throughput.mjs';
import { mosquittoAvailable, startMosquitto } from './mosquitto.mjs';

export { throughput };

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// ---- the run

async function main() {
  const json = process.argv.includes('--json');
  const say = json ? () => {} : (s) => process.stderr.write(`${s}\n`);
  const r = {};
  const rows = [];
  const row = (...cells) => rows.push(cells);

  say('codec...');
  const codec = benchCodec();
  r.codec_ratio_vs_mqtt_packet = codec.ratio;
  row('Codec encode+decode (packets/s)', fmt(codec.ours), `${fmt(codec.peer)} (mqtt-packet)`, x2(codec.ratio));

  say('bundles...');
  const client = await bundleSize('src/mqtt/client.ts', []);
  const firmware = await bundleSize('hosts/moddable/main.ts', moddableModules);
  r.client_bundle_gzip_bytes = client.gzip;
  r.firmware_bundle_gzip_bytes = firmware.gzip;
  r.firmware_bundle_min_bytes = firmware.min;

  if (mosquittoAvailable()) {
    // The subscriber must get every message: no per-client queue or in-flight limit in the way.
    const broker = await startMosquitto({ persistence: false, extra: 'max_queued_messages 0\nmax_inflight_messages 0' });
    try {
      say('throughput (clients on CPU 0, Mosquitto on CPU 1)...');
      place(broker, twoCpus ? 'two' : 'one');
      const t = {};
      for (const qos of [0, 1])
        for (const size of [16, 1024, 65536])
          for (const kind of ['ours', 'mqttjs', 'floor']) t[`${kind}-${qos}-${size}`] = await throughput(kind, broker.port, qos, size, say);
      for (const qos of [0, 1])
        for (const size of [16, 1024, 65536]) {
          const o = t[`ours-${qos}-${size}`].rate,
            m = t[`mqttjs-${qos}-${size}`].rate,
            f = t[`floor-${qos}-${size}`].rate;
          r[`qos${qos}_ratio_vs_floor_${size}`] = o / f;
          r[`qos${qos}_ratio_vs_mqttjs_${size}`] = o / m;
          row(`Publish QoS ${qos}, ${sizeName(size)} payload (msg/s)`, fmt(o), `${fmt(m)} (MQTT.js, ${x2(o / m)}); ${fmt(f)} (floor)`, `${x2(o / f)} floor`);
        }
      r.qos0_ratio_vs_mqttjs = r.qos0_ratio_vs_mqttjs_16;
      r.qos1_ratio_vs_mqttjs = r.qos1_ratio_vs_mqttjs_16;

      say('round trips (one CPU, then two)...');
      const one = await roundTrips(broker, 'one');
      const two = twoCpus ? await roundTrips(broker, 'two') : null;
      r.rtt_p50_ms = one.ours.p50;
      r.rtt_p99_ms = one.ours.p99;
      r.rtt_p50_ratio_vs_mqttjs = one.ours.p50 / one.mqttjs.p50;
      r.rtt_p99_ratio_vs_mqttjs = one.ours.p99 / one.mqttjs.p99;
      r.rtt_p50_ratio_vs_floor = one.ours.p50 / one.floor.p50;
      r.rtt_pinned = one.pinned;
      for (const [name, p] of [
        ['one CPU', one],
        ['two CPUs', two],
      ]) {
        if (!p) continue;
        row(
          `hello→received round trip p50, ${name} (ms, median of 5 runs, min–max)`,
          `${fmt3(p.ours.p50)} (${range(p.ours.p50s)})`,
          `${fmt3(p.mqttjs.p50)} (MQTT.js, ${range(p.mqttjs.p50s)}); ${fmt3(p.floor.p50)} (floor, ${range(p.floor.p50s)})`,
          `${x2(p.ours.p50 / p.mqttjs.p50)} MQTT.js, ${x2(p.ours.p50 / p.floor.p50)} floor`,
        );
      }
      row(
        'hello→received round trip p99, one CPU (ms, 2,000 round trips)',
        fmt3(one.ours.p99),
        `${fmt3(one.mqttjs.p99)} (MQTT.js); ${fmt3(one.floor.p99)} (floor)`,
        `${x2(r.rtt_p99_ratio_vs_mqttjs)} MQTT.js`,
      );
      if (two) {
        r.rtt_p50_ratio_vs_mqttjs_two_cpus = two.ours.p50 / two.mqttjs.p50;
        r.rtt_p50_ratio_vs_floor_two_cpus = two.ours.p50 / two.floor.p50;
      }
      unpin(broker);

      say('recovery after a broker restart...');
      const rec = await recovery(broker, scale(3, 1));
      r.recovery_ms = rec.ours;
      r.recovery_ratio_vs_mqttjs = rec.ours / rec.peer;
      row(
        'Recovery after broker restart (ms, 1 s backoff, mean of 3)',
        rec.ours.toFixed(0),
        `${rec.peer.toFixed(0)} (MQTT.js)`,
        x2(r.recovery_ratio_vs_mqttjs),
      );

      say('CLI start-up...');
      const cli = await cliStartup(broker.port);
      r.cli_startup_ms = cli.ours;
      r.cli_startup_ratio_vs_raw = cli.ours / cli.floor;
      row(
        '`mqtt-pair pub` start to exit (ms, median of 15, min–max)',
        `${cli.ours.toFixed(1)} (${cli.oursRange})`,
        `${cli.floor.toFixed(1)} (node:net publish, ${cli.floorRange})`,
        x2(r.cli_startup_ratio_vs_raw),
      );

      if (process.env.MODDABLE) {
        const responder = await startResponder(broker.port);
        try {
          const { measureMcsimHeap, mcsimHeapProfile } = await import('./bench/mcsim-heap.mjs');
          const heap = await measureMcsimHeap({ root, port: broker.port, responder, say });
          const esp1 = heap.ours.bytes - heap.empty.bytes,
            anchor = heap['moddable-mqtt'].bytes - heap.empty.bytes;
          Object.assign(r, {
            mcsim_heap_added_bytes_esp1: esp1,
            mcsim_heap_added_bytes_moddable_mqtt: anchor,
            mcsim_heap_ratio_vs_moddable_mqtt: esp1 / anchor,
            mcsim_heap_empty_bytes: heap.empty.bytes,
          });
          row(
            'mcsim: XS heap a running ESP#1 adds to an empty app (bytes, after Debug.gc(), 25 hellos)',
            fmt(esp1),
            `${fmt(anchor)} (Moddable's mqtt module, QoS 0 only)`,
            x2(esp1 / anchor),
          );
          if (heap['ours-usb']) {
            r.mcsim_heap_added_bytes_esp1_usb = heap['ours-usb'].bytes - heap.empty.bytes;
            row('mcsim: the same ESP#1 with its USB port open for Improv (bytes)', fmt(r.mcsim_heap_added_bytes_esp1_usb), '', '');
          }
          row('mcsim: the empty app (a timer), for reference (bytes)', fmt(heap.empty.bytes), '', '');
          const p = await mcsimHeapProfile({ root, port: broker.port, responder, say });
          r.mcsim_heap_profile = p;
          row(
            'mcsim profile: host, client and role, WiFi up, connected, running (bytes added)',
            [p.host - p.start, p.client - p.host, p.wifi - p.client, p.connected - p.wifi, p.steady - p.connected].map(fmt).join(', '),
            '',
            '',
          );
        } finally {
          responder.end();
        }
      } else {
        say('MODDABLE is not set: the mcsim heap rows need the Moddable SDK 8.2.3 (export MODDABLE=<the SDK> PATH=$MODDABLE/build/bin/lin/release:$PATH)');
        r.mcsim_heap_added_bytes_esp1 = r.mcsim_heap_added_bytes_moddable_mqtt = r.mcsim_heap_ratio_vs_moddable_mqtt = null;
      }
    } finally {
      unpin(broker);
      await broker.stop();
    }
  } else {
    say('Mosquitto not found: broker figures skipped (apt-get install mosquitto)');
  }

  row('Client bundle, minified / gzipped (bytes)', `${fmt(client.min)} / ${fmt(client.gzip)}`, '', '');
  row('Firmware bundle (hosts/moddable/main.ts), minified / gzipped (bytes)', `${fmt(firmware.min)} / ${fmt(firmware.gzip)}`, '', '');

  try {
    const { measureHeap } = await import('../hosts/xsnap/runner.mjs');
    if (!mosquittoAvailable()) throw new Error('needs Mosquitto');
    say('XS heap in xsnap (a second view)...');
    const heapBroker = await startMosquitto({ persistence: false });
    let heap;
    try {
      heap = await measureHeap({ broker: `127.0.0.1:${heapBroker.port}` });
    } finally {
      await heapBroker.stop();
    }
    r.xs_heap_added_bytes_esp1 = heap.board.bytes;
    r.xs_heap_code_bytes = heap.code.bytes;
    row('xsnap (second view, no Moddable host): XS heap added by ESP#1 (bytes)', fmt(heap.board.bytes), '', '');
  } catch (e) {
    say(`XS heap in xsnap not measured: ${e.message}`);
    r.xs_heap_added_bytes_esp1 = null;
  }

  if (json) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  printReport(rows, { taskset });
}

/** Settles when the run is over; `mqtt-pair bench` awaits it. */
export const done = process.env.BENCH_NO_MAIN
  ? Promise.resolve()
  : main().catch((e) => {
      console.error(`bench failed: ${e.message}`);
      process.exitCode = 1;
    });
