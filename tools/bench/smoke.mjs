// `npm run bench -- --smoke` (or BENCH_SMOKE=1): every figure measured once, on a handful of
// messages, so that a test can prove in seconds that the bench still runs. Its numbers mean
// nothing; the full run's are the ones docs/performance.md keeps.
export const SMOKE = process.argv.includes('--smoke') || process.env.BENCH_SMOKE === '1';

/** `full` in a real run, `small` in a smoke run. */
export const scale = (full, small) => (SMOKE ? small : full);
