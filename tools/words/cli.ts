// The words of the commands a class types (chat, sim, remote, actuator, watch, classroom, and the
// errors every command shares), one table per language. The language is --lang where a command has
// it, else the locale a French teacher's computer sets (LC_ALL, LC_MESSAGES, LANG: « fr_FR.UTF-8 »).
// The boards' console lines stay in English, as the course prints them.

import type { CloseKind } from '../../src/host';
import type { Verdict } from '../classroom/pair-check';
import type { RosterProblem } from '../classroom/roster';
import type { PairFailure } from '../classroom/view-model';
import type { SetupProblem } from '../setup/problem';
import type { BoardError } from '../setup/improv-client';
import { printable } from '../../src/apps/text';
import { en } from './cli-en';
import { fr } from './cli-fr';
import type { CliWords, VerdictWords } from './cli-words';

export type { CliWords, CloseFacts, VerdictWords } from './cli-words';
export { en, fr };

export type CliLang = 'en' | 'fr';

/** The language of the locale: the first of LC_ALL, LC_MESSAGES, LANG that is set; French when it starts with fr. */
export function localeLang(env: Record<string, string | undefined> = nodeEnv()): CliLang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^fr\b|^fr_/i.test(locale) ? 'fr' : 'en';
}

// tools/words is also type-checked for the browser's pages: Node's process is reached without its types.
function nodeEnv(): Record<string, string | undefined> {
  return (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
}

let chosen: CliLang | undefined;

/** A command's --lang, once read: its messages follow it rather than the locale. */
export function useCliLang(lang: CliLang | undefined): void {
  if (lang) chosen = lang;
}

/** The language the commands speak now. */
export function cliLang(): CliLang {
  return chosen ?? localeLang();
}

/** A class's roster or state file refused (tools/setup/problem.ts; watch's and classroom's roster:
 *  tools/classroom/roster.ts), as the one line the command ends with. */
export function setupLine(p: SetupProblem | RosterProblem, words: CliWords = cliWords()): string {
  const w = words.setup;
  switch (p.code) {
    case 'onePairALine':
      return `${w.onLine(p.line, p.shown)} ${w.onePairALine}`;
    case 'badName':
      return `${w.onLine(p.line, p.shown)} ${w.badName(p.name, p.why, p.scripts)}`;
    case 'nameTwice':
      return `${w.onLine(p.line)} ${w.nameTwice(p.name, p.first, p.other)}`;
    case 'notATopic':
      return `${w.onLine(p.line, p.shown)} ${w.notATopic}`;
    case 'needsClass':
      return w.needsClass(p.name);
    case 'noName':
      return w.noName;
    case 'tooManyPairs':
      return w.tooManyPairs(p.pairs, p.max);
    case 'badState':
      return w.badState(p.file);
    case 'locked':
      return w.locked(p.lock, p.seconds);
    case 'noSerialPackage':
      return w.noSerialPackage;
    case 'notOnRoster':
      return w.notOnRoster(p.name, p.roster);
  }
}

/** Why a pair is not ok (PairCheck's verdict), in `words` (the end of a classroom run's, by default in the commands' language). */
export function verdictLine(v: Verdict, words: VerdictWords = cliWords().classroomEnd.verdict): string {
  const why = (line: string, last: PairFailure | null) => (last ? words.lastError(line, last) : line);
  switch (v.code) {
    case 'crossed':
      return words.crossed(v.count, v.first);
    case 'neverStarted':
      return words.neverStarted;
    case 'noHello':
      return why(words.noHello(v.rounds), v.last);
    case 'noAnswer':
      return why(words.noAnswer(v.rounds, v.sent), v.last);
    case 'answersLost':
      return why(words.answersLost(v.answered), v.last);
    case 'fewRounds':
      return why(words.fewRounds(v.rounds), v.last);
    case 'unseen':
      return words.unseen;
  }
}

/** The words of the language the commands speak now (or of `lang`, a view's --lang). */
export function cliWords(lang: CliLang = cliLang()): CliWords {
  return lang === 'fr' ? fr : en;
}

/** Why a connection ended, in the language of the commands (its words: cli-en.ts, cli-fr.ts). */
export function closeReason(reason: string, kind?: CloseKind, code?: number): string {
  return cliWords().closeReason(reason, kind, code);
}

/** A board's error in the commands' words, from its facts (never its message): `port` as the teacher gave it. */
export function boardErrorLine(e: BoardError, port: string): string {
  const w = cliWords().setup;
  if (e.overflow) return w.overflow(port, e.overflow);
  if (e.noAnswer) return w.noAnswer(port, e.noAnswer);
  if (e.refusal) return w.refused(e.refusal);
  if (e.code !== undefined) return w.boardError(e.code);
  const p = e.problem;
  if (p?.kind === 'otherFirmware') return w.otherFirmware(port, printable(p.firmware));
  if (p?.kind === 'lacks') return w.lacks(p.keys);
  if (p?.kind === 'noWifi') return w.noWifi;
  return w.silent(port);
}
