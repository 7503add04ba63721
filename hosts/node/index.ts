// The library, for Node: the client, the codec, the Node host, the firmware's modules and the
// simulated board (dist/index.js). The commands are apart, in dist/cli.cjs.
export * from '../../src/mqtt/codec';
export * from '../../src/mqtt/codec-server';
export * from '../../src/mqtt/topic';
export * from '../../src/mqtt/client';
export type * from '../../src/host';
export * from './host';
export * from './socket';
export * from './tls';
export * from './ws';
export * from '../../src/endpoint';
export * from '../../src/apps/config';
export * from '../../src/apps/board';
export * from '../../src/apps/events';
export * from '../../src/apps/pair-protocol';
export * from '../../src/apps/roles';
export * from '../../src/apps/sensor';
export * from '../../src/apps/remote';
export * from '../../src/apps/wifi';
export * from './sim';
export * as improv from '../../src/setup/improv';
export * from '../../src/setup/settings';
export * from '../../src/setup/setup';
export * from '../../src/setup/page';
export * from '../../src/program/program';
export * from './program';
export * as programStore from '../../src/program/store';
