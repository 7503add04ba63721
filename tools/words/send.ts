// The words of « Envoyer à ma carte » (the students' page's Program tab): the student's program sent
// to their own board over USB (Web Serial), in French and in English. The board's own Improv errors
// are keyed by their codes (docs/improv.md).

import { INVALID_PROGRAM, UNKNOWN_ERROR, UNKNOWN_RPC } from '../../src/setup/improv';
import type { ProgramRefusal } from '../setup/improv-client';
import { refusedLine } from '../setup/send-program';
import { programRefusal } from './program-refusal';
import { restartCause, stopReason } from './program-stop';

export interface SendWords {
  title: string;
  help: string;
  send: string;
  clear: string;
  /** The button that connects and asks the board what it runs. */
  check: string;
  /** Its answers: a program kept (its name), none (the built-in role), safe mode (the notice says more). */
  keeps(name: string): string;
  builtIn: string;
  safe: string;
  console: string;
  /** Where Web Serial is missing: which browsers have it, and the command that does the same. */
  noSerial: string;
  /** Web Serial is there, but only for pages served over https or from this computer. */
  noSerialInsecure: string;
  orCommand: string;
  /** The command's port, as a person reads it in the line to copy. */
  portHint: string;
  copy: string;
  copied: string;
  /** No clipboard (a plain http page): the line is selected instead. */
  selected: string;
  opening: string;
  identifying: string;
  sending(percent: number): string;
  storing: string;
  restarting: string;
  /** The board runs the program it was sent. */
  runs: string;
  /** The board refused the program: the reason's code and facts it sent (tools/words/program-refusal.ts). */
  refused(r: ProgramRefusal): string;
  /**
   * The board runs without the program (safe mode): stopped `stops` times in a row, the last for
   * `code` (`l`, `m`, `s`, `r`: src/setup/program-store.ts's StopCode), and what the student can do.
   */
  safeMode(stops: number, code: string): string;
  /** The board's program stopped on an error of its own, at this line. */
  runtimeError(line: number | null, why: string): string;
  /** The board stopped the program (`code` as in safeMode) and restarts: `count` stops in a row of the `of` that make safe mode. */
  stopped(code: string, count: number, of: number): string;
  /** The board restarted: the program's last run stopped without a word then (memory full, a reset…), `count` of `of`; at `of`, safe mode. */
  restarted(code: string, count: number, of: number): string;
  /** After a stop said: the program runs again (the board started it once more). */
  runsAgain: string;
  clearing: string;
  cleared: string;
  nothingToClear: string;
  notBoard: string;
  /** The board stopped answering in the middle (unplugged, or restarting). */
  noAnswer: string;
  /** The port closed (the board unplugged, or another tool took it). */
  portClosed: string;
  empty: string;
  tooLarge(bytes: number, max: number): string;
  /** The board's Improv errors, by code; another code as a number. */
  improv: Record<number, string>;
  improvOther(code: number): string;
}

export const fr: SendWords = {
  title: 'Ma carte',
  help: 'Branche ta carte par USB, puis choisis son port : le programme de l’éditeur part sur la carte, qui le garde et le lance.',
  send: 'Envoyer à ma carte',
  clear: 'Revenir au rôle de départ',
  check: 'Que fait ma carte ?',
  keeps: (name) => `Ta carte garde le programme « ${name} » et le lance à chaque démarrage.`,
  builtIn: 'Ta carte n’a pas de programme : elle joue son rôle de départ.',
  safe: 'Ta carte ne lance plus ton programme :',
  console: 'Console de la carte',
  noSerial: 'Ce navigateur ne parle pas aux cartes par USB (Web Serial) : prends Chrome, Edge ou Firefox 151 et plus, sur un ordinateur.',
  noSerialInsecure:
    'Le navigateur ne parle aux cartes par USB (Web Serial) que sur une page https, ou ouverte sur l’ordinateur même : ce n’est pas le cas de celle-ci (le professeur peut l’autoriser sur ce poste).',
  orCommand: 'Ou télécharge le programme, puis dans un terminal :',
  portHint: 'PORT : COM3 sous Windows, /dev/ttyUSB0 sous Linux, /dev/cu.usbserial-… sous macOS.',
  copy: 'Copier',
  copied: 'Copié.',
  selected: 'Ligne sélectionnée : Ctrl+C pour la copier.',
  opening: 'Ouverture du port…',
  identifying: 'La carte répond-elle ?',
  sending: (p) => `Envoi du programme : ${p} %`,
  storing: 'La carte vérifie et garde le programme…',
  restarting: 'Programme gardé : la carte redémarre pour le lancer…',
  runs: 'Ton programme tourne sur la carte.',
  refused: (r) =>
    r.code === 'syntax'
      ? `La carte refuse le programme et garde celui d’avant. Erreur${refusedLine(r) ? ` ligne ${refusedLine(r)}` : ''} : ${programRefusal('fr', r, false)}`
      : `La carte refuse le programme et garde celui d’avant : ${programRefusal('fr', r)}.`,
  safeMode: (stops, code) =>
    `Ta carte est en mode sans échec : ton programme a été arrêté ${stops} fois de suite (${stopReason('fr', code)}). Elle joue son rôle de départ sans lui. Corrige-le puis « Envoyer à ma carte », ou « Revenir au rôle de départ ».`,
  runtimeError: (line, why) => `Erreur sur la carte${line ? ` ligne ${line}` : ''} : ${why}`,
  stopped: (code, count, of) =>
    `La carte a arrêté ton programme (${stopReason('fr', code)}) et redémarre : ${count} fois de suite sur ${of} avant le mode sans échec.`,
  restarted: (code, count, of) =>
    `La carte a redémarré : ton programme s’était arrêté (${restartCause('fr', code)}), ${count} fois de suite${count < of ? ` sur ${of} avant le mode sans échec.` : ' : elle joue son rôle de départ sans lui (mode sans échec). Corrige-le puis « Envoyer à ma carte », ou « Revenir au rôle de départ ».'}`,
  runsAgain: 'Ton programme tourne à nouveau.',
  clearing: 'La carte efface le programme…',
  cleared: 'Programme effacé : la carte redémarre et reprend son rôle de départ.',
  nothingToClear: 'La carte n’avait pas de programme : elle joue déjà son rôle de départ.',
  notBoard: 'Pas de réponse : est-ce bien une carte avec mqtt-pair ? (Un moniteur série ouvert sur ce port la cache.)',
  noAnswer: 'La carte ne répond plus : est-elle encore branchée ? Réessaie.',
  portClosed: 'Le port s’est fermé : la carte est-elle encore branchée ?',
  empty: 'Le programme est vide.',
  tooLarge: (n, max) => `Le programme fait ${n} octets : une carte en prend ${max} au plus.`,
  improvOther: (code) => `La carte n’a pas pu le faire (erreur Improv 0x${code.toString(16)}) : réessaie.`,
  improv: {
    [UNKNOWN_RPC]: 'La carte ne connaît pas cette commande : son firmware mqtt-pair est trop ancien, demande au professeur de la mettre à jour.',
    [INVALID_PROGRAM]: 'La carte refuse le programme.',
    [UNKNOWN_ERROR]: 'La carte n’a pas pu garder le programme (sa mémoire flash).',
  },
};

export const en: SendWords = {
  title: 'My board',
  help: 'Plug your board in over USB, then pick its port: the editor’s program goes to the board, which keeps it and runs it.',
  send: 'Send to my board',
  clear: 'Back to the built-in role',
  check: 'What is my board doing?',
  keeps: (name) => `Your board keeps the program « ${name} » and runs it each time it starts.`,
  builtIn: 'Your board has no program: it plays its built-in role.',
  safe: 'Your board no longer runs your program:',
  console: 'Board’s console',
  noSerial: 'This browser cannot talk to boards over USB (Web Serial): use Chrome, Edge or Firefox 151 or later, on a computer.',
  noSerialInsecure:
    'The browser talks to boards over USB (Web Serial) only on an https page, or one opened on the computer itself: this one is neither (the teacher can allow it on this computer).',
  orCommand: 'Or download the program, then in a terminal:',
  portHint: 'PORT: COM3 on Windows, /dev/ttyUSB0 on Linux, /dev/cu.usbserial-… on macOS.',
  copy: 'Copy',
  copied: 'Copied.',
  selected: 'Line selected: Ctrl+C to copy it.',
  opening: 'Opening the port…',
  identifying: 'Is the board answering?',
  sending: (p) => `Sending the program: ${p} %`,
  storing: 'The board checks and keeps the program…',
  restarting: 'Program kept: the board restarts to run it…',
  runs: 'Your program runs on the board.',
  refused: (r) =>
    r.code === 'syntax'
      ? `The board refused the program and keeps its previous one. Error${refusedLine(r) ? ` on line ${refusedLine(r)}` : ''}: ${programRefusal('en', r, false)}`
      : `The board refused the program and keeps its previous one: ${programRefusal('en', r)}.`,
  safeMode: (stops, code) =>
    `Your board is in safe mode: your program was stopped ${stops} times in a row (${stopReason('en', code)}). It plays its built-in role without it. Fix it, then « Send to my board », or « Back to the built-in role ».`,
  runtimeError: (line, why) => `Error on the board${line ? ` on line ${line}` : ''}: ${why}`,
  stopped: (code, count, of) => `The board stopped your program (${stopReason('en', code)}) and restarts: ${count} in a row of the ${of} before safe mode.`,
  restarted: (code, count, of) =>
    `The board restarted: your program had stopped (${restartCause('en', code)}), ${count} in a row${count < of ? ` of the ${of} before safe mode.` : ': it plays its built-in role without it (safe mode). Fix it, then « Send to my board », or « Back to the built-in role ».'}`,
  runsAgain: 'Your program runs again.',
  clearing: 'The board removes the program…',
  cleared: 'Program removed: the board restarts into its built-in role.',
  nothingToClear: 'The board had no program: it plays its built-in role already.',
  notBoard: 'No answer: is it a board with mqtt-pair? (A serial monitor open on this port hides it.)',
  noAnswer: 'The board stopped answering: is it still plugged in? Try again.',
  portClosed: 'The port closed: is the board still plugged in?',
  empty: 'The program is empty.',
  tooLarge: (n, max) => `The program is ${n} bytes long: a board takes ${max} at most.`,
  improvOther: (code) => `The board could not do it (Improv error 0x${code.toString(16)}): try again.`,
  improv: {
    [UNKNOWN_RPC]: 'The board does not know this command: its mqtt-pair firmware is too old, ask the teacher to update it.',
    [INVALID_PROGRAM]: 'The board refuses the program.',
    [UNKNOWN_ERROR]: 'The board could not keep the program (its flash memory).',
  },
};
