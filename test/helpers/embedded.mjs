// The embedded broker (Aedes, as `npm start` runs it), from the command's bundle: the library
// (dist/index.js) has no broker.
import { createRequire } from 'node:module';

export const { startEmbeddedBroker } = createRequire(import.meta.url)('../../dist/cli.cjs');
