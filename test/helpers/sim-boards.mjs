// Simulated boards on the tests' quick clocks (hellos every 50 ms, reconnects within 300 ms), each
// stopped when the test file ends.
import { after } from 'node:test';
import { SimBoard } from '../../dist/index.js';

const boards = [];
after(() => {
  for (const b of boards) b.stop();
});

/** A started SimBoard named `name`, with `config` over the quick defaults; `extra` more options. */
export function board(name, config, extra = {}) {
  const b = new SimBoard({ name, config: { interval: 50, backoffMin: 100, backoffMax: 300, ...config }, print: () => {}, restartDelay: 50, ...extra });
  boards.push(b);
  return b.start();
}
