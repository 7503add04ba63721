// The brokers' and boards' test harness lives in tools/harness/ (the benchmark uses it too).
export * from '../../tools/harness/moddable.mjs';
