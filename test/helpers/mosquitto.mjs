// The tests' Mosquitto: the same launcher the benchmark uses, with its skip helpers.
export * from '../../tools/mosquitto.mjs';

import { after, before } from 'node:test';
import { needMosquitto, startMosquitto } from '../../tools/mosquitto.mjs';

/** A Mosquitto (started with `options`) for the test `t`, stopped once the test is over; null when
 *  `t` is skipped for want of one (needMosquitto). */
export async function mosquittoFor(t, options) {
  if (!needMosquitto(t)) return null;
  const broker = await startMosquitto(options);
  t.after(() => broker.stop());
  return broker;
}

/** A Mosquitto for the tests of one describe: started with `options` before them, stopped after
 *  them once every client in `live` (the file's Set of clients) is ended. Returns it, as a getter. */
export function mosquittoAround(options, live) {
  let broker;
  before(async () => {
    broker = await startMosquitto(options);
  });
  after(async () => {
    for (const c of live) c.end();
    live.clear();
    await broker?.stop();
  });
  return () => broker;
}
