// Everything Node-side code (the CLI, the simulator, the tests) imports, from one bundle.
export * from '../../src/mqtt/codec';
export * from '../../src/mqtt/topic';
export * from '../../src/mqtt/client';
export type * from '../../src/host';
export * from './host';
export * from './tls';
export * from './ws';
export * from '../../src/apps/config';
export * from '../../src/apps/board';
export * from '../../src/apps/roles';
export * from '../../src/apps/sensor';
export * from '../../src/apps/remote';
export * from '../../src/apps/wifi';
export * from './sim';
export * as improv from '../../src/setup/improv';
export * from '../../src/setup/settings';
export * from '../../src/setup/setup';
export * from '../../src/setup/page';
