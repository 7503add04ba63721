// What the tests drive directly, beside the library (dist/index.js, hosts/node/index.ts) and the
// command (dist/cli.cjs): built as dist/testing.js, which `npm pack` leaves out (package.json,
// "files"). Nothing here is an API: a name moves or goes when its test changes.

// The parts of the firmware behind the library's list: the endpoint parser's steps, the setup
// state machine and its page, the roles' tables, the WebSocket framing and the socket errors.
export {
  credentials,
  defaultPort,
  hostPort,
  portNumber,
  schemeOf,
  schemeTransport,
  splitHostPort,
  splitUrl,
} from '../src/endpoint';
export { IDLE_MS, Setup } from '../src/setup/setup';
export * as programStore from '../src/setup/program-store';
export { answer, MAX_FORM, parseForm } from '../src/setup/page';
export { contentLength, FormScanner, MAX_HEAD, MAX_LINE, originAllowed, queryName, RequestReader } from '../src/setup/http';
export { roles } from '../src/apps/roles';
export { REGISTRY } from '../src/apps/registry';
export { EXAMPLES } from './programs/examples';
export { sensorTopics } from '../src/apps/sensor';
export { ARROWS, COLOURS, colourOf } from '../src/apps/remote';
export { checkUpgrade, encodeFrame } from '../hosts/node/ws';
export { describeSocketError } from '../hosts/node/socket';

// The command's parts: its broker URL, the embedded broker, the class's tiles and checks, the
// image, the class roster and the Improv client, the class page's server.
export { parseBrokerUrl } from './cli/flags';
export { startEmbeddedBroker } from './broker/embedded';
export { countStates, lookOf, sortTiles } from './classroom/look';
export { parseRoster } from './classroom/roster';
export { BoardCounts, PairCheck } from './classroom/pair-check';
export { ClassObserver } from './classroom/observer';
export { esp8266Plan, makeVariables, planFromFlasherArgs } from './image/flash-plan';
export { chipFamily, serialTypeOf, webToolsManifest, writeFlashLine } from './image/manifest';
export { classSlots, slotFor, slotSettings } from './setup/class-roster';
export { SetupError } from './setup/problem';
export { boardErrorLine, cliWords, setupLine, useCliLang, verdictLine } from './words/cli';
export { tileWords } from './words/en';
export { tileWords as tileWordsFr } from './words/fr';
export { duration } from './words/duration';
export { BoardError, BoardLink, ImprovDecoder, MAX_ROWS, readRefusal } from './setup/improv-client';
export { storeSettings } from './setup/set-up-board';
export { refusalLine } from './words/refusal';
export { programRefusal } from './words/program-refusal';
export { en as sendEn, fr as sendFr } from './words/send';
export { ProgramRefused, refusedLine, sendProgram, storedProgram } from './setup/send-program';
export { en as setupPageEn, fr as setupPageFr } from './words/setup';
export { startWebView } from './view/web';
export { en as explorerEn, fr as explorerFr } from './words/explorer';
export { filterWhy, topicWhy } from './cli/topic-why';
