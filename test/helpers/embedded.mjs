// The embedded broker (Aedes, as `npm start` runs it), from the tests' entry (dist/testing.js): the
// library (dist/index.js) has no broker.
export { startEmbeddedBroker } from '../../dist/testing.js';
