// The tests' Mosquitto: the same launcher the benchmark uses, with its skip helpers.
export * from '../../tools/mosquitto.mjs';

import { after, before } from 'node:test';
import { startMosquitto } from '../../tools/mosquitto.mjs';

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
