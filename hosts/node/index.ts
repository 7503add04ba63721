// The library, for Node (dist/index.js): a list chosen name by name, what the README's "The client
// API" section documents. What is not here is internal, free to change: the tests reach the parts
// they drive directly through dist/testing.js (tools/testing.ts), which is not published. The
// commands are apart, in dist/cli.cjs.

// The client, and the rules of topics and filters.
export { CONNACK_ERRORS, MqttClient, MqttError, payloadText } from '../../src/mqtt/client';
export type { ClientOptions, Done, Message, MessageHandler, QoS } from '../../src/mqtt/client';
export { filterError, matches, topicError } from '../../src/mqtt/topic';

// The codec: MQTT 3.1.1 packets to bytes and back, for a client (Decoder) and a broker (BrokerDecoder).
export {
  CONNACK,
  CONNECT,
  DISCONNECT,
  Decoder,
  MAX_REMAINING_LENGTH,
  PINGREQ,
  PINGRESP,
  ProtocolError,
  PUBACK,
  PUBCOMP,
  PUBLISH,
  PUBREC,
  PUBREL,
  SUBACK,
  SUBSCRIBE,
  UNSUBACK,
  UNSUBSCRIBE,
  decodeUtf8,
  encode,
  encodeUtf8,
  utf8Length,
} from '../../src/mqtt/codec';
export type { Ack, Bare, Connack, Connect, Packet, Publish, Skipped, Suback, Subscribe, Unsubscribe, Will } from '../../src/mqtt/codec';
export { BrokerDecoder } from '../../src/mqtt/codec-server';

// What a host gives the client and the firmware (src/host.ts), and the Node host.
export type { CloseKind, Connection, ConnectionEvents, Endpoint, Firing, Host, TimerHandle, Transport, WiFi, WiFiEvent, WiFiEvents } from '../../src/host';
export { connectTcp, nodeHost } from './host';
export type { NodeHostOptions } from './host';
export { connectTls, readCaFile } from './tls';
export { connectWs } from './ws';

// The endpoint parser: a broker's URL (mqtt://, mqtts://, ws://, wss://) to an Endpoint, and back,
// its password hidden.
export { BROKER_FORMS, brokerEndpoint, brokerName, brokerUrl, redact } from '../../src/endpoint';
export { ConfigError, parseBroker } from '../../src/apps/config';

// The firmware's config and its checks, and the settings a board stores at run time.
export { ROLES, checkConfig, readConfig } from '../../src/apps/config';
export type { BoardConfig } from '../../src/apps/config';
export {
  SETTINGS,
  checkChanges,
  clearStored,
  effective,
  mergedConfig,
  missingSettings,
  readStored,
  settingMessage,
  shownValue,
  storeChanges,
} from '../../src/setup/settings';
export type { CheckOptions, RefusalCode, SettingField, SettingProblem, Settings, SettingsStore } from '../../src/setup/settings';

// Improv Wi-Fi's codec, both ends (src/setup/improv.ts), as one namespace.
export * as improv from '../../src/setup/improv';

// The simulated board: the firmware on Node, and its events.
export { SimBoard, SimWiFi } from './sim';
export type { SimBoardOptions } from './sim';
export { startBoard } from '../../src/apps/board';
export type { Board } from '../../src/apps/board';
export { eventLine } from '../../src/apps/events';
export type { BoardEvent, BoardListener } from '../../src/apps/events';

// A student's program on a board (docs/programs.md): the board that runs it, and the Node runner.
export { MAX_SOURCE, startProgramBoard } from '../../src/program/program';
export type { ProgramHost } from '../../src/program/program';
export { nodeProgramRunner } from './program';
// Its stops counted and safe mode, as a board keeps them in its flash (xsnap's runner shares them).
