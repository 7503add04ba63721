// What can be wrong with a class's roster or state file, as a code and its facts: the domain says
// which, the command words it in the teacher's language (tools/words/cli.ts, setupLine).

import { UsageError } from '../usage-error';

export type SetupProblem =
  /** A roster's line with more than two names. */
  | { code: 'onePairALine'; line: number; shown: string }
  /** A name refused (studentName's why). */
  | { code: 'badName'; line: number; shown: string; name: string; why: 'chars' | 'compat' | 'mixed'; scripts: string[] }
  /** A name already on line `first` as `other` (the same name, or one that reads alike). */
  | { code: 'nameTwice'; line: number; name: string; first: number; other: string }
  /** A roster with no name. */
  | { code: 'noName' }
  | { code: 'tooManyPairs'; pairs: number; max: number }
  /** The state file is not what setup writes. */
  | { code: 'badState'; file: string }
  /** The state file stayed locked by another setup for `seconds`. */
  | { code: 'locked'; lock: string; seconds: number }
  /** The serialport package (optional, native) is not installed. */
  | { code: 'noSerialPackage' }
  /** --replace NAME: NAME is on no line of the roster. */
  | { code: 'notOnRoster'; name: string; roster: string };

/** A SetupProblem thrown: a UsageError whose line the command makes from `problem`. */
export class SetupError extends UsageError {
  constructor(readonly problem: SetupProblem) {
    super(problem.code);
    this.name = 'SetupError';
  }
}
