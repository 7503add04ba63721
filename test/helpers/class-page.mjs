// The class's pages as the browser tests open them: `mqtt-pair watch --web 0` for one class on a
// test broker, its students' page on the broker's WebSocket listener, and both addresses once the
// command printed them. One fixture, so that every page test starts the pages the same way.
import { mqttPair } from './child.mjs';
import { LIMIT } from './wait.mjs';

export const SCHOOL = 'LycMaurois';
export const CLASS = 'SNT_2nde';
/** The class's topics: LycMaurois/SNT_2nde/ */
export const PREFIX = `${SCHOOL}/${CLASS}/`;

/**
 * `mqtt-pair <args>` (watch or classroom, with --web), once it printed its class page's address:
 * mqttPair's run with `url` and `output()` (all it printed). `timeout` kills it, a safety net.
 */
export async function servePage(args, { env, timeout = 5 * LIMIT } = {}) {
  const run = mqttPair(args, { env, timeout });
  const url = (await run.waitFor('stdout', /Classroom view: (http:\/\/\S+\/)/))[1];
  return { ...run, url, output: () => run.text.stdout + run.text.stderr };
}

/**
 * Starts the class page, and the students' page over `broker` (startMosquitto's: its first extra
 * listener, a websockets one, unless `studentBroker` names another address; `null` for none).
 * `args` are more flags (-u, --roster, --listen …), `duration` the run's seconds (5 LIMIT by default:
 * longer than any test, it ends when the tests' process does; `null`, no --duration: until stopped),
 * `school` and `className` the class's (LycMaurois, SNT_2nde by default). Gives back mqttPair's run (child,
 * exit, waitFor, stop, text) with `url` (the students' page), `classUrl` (the class page) and
 * `output()` (all it printed).
 */
export async function startClassPages(
  broker,
  { args = [], studentBroker = `ws://127.0.0.1:${broker.ports?.[0]}`, duration = (5 * LIMIT) / 1000, school = SCHOOL, className = CLASS, env } = {},
) {
  const run = await servePage(
    [
      'watch',
      '--broker',
      `127.0.0.1:${broker.port}`,
      '--web',
      '0',
      '--school',
      school,
      '--class',
      className,
      ...(studentBroker ? ['--student-broker', studentBroker] : []),
      ...args,
      ...(duration === null ? [] : ['--duration', String(duration)]),
    ],
    { env, timeout: (duration ?? (5 * LIMIT) / 1000) * 1000 + LIMIT },
  );
  const url = studentBroker ? (await run.waitFor('stdout', /Students' page: (http:\/\/\S+\/student)/))[1] : undefined;
  return { ...run, url, classUrl: run.url };
}

/** `mqtt-pair explore <args>` once it printed the explorer's address: mqttPair's run with `url` and `output()`. */
export async function startExplorer(args) {
  const run = mqttPair(['explore', ...args], { timeout: 5 * LIMIT });
  const url = (await run.waitFor('stdout', /Explorer: (http:\/\/127\.0\.0\.1:\d+\/)/))[1];
  return { ...run, url, output: () => run.text.stdout + run.text.stderr };
}

/**
 * For the docs' screenshots (MQTT_PAIR_SCREENSHOTS): the page's subtitle names the guide's Pi
 * (192.168.1.144:1883) where it names the test's private broker (127.0.0.1 and a port drawn for
 * the run), which means nothing to a teacher. The page writes its subtitle at each snapshot: the
 * address is put back each time it does.
 */
export async function showGuideBroker(page) {
  await page.evaluate(() => {
    const sub = document.getElementById('subtitle');
    const fix = () => {
      const text = sub.textContent.replace(/127\.0\.0\.1:\d+/, '192.168.1.144:1883');
      if (text !== sub.textContent) sub.textContent = text;
    };
    fix();
    new MutationObserver(fix).observe(sub, { childList: true, characterData: true, subtree: true });
  });
}
