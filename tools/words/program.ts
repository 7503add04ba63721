// The program editor's words (the « Programme » tab of the students' page, and its Worker), in
// English and in French: the API's one line of help each, the buttons, and what the page says of a
// running program. Plain data and small functions: the page's script and its Worker bundle them.

/** The program's API, as the editor offers it: each name with its signature. */
export const API = [
  ['mqtt.subscribe', 'mqtt.subscribe(topic, (topic, message) => { … })'],
  ['mqtt.unsubscribe', 'mqtt.unsubscribe(topic)'],
  ['mqtt.publish', 'mqtt.publish(topic, message, { qos: 0, retain: false })'],
  ['every', 'every(ms, () => { … })'],
  ['after', 'after(ms, () => { … })'],
  ['cancel', 'cancel(handle)'],
  ['print', 'print(…values)'],
  ['board.name', 'board.name'],
  ['board.prefix', 'board.prefix'],
  ['board.peer', 'board.peer'],
  ['board.led', 'board.led(on)'],
  ['board.button', 'board.button()'],
  ['board.colour', "board.colour('green')"],
  ['board.sensor', 'board.sensor()'],
  ['board.buttons', 'board.buttons'],
  ['board.on', "board.on('connected' | 'disconnected', () => { … }), board.on('button', (command) => { … })"],
] as const;

export type ApiName = (typeof API)[number][0];

export interface ProgramWords {
  /** One line of help for each name of the API. */
  help: Record<ApiName, string>;
  tab: string;
  intro: string;
  examples: string;
  pickExample: string;
  /** Asked before an example replaces a program that was typed. */
  replace: string;
  run: string;
  stop: string;
  download: string;
  load: string;
  pair: string;
  prefixIs: string;
  led: string;
  button: string;
  output: string;
  limits(perSecond: number, prints: number, seconds: number): string;
  needConnection: string;
  running(prefix: string): string;
  stopped: string;
  runaway(seconds: number): string;
  lost: string;
  syntaxError(line: number | null, message: string): string;
  runtimeError(line: number | null, message: string): string;
  moreErrors: string;
  printCut(n: number, perSecond: number): string;
  publishCut(n: number, perSecond: number): string;
  incomingCut(n: number): string;
  tooLarge(kb: number): string;
  fileTooLarge(kb: number): string;
  fileNotText: string;
  loaded(name: string): string;
  /** Thrown in the program: a bad argument to the API, in its words. */
  badTopic(problem: string): string;
  badCallback(name: string): string;
  badMs(name: string): string;
  tooMany(what: string, max: number): string;
  messageTooLong(kb: number): string;
  badColour(names: string): string;
  notAllowed: string;
  connectedAgain: string;
  disconnected: string;
  /** The editor's script did not load (the server stopped?). */
  editorFailed: string;
}

export const en: ProgramWords = {
  help: {
    'mqtt.subscribe': 'Calls the function with (topic, message) for each message on this topic (under the board’s prefix).',
    'mqtt.unsubscribe': 'Stops receiving this topic.',
    'mqtt.publish': 'Publishes a message on this topic (under the board’s prefix); qos 0, 1 or 2, retain true to keep it.',
    every: 'Calls the function every ms milliseconds; returns a handle for cancel.',
    after: 'Calls the function once, after ms milliseconds; returns a handle for cancel.',
    cancel: 'Stops what every or after started.',
    print: 'Writes a line under the editor (the board’s console).',
    'board.name': 'The board’s name.',
    'board.prefix': 'The board’s topic prefix, put in front of every topic.',
    'board.peer': 'The name of the board’s partner in the chat (its peer setting), or empty.',
    'board.led': 'Turns the board’s LED on (true) or off (false).',
    'board.button': 'true while the board’s button is pressed.',
    'board.colour': 'Shows a colour on the board’s LED: red, green, blue, yellow, cyan, magenta, white or off.',
    'board.sensor': 'A reading of the board’s sensor, { temperature, pressure } in °C and hPa, or null without a sensor (as here).',
    'board.buttons': 'true when the board has buttons that send commands (here: the board’s button, which sends up).',
    'board.on': 'Calls the function when the board connects to the broker, or loses it; with button, at each press, with its command.',
  },
  tab: 'Program',
  intro: 'Write the program of a board, and run it here as a simulated board on the class’s broker.',
  examples: 'Examples',
  pickExample: 'Open an example…',
  replace: 'Replace your program with this example? (Download it first to keep it.)',
  run: 'Run here',
  stop: 'Stop',
  download: 'Download (.js)',
  load: 'Open a .js file',
  pair: 'Pair’s name (prefix)',
  prefixIs: 'Topics under',
  led: 'LED',
  button: 'Board’s button',
  output: 'Console',
  limits: (p, l, s) =>
    `The page sends at most ${p} messages a second and shows at most ${l} lines a second; a program that does not give control back for ${s} s is stopped.`,
  needConnection: 'Connect first (your first name and your partner’s, above): the program runs on that connection.',
  running: (prefix) => `The program runs, as a simulated board, under ${prefix}`,
  stopped: 'Program stopped.',
  runaway: (s) => `Program stopped: it did not give control back for ${s} s (a loop that never ends, such as while (true) {}?).`,
  lost: 'Connection lost: the program waits for it.',
  syntaxError: (line, m) => `Syntax error${line ? ` on line ${line}` : ''}: ${m}`,
  runtimeError: (line, m) => `Error${line ? ` on line ${line}` : ''}: ${m}`,
  moreErrors: 'More errors: not shown.',
  printCut: (n, p) => `${n} lines not shown: at most ${p} a second.`,
  publishCut: (n, p) => `${n} messages not sent: at most ${p} a second, the broker is the whole class’s.`,
  incomingCut: (n) => `${n} messages received not given to the program: too many at once.`,
  tooLarge: (kb) => `The program is too long: ${kb} KB at most.`,
  fileTooLarge: (kb) => `This file is too large for a program: ${kb} KB at most.`,
  fileNotText: 'This file is not text (UTF-8): it is not a program.',
  loaded: (name) => `Opened ${name}.`,
  badTopic: (p) => `topic: ${p}`,
  badCallback: (name) => `${name} needs a function`,
  badMs: (name) => `${name} needs a number of milliseconds`,
  tooMany: (what, max) => `at most ${max} ${what}`,
  messageTooLong: (kb) => `a message is at most ${kb} KB`,
  badColour: (names) => `board.colour: the colour is one of ${names}`,
  notAllowed: 'not available in a program',
  connectedAgain: 'Connected again.',
  disconnected: 'Disconnected.',
  editorFailed: 'The editor did not load: is the teacher’s page still running? Open the tab again to retry.',
};

export const fr: ProgramWords = {
  help: {
    'mqtt.subscribe': 'Appelle la fonction avec (topic, message) à chaque message sur ce topic (sous le préfixe de la carte).',
    'mqtt.unsubscribe': 'Ne reçoit plus ce topic.',
    'mqtt.publish': 'Publie un message sur ce topic (sous le préfixe de la carte) ; qos 0, 1 ou 2, retain true pour le garder.',
    every: 'Appelle la fonction toutes les ms millisecondes ; rend une poignée pour cancel.',
    after: 'Appelle la fonction une fois, dans ms millisecondes ; rend une poignée pour cancel.',
    cancel: 'Arrête ce que every ou after a lancé.',
    print: 'Écrit une ligne sous l’éditeur (la console de la carte).',
    'board.name': 'Le nom de la carte.',
    'board.prefix': 'Le préfixe de la carte, mis devant chaque topic.',
    'board.peer': 'Le nom du partenaire de la carte pour le chat (son réglage peer), ou vide.',
    'board.led': 'Allume (true) ou éteint (false) la LED de la carte.',
    'board.button': 'true tant que le bouton de la carte est appuyé.',
    'board.colour': 'Montre une couleur sur la LED de la carte : red, green, blue, yellow, cyan, magenta, white ou off.',
    'board.sensor': 'Une mesure du capteur de la carte, { temperature, pressure } en °C et hPa, ou null sans capteur (comme ici).',
    'board.buttons': 'true quand la carte a des boutons qui envoient des commandes (ici : le bouton de la carte, qui envoie up).',
    'board.on': 'Appelle la fonction quand la carte se connecte au broker, ou perd la connexion ; avec button, à chaque appui, avec sa commande.',
  },
  tab: 'Programme',
  intro: 'Écris le programme d’une carte, et lance-le ici comme une carte simulée sur le broker de la classe.',
  examples: 'Exemples',
  pickExample: 'Ouvrir un exemple…',
  replace: 'Remplacer ton programme par cet exemple ? (Télécharge-le d’abord pour le garder.)',
  run: 'Lancer ici',
  stop: 'Arrêter',
  download: 'Télécharger (.js)',
  load: 'Ouvrir un fichier .js',
  pair: 'Nom du binôme (préfixe)',
  prefixIs: 'Topics sous',
  led: 'LED',
  button: 'Bouton de la carte',
  output: 'Console',
  limits: (p, l, s) =>
    `La page envoie au plus ${p} messages par seconde et affiche au plus ${l} lignes par seconde ; un programme qui ne rend pas la main pendant ${s} s est arrêté.`,
  needConnection: 'Connecte-toi d’abord (ton prénom et celui de ton binôme, en haut) : le programme passe par cette connexion.',
  running: (prefix) => `Le programme tourne, comme une carte simulée, sous ${prefix}`,
  stopped: 'Programme arrêté.',
  runaway: (s) => `Programme arrêté : il n’a pas rendu la main pendant ${s} s (une boucle qui ne finit jamais, comme while (true) {} ?).`,
  lost: 'Connexion perdue : le programme l’attend.',
  syntaxError: (line, m) => `Erreur de syntaxe${line ? ` ligne ${line}` : ''} : ${m}`,
  runtimeError: (line, m) => `Erreur${line ? ` ligne ${line}` : ''} : ${m}`,
  moreErrors: 'D’autres erreurs : non affichées.',
  printCut: (n, p) => `${n} lignes non affichées : au plus ${p} par seconde.`,
  publishCut: (n, p) => `${n} messages non envoyés : au plus ${p} par seconde, le broker est celui de toute la classe.`,
  incomingCut: (n) => `${n} messages reçus non transmis au programme : trop à la fois.`,
  tooLarge: (kb) => `Le programme est trop long : ${kb} Ko au plus.`,
  fileTooLarge: (kb) => `Ce fichier est trop gros pour un programme : ${kb} Ko au plus.`,
  fileNotText: 'Ce fichier n’est pas du texte (UTF-8) : ce n’est pas un programme.',
  loaded: (name) => `${name} ouvert.`,
  badTopic: (p) => `topic : ${p}`,
  badCallback: (name) => `${name} attend une fonction`,
  badMs: (name) => `${name} attend un nombre de millisecondes`,
  tooMany: (what, max) => `au plus ${max} ${what}`,
  messageTooLong: (kb) => `un message fait au plus ${kb} Ko`,
  badColour: (names) => `board.colour : la couleur est l’une de ${names}`,
  notAllowed: 'pas disponible dans un programme',
  connectedAgain: 'De nouveau connecté.',
  disconnected: 'Déconnecté.',
  editorFailed: 'L’éditeur ne s’est pas chargé : la page du professeur tourne-t-elle encore ? Rouvre l’onglet pour réessayer.',
};
