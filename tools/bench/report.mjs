// How the bench sums up and writes its figures: medians and percentiles, the numbers as the
// markdown table shows them, and the table itself under a line about the machine.
import { cpus, loadavg, totalmem } from 'node:os';

export const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor((s.length - 1) / 2)];
};
export const range = (a) => `${fmt3(Math.min(...a))}–${fmt3(Math.max(...a))}`;

export function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export function fmt(n) {
  return Math.round(n).toLocaleString('en-US');
}
export function fmt3(n) {
  return n.toFixed(3);
}
export function x2(n) {
  return `${n.toFixed(2)}×`;
}
export function sizeName(n) {
  return n >= 1024 ? `${n / 1024} KB` : `${n} B`;
}

/** The markdown table of `rows` ([figure, ours, peers, ratio]), under the machine it ran on (`taskset`: its path, or null when nothing was pinned). */
export function printReport(rows, { taskset }) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}${taskset ? '' : ' (no taskset: nothing pinned)'}\n`,
  );
  console.log('| Figure | mqtt-pair | Peers | Ratio |');
  console.log('|---|---|---|---|');
  for (const cells of rows) console.log(`| ${cells.join(' | ')} |`);
}
