// A node:test reporter that prints nothing while the tests run and, at the end, when tests were
// skipped for want of something (a reason `needs <Thing>: …`, see needs.mjs), one line naming
// those things and the one command that brings them. `npm test` runs it beside the spec reporter.
import { THINGS, installCommand } from './needs.mjs';

const plural = (n, word) => `${n} ${word}${n > 1 ? 's' : ''}`;

export default async function* skipSummary(source) {
  const missing = new Map(); // thing -> { tests, groups } skipped
  let other = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' || !event.data.skip) continue;
    // A skipped describe is reported once, as a suite; its tests are not reported one by one.
    const suite = event.data.details?.type === 'suite';
    const m = typeof event.data.skip === 'string' ? /^needs ([^:]+):/.exec(event.data.skip) : null;
    if (!m || !THINGS[m[1]]) {
      other++;
      continue;
    }
    const n = missing.get(m[1]) ?? { tests: 0, groups: 0 };
    if (suite) n.groups++;
    else n.tests++;
    missing.set(m[1], n);
  }
  if (!missing.size) return;
  const things = [...missing.keys()];
  const what = things
    .map((t) => {
      const { tests, groups } = missing.get(t);
      const counted = [tests && plural(tests, 'test'), groups && plural(groups, 'group')].filter(Boolean).join(' and ');
      return `${t} (${THINGS[t].tests ? `${THINGS[t].tests}: ` : ''}${counted})`;
    })
    .join(', ');
  yield `\nSkipped for want of ${what}${other ? `; ${other} more for other reasons` : ''}. To run them: ${installCommand(things)}\n`;
}
