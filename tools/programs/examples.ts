// The example programs a student starts from (issue 28's API: mqtt, every, after, cancel, print,
// board), the tutorial's ESP#1 and ESP#2 first. One registry: the students' page lists them under
// « Exemples », and any other tool or page may import them. Topics are relative to the board's
// prefix, so one program serves every pair. Plain data, no import: a page bundles it whole.

export interface ExampleProgram {
  /** The role it plays, as `role=` names it: hello, responder, sensor, chat, remote, actuator. */
  id: string;
  title: { fr: string; en: string };
  code: string;
}

export const EXAMPLES: readonly ExampleProgram[] = [
  {
    id: 'hello',
    title: { fr: 'ESP#1 : dit bonjour toutes les 5 s', en: 'ESP#1: says hello every 5 s' },
    code: `// ESP#1 : publie « Hello #N » sur hello toutes les 5 s et lit les réponses sur notification.
// ESP#1: publishes "Hello #N" on hello every 5 s and reads the answers on notification.
let count = 0;

mqtt.subscribe('notification', (topic, message) => {
  print('Received notification:', message);
  // La réponse d'ESP#2 / ESP#2's answer
  if (message === 'received') print('ESP received hello message');
});

every(5000, () => {
  mqtt.publish('hello', 'Hello #' + count);
  count += 1;
});
`,
  },
  {
    id: 'responder',
    title: { fr: 'ESP#2 : répond « received »', en: 'ESP#2: answers « received »' },
    code: `// ESP#2 : à chaque message sur hello, répond « received » sur notification.
// ESP#2: to each message on hello, answers "received" on notification.
mqtt.subscribe('hello', (topic, message) => {
  print('Received hello:', message);
  // Réponse à ESP#1 / Answer to ESP#1
  mqtt.publish('notification', 'received');
  print('Sent: received');
});

board.on('connected', () => print('Connected as', board.name));
`,
  },
  {
    id: 'sensor',
    title: { fr: 'Capteur : une température chaque seconde', en: 'Sensor: a temperature every second' },
    code: `// Capteur : une température entre 20 et 21 °C chaque seconde sur temperature, retenue (retain)
// pour qu'un nouvel abonné ait tout de suite la dernière valeur.
// Sensor: a temperature between 20 and 21 °C every second on temperature, retained so that a
// new subscriber gets the last value at once.
every(1000, () => {
  const temperature = (20 + Math.random()).toFixed(1);
  mqtt.publish('temperature', temperature, { retain: true });
  print('temperature', temperature);
});
`,
  },
  {
    id: 'chat',
    title: { fr: 'Chat : écrire et lire', en: 'Chat: write and read' },
    code: `// Chat : affiche ce qui arrive sur chat, et y écrit un message toutes les 10 s.
// Chat: prints what comes on chat, and writes a message there every 10 s.
mqtt.subscribe('chat', (topic, message) => print('>', message));

let n = 0;
every(10000, () => {
  n += 1;
  mqtt.publish('chat', board.name + ' : bonjour ' + n);
});
`,
  },
  {
    id: 'remote',
    title: { fr: 'Télécommande : le bouton envoie une commande', en: 'Remote: the button sends a command' },
    code: `// Télécommande : quand on appuie sur le bouton de la carte, publie « up » sur remote/command.
// Remote: when the board's button is pressed, publishes "up" on remote/command.
let was = false;
every(100, () => {
  const pressed = board.button();
  // Seulement au moment de l'appui / Only when it gets pressed
  if (pressed && !was) mqtt.publish('remote/command', 'up');
  was = pressed;
});
`,
  },
  {
    id: 'actuator',
    title: { fr: 'Actionneur : la LED obéit aux commandes', en: 'Actuator: the LED obeys the commands' },
    code: `// Actionneur : allume la LED sur « up », l'éteint sur « down » (topic remote/command).
// Actuator: turns the LED on for "up", off for "down" (topic remote/command).
mqtt.subscribe('remote/command', (topic, message) => {
  if (message === 'up') board.led(true);
  if (message === 'down') board.led(false);
  print('command', message);
});
`,
  },
];
