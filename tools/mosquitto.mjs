// The harness that starts a private Mosquitto for a test file or the benchmark, in one import:
//   tools/mosquitto/installed.mjs   what is installed (the broker, its tools, its dynsec plugin),
//                                   and whether a test skips without it (mosquittoSkip, needMosquitto)
//   tools/mosquitto/ports.mjs       a free port of 127.0.0.1, and waiting until one listens
//   tools/mosquitto/config.mjs      a broker's mosquitto.conf and the files beside it
//   tools/mosquitto/broker.mjs      startMosquitto(): start, stop, restart
//   tools/mosquitto/sub.mjs         mosquittoSub(): Mosquitto's own subscriber
// test/helpers/mosquitto.mjs re-exports it for the tests.
export { startMosquitto } from './mosquitto/broker.mjs';
export { dynsecPlugin, findExecutable, mosquittoAvailable, mosquittoBinary, mosquittoSkip, mosquittoTool, needMosquitto } from './mosquitto/installed.mjs';
export { freePort, listening, waitForPort } from './mosquitto/ports.mjs';
export { mosquittoSub, retainedOn } from './mosquitto/sub.mjs';
