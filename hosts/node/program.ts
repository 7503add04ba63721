// A student's program on Node (the simulator): node:vm, a context of its own whose globals are the
// API src/program/ builds, with code generation from strings refused (no eval, no Function).
//
// Node has no Compartment. A vm context is not a security boundary: the API's functions come from
// this realm, so a determined program can climb from them to Node (`print.constructor`). On Node
// the program is the student's own, run on their own computer, as `node program.js` would; the
// sandbox that holds is XS's (src/program/compartment.ts), on the boards and in xsnap.
import { Script, createContext } from 'node:vm';
import type { ProgramPlace, ProgramRunner } from '../../src/host';

const FILE = 'program.js';
// A module is strict: so is the program here, with the directive on its first line, columns kept.
const STRICT = "'use strict';";

export function nodeProgramRunner(): ProgramRunner {
  return {
    run(source: string, globals: Record<string, unknown>): void {
      const context = createContext(Object.assign(Object.create(null), globals), { codeGeneration: { strings: false, wasm: false } });
      // A static import fails to compile here as in XS, where the program's compartment has no modules.
      new Script(STRICT + source, { filename: FILE, columnOffset: -STRICT.length }).runInContext(context);
    },
    compile(source: string): void {
      new Script(STRICT + source, { filename: FILE, columnOffset: -STRICT.length });
    },
    where(error: unknown): ProgramPlace | null {
      const stack = typeof error === 'object' && error !== null ? (error as { stack?: unknown }).stack : undefined;
      if (typeof stack !== 'string') return null;
      // A frame (program.js:LINE:COLUMN) if there is one; a syntax error has only program.js:LINE.
      const frame = /program\.js:(\d+):(\d+)/.exec(stack);
      if (frame) return { line: Number(frame[1]), column: Number(frame[2]) };
      const m = /program\.js:(\d+)/.exec(stack);
      return m ? { line: Number(m[1]) } : null;
    },
  };
}
