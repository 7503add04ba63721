// Node's modules that only some connections need, loaded on first use: `mqtt-pair pub` to a
// plain mqtt:// broker starts without reading TLS or crypto (measured by npm run bench).
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export const tls = (): typeof import('node:tls') => load('node:tls');
export const crypto = (): typeof import('node:crypto') => load('node:crypto');
