// The example programs a student starts from (issue 28's API: mqtt, every, after, cancel, print,
// board), in the registry's order (src/apps/registry.ts), the tutorial's ESP#1 and ESP#2 first:
// the built-in roles' own programs (src/apps/builtin/*.js, read by the build: programs/source.mjs),
// the text the board runs. Topics are relative to the board's prefix, so one program serves every
// pair.

import helloCode from '../../src/apps/builtin/hello.js?source';
import responderCode from '../../src/apps/builtin/responder.js?source';
import chatCode from '../../src/apps/builtin/chat.js?source';
import actuatorCode from '../../src/apps/builtin/actuator.js?source';
import sensorCode from '../../src/apps/builtin/sensor.js?source';
import remoteCode from '../../src/apps/builtin/remote.js?source';
import { REGISTRY } from '../../src/apps/registry';

export interface ExampleProgram {
  /** The role it plays, as `role=` names it (the registry's key). */
  id: string;
  title: { fr: string; en: string };
  code: string;
  /** The built-in role written as a program, behaving as the board's role (not a program of the same idea). */
  builtin: boolean;
}

/** The built-in roles' programs, as text, by key. */
const BUILTIN_CODE: Record<string, string> = {
  hello: helloCode,
  responder: responderCode,
  chat: chatCode,
  actuator: actuatorCode,
  sensor: sensorCode,
  remote: remoteCode,
};

export const EXAMPLES: readonly ExampleProgram[] = REGISTRY.map((r) => ({ id: r.key, title: r.label, code: BUILTIN_CODE[r.key], builtin: true }));
