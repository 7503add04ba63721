// The xsnap firmware that also runs a student's program (src/program/): main.ts, plus the
// program's API and its Compartment. The runner loads this bundle instead of main.ts's only when
// a program runs, so a board without one carries none of this code.
import { setProgramStarter } from './main';
import { compartmentRunner } from '../../src/program/compartment';
import { startProgramBoard } from '../../src/program/program';
import { readProgram } from '../../src/setup/program-store';

setProgramStarter(
  (host, config, source, about) => {
    const program = compartmentRunner() ?? undefined;
    return startProgramBoard(Object.create(host, { program: { value: program } }), config, source, undefined, about);
  },
  (store, log) => readProgram(store, (why) => log(`Program error: ${why}; running the role instead`)),
  compartmentRunner,
);
