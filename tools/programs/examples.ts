// The example programs a student starts from (issue 28's API: mqtt, every, after, cancel, print,
// board), in the registry's order (src/apps/registry.ts), the tutorial's ESP#1 and ESP#2 first.
// The tutorial's ESP#1 and ESP#2 are the built-in roles' own programs (src/apps/builtin/*.js, read
// by the build: programs/source.mjs), the text the board runs. The other roles get a short program
// of the same idea, written here. Topics
// are relative to the board's prefix, so one program serves every pair.

import helloCode from '../../src/apps/builtin/hello.js?source';
import responderCode from '../../src/apps/builtin/responder.js?source';
import chatCode from '../../src/apps/builtin/chat.js?source';
import actuatorCode from '../../src/apps/builtin/actuator.js?source';
import sensorCode from '../../src/apps/builtin/sensor.js?source';
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
const BUILTIN_CODE: Record<string, string> = { hello: helloCode, responder: responderCode, chat: chatCode, actuator: actuatorCode, sensor: sensorCode };

/** For the other roles: a program of the same idea, and its title. */
const OTHERS: Record<string, { title: { fr: string; en: string }; code: string }> = {
  remote: {
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
};

export const EXAMPLES: readonly ExampleProgram[] = REGISTRY.map((r) =>
  r.key in BUILTIN_CODE
    ? { id: r.key, title: r.label, code: BUILTIN_CODE[r.key], builtin: true }
    : { id: r.key, title: OTHERS[r.key].title, code: OTHERS[r.key].code, builtin: false },
);
