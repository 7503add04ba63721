// A node:test reporter that prints nothing while the tests run and, at the end, when tests were
// skipped for want of something (a reason `needs <Thing>: …`, see needs.mjs), one line naming
// those things and the one command that brings them. `npm test` runs it beside the spec reporter.
import { THINGS, installCommand } from './needs.mjs';

export default async function* skipSummary(source) {
  const missing = new Map(); // thing -> tests skipped
  let other = 0;
  for await (const event of source) {
    // Tests, as node:test counts them (a skipped suite's tests are not reported one by one).
    if (event.type !== 'test:pass' || !event.data.skip || event.data.details?.type === 'suite') continue;
    const m = typeof event.data.skip === 'string' ? /^needs ([^:]+):/.exec(event.data.skip) : null;
    if (m && THINGS[m[1]]) missing.set(m[1], (missing.get(m[1]) ?? 0) + 1);
    else other++;
  }
  if (!missing.size) return;
  const n = [...missing.values()].reduce((a, b) => a + b, 0);
  const things = [...missing.keys()];
  const names = things.map((t) => `${t} (${missing.get(t)})`).join(', ');
  yield `\nSkipped ${n} test${n > 1 ? 's' : ''} for want of ${names}${other ? `, and ${other} for other reasons` : ''}. To run them: ${installCommand(things)}\n`;
}
