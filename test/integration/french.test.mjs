// A French class reads French: under a French locale (LANG=fr_FR.UTF-8, as a French teacher's
// computer sets it) or with --lang fr, the commands a class uses speak French (--help, startup
// lines, the watch table, classroom's verdict, the actuator's colours, the common errors), and
// English stays the default elsewhere. Against a private Mosquitto with an account.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, mosquittoSkip, startMosquitto } from '../helpers/mosquitto.mjs';
import { LIMIT, until } from '../helpers/wait.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'tools', 'mqtt-pair.cjs');
const FRENCH = { LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
const ENGLISH = { LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

/** Runs mqtt-pair; `stop(re)` ends it with Ctrl+C once its output matches `re`. */
function run(args, env, { input } = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '', code: undefined };
  child.stdout.on('data', (b) => (out.stdout += b));
  child.stderr.on('data', (b) => (out.stderr += b));
  const exit = new Promise((resolve) =>
    child.once('close', (code, signal) => {
      out.code = code ?? signal;
      resolve(out);
    }),
  );
  if (input !== undefined) child.stdin.end(input);
  const killer = setTimeout(() => child.kill('SIGKILL'), LIMIT);
  exit.then(() => clearTimeout(killer));
  return {
    out,
    exit,
    child,
    async stop(re) {
      await until(
        () => re.test(out.stdout + out.stderr) || out.code !== undefined,
        () => `${re} in:\n${out.stdout}\n${out.stderr}`,
      );
      child.kill('SIGINT');
      return exit;
    },
  };
}

/** English function words that no French sentence holds: where one shows, an English sentence is left. */
const ENGLISH_WORDS = /\b(the|and|with|is|are|of|to|from|this|that|when|which|your|you|its|it|by|for|at|be|not|board|boards|only|once|set up)\b/i;

/**
 * The English sentences of a --help or of lines: what is left once the usage lines, the examples
 * (command lines), the flags' names and `<placeholders>` are set aside.
 */
function englishSentences(text) {
  return text
    .split('\n')
    .filter((l) => !/^(Usage : |\s{6,}[[{a-z]| {2}mqtt-pair | {2}npm | {2}esptool )/.test(l))
    .map((l) => l.replace(/^ {2}(-\S+(, -\S+)*( <[^>]+>)?)\s+/, '').replace(/<[^>]*>|https?:\/\/\S+|'[^']*'|\S*\.(json|txt|sh|md|js)\b|(^|\s)--?[\w-]+/g, ' '))
    .filter((l) => ENGLISH_WORDS.test(l));
}

/** The flags' values a French --help still names in English (`--wait <seconds>`). */
function englishValueNames(text) {
  const english = ['seconds', 'file', 'device', 'name', 'password', 'user', 'folder', 'count', 'filter', 'prefix', 'host', 'platform', 'role'];
  return [...text.matchAll(/<([^<>]+)>/g)].map((m) => m[1]).filter((v) => english.includes(v));
}

describe('--help and bad flags, in French under a French locale', () => {
  test('setup, image, explore, pub, sub, watch and program --help: no English sentence under a French locale', async () => {
    const titles = {
      setup: /^mqtt-pair setup : régler une carte branchée en USB/,
      image: /^mqtt-pair image : l’image de la classe/,
      explore: /^mqtt-pair explore : le broker dans un navigateur/,
      pub: /^mqtt-pair pub : publier un message/,
      sub: /^mqtt-pair sub : s’abonner à des topics/,
      watch: /^mqtt-pair watch : chaque binôme/,
      program: /^mqtt-pair program : envoyer le programme d’un élève à une carte/,
    };
    for (const [command, title] of Object.entries(titles)) {
      const r = await run([command, '--help'], FRENCH).exit;
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, title);
      assert.deepEqual(englishSentences(r.stdout), [], `mqtt-pair ${command} --help`);
      assert.deepEqual(englishValueNames(r.stdout), [], `mqtt-pair ${command} --help: the flags' values named in French`);
      const english = await run([command, '--help'], ENGLISH).exit;
      assert.ok(englishSentences(english.stdout).length > 3, `${command} --help stays English without a French locale`);
    }
    const watch = await run(['watch', '--help'], FRENCH).exit;
    assert.match(watch.stdout, /--late <minutes> +avec --roster : un binôme de la liste qui n’a encore rien dit reste orange/);
  });

  test('setup and image: their lines and errors in French', async () => {
    const which = await run(['setup'], FRENCH).exit;
    assert.equal(which.code, 1);
    assert.match(which.stderr, /^mqtt-pair setup: quelle carte \? --web 8090 \(la page, dans Chrome\) ou --port/);
    const both = await run(['setup', '--web', '0', '--port', 'COM3'], FRENCH).exit;
    assert.match(both.stderr, /^mqtt-pair setup: --web ou --port : la page règle les cartes depuis Chrome/);
    const port = await run(['setup', '--port', join(tmpdir(), 'pas-de-carte')], FRENCH).exit;
    assert.match(port.stderr, /^mqtt-pair setup: impossible d’ouvrir .* : ce port n’existe pas \(mqtt-pair setup --list montre les ports\)\n$/);
    const roster = await run(['setup', '--web', '0', '--roster', 'classe.txt'], FRENCH).exit;
    assert.match(roster.stderr, /^mqtt-pair setup: --roster demande --school et --class/);
    const page = run(['setup', '--web', '0'], FRENCH);
    const banner = await page.stop(/Ctrl\+C/);
    assert.match(banner.stdout, /^La page de réglage de la classe : http:\/\/127\.0\.0\.1:\d+\/ \(ouvrez-la dans Chrome ou Edge ; Ctrl\+C pour arrêter\)$/m);
    assert.deepEqual(englishSentences(banner.stdout + banner.stderr), []);
    assert.equal(banner.code, 0, 'Ctrl+C the moment the banner shows is a clean stop, not a death by signal');
    const noPlatform = await run(['image'], FRENCH).exit;
    assert.match(noPlatform.stderr, /^mqtt-pair image: quelle carte \? -p esp32/);
    const out = mkdtempSync(join(tmpdir(), 'mqtt-pair-fr-image-'));
    try {
      const image = await run(['image', '-p', 'esp32', '-o', join(root, 'test', 'fixtures', 'image', 'mcconfig-out'), '--out', join(out, 'img')], FRENCH).exit;
      assert.equal(image.code, 0, image.stderr);
      assert.match(image.stdout, /^mqtt-pair \S+ pour ESP32 \(compilation release, \d+ Ko\), lue dans /);
      assert.match(image.stdout, /^Écrite dans .*: manifest\.json pour ESP Web Tools/m);
      assert.deepEqual(englishSentences(image.stdout.replace(/lue dans \S+/, '')), []);
      // A build that is not there, not a platform, only a debug build, a broken flasher_args.json:
      // one French line each. The paths and mcconfig's command line are set aside as typed.
      const empty = join(out, 'vide');
      const debug = join(out, 'debogage');
      mkdirSync(join(debug, 'tmp', 'esp32', 'debug', 'mqtt-pair'), { recursive: true });
      const broken = join(out, 'casse');
      const brokenArgs = join(broken, 'tmp', 'esp32', 'release', 'mqtt-pair', 'xsProj-esp32', 'build');
      mkdirSync(brokenArgs, { recursive: true });
      writeFileSync(join(brokenArgs, 'flasher_args.json'), '{ pas du JSON');
      const cases = [
        [
          ['-p', 'esp32', '-o', empty],
          /^mqtt-pair image: aucune compilation esp32 de mqtt-pair dans .* : compilez-la d’abord, depuis la racine du dépôt : mcconfig -m -t build -p esp32 -o /,
        ],
        [['-p', 'arduino', '-o', empty], /^mqtt-pair image: -p arduino : les plateformes sont esp32, /],
        [['-p', 'esp32', '-o', debug], /^mqtt-pair image: .* ne contient qu’une compilation de débogage \(-d\) pour esp32 : /],
        [['-p', 'esp32', '-o', broken], /^mqtt-pair image: .*flasher_args\.json n’est pas du JSON : recompilez avec mcconfig$/m],
      ];
      for (const [args, line] of cases) {
        const r = await run(['image', ...args, '--out', join(out, 'img2')], FRENCH).exit;
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, line);
        const prose = r.stderr.replace(/\/\S+|mcconfig -m -t build -p \S+( -o \S+)?/g, ' ');
        assert.deepEqual(englishSentences(prose), [], r.stderr);
        const english = await run(['image', ...args, '--out', join(out, 'img2')], ENGLISH).exit;
        assert.match(english.stderr, /^mqtt-pair image: (no esp32 build|-p arduino: the platforms|only a debug build|.* is not JSON)/, english.stderr);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('mqtt-pair --help and each class command --help read French', async () => {
    const top = await run(['--help'], FRENCH).exit;
    assert.match(top.stdout, /^Commandes :/m);
    assert.match(top.stdout, /discuter avec un autre élève/);
    // Every command's line, explore's, image's and setup's too.
    assert.deepEqual(englishSentences(top.stdout), [], 'mqtt-pair --help');
    const expected = {
      chat: /votre prénom : vous publiez sur/,
      sim: /les cartes du firmware sur cet ordinateur[\s\S]*Les rôles :/,
      remote: /la télécommande du cours/,
      actuator: /l’actionneur du cours/,
      watch: /chaque binôme d’une classe, en direct[\s\S]*la liste de la classe, un binôme par ligne/,
      classroom: /toute une classe de binômes simulés[\s\S]*Code de sortie/,
    };
    // sim's --program, in French too.
    const sim = await run(['sim', '--help'], FRENCH).exit;
    assert.deepEqual(englishSentences(sim.stdout), [], 'mqtt-pair sim --help');
    for (const [command, re] of Object.entries(expected)) {
      const r = await run([command, '--help'], FRENCH).exit;
      assert.equal(r.code, 0);
      assert.match(r.stdout, re, `mqtt-pair ${command} --help`);
      assert.match(r.stdout, /^Usage : /m);
      assert.deepEqual(englishValueNames(r.stdout), [], `mqtt-pair ${command} --help: the flags' values named in French`);
      const english = await run([command, '--help'], ENGLISH).exit;
      assert.match(english.stdout, /^Usage: /m, `${command} --help stays English without a French locale`);
    }
  });

  test('a bad flag is one French line, English without the locale; --lang fr wins over the locale', async () => {
    const fr = await run(['chat', '--nom', 'alice'], FRENCH).exit;
    assert.equal(fr.code, 1);
    assert.equal(fr.stderr, "mqtt-pair chat: option inconnue '--nom' : vouliez-vous dire --name ? (mqtt-pair chat --help liste les options)\n");
    const en = await run(['chat', '--nom', 'alice'], ENGLISH).exit;
    assert.match(en.stderr, /^mqtt-pair chat: unknown option '--nom': did you mean --name\?/);
    const lc = await run(['remote', '--broker'], { ...ENGLISH, LC_ALL: 'fr_FR.UTF-8' }).exit;
    assert.match(lc.stderr, /^mqtt-pair remote: --broker attend une valeur, par exemple --broker 192\.168\.1\.144\n$/);
    const flag = await run(['watch', '--lang', 'fr', '--help'], ENGLISH).exit;
    assert.match(flag.stdout, /^Usage : /m);
  });
});

describe('the commands of a lesson, in French', { skip: mosquittoSkip() }, () => {
  let broker;
  let dir;
  const account = ['-u', 'classe', '-P', 'lemotdepasse'];
  before(async () => {
    broker = await startMosquitto({ users: { classe: 'lemotdepasse' } });
    dir = mkdtempSync(join(tmpdir(), 'mqtt-pair-fr-'));
  });
  after(async () => {
    await broker?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('refused, unreachable: the errors say why in French, from the CONNACK code and the close kind', async () => {
    const refused = await run(['sub', '-h', '127.0.0.1', '-p', String(broker.port), '-t', 'x'], FRENCH).exit;
    assert.equal(refused.code, 5);
    assert.match(refused.stderr, /a refusé la connexion : non autorisé : ce broker demande un nom d'utilisateur et un mot de passe : ajoutez -u/);
    assert.doesNotMatch(refused.stderr, /not authorized/);
    const port = await freePort();
    const none = await run(['pub', '-h', '127.0.0.1', '-p', String(port), '-t', 'x', '-m', 'y'], FRENCH).exit;
    assert.equal(none.code, 1);
    assert.match(none.stderr, /aucun broker MQTT à l'adresse 127\.0\.0\.1:\d+ \(connexion refusée ou machine injoignable\) : vérifiez -h et -p/);
    const chat = await run(['chat', '--broker', `127.0.0.1:${broker.port}`, '--name', 'alice', '--peer', 'bob', '-u', 'classe', '-P', 'faux'], FRENCH).exit;
    assert.equal(chat.code, 1);
    assert.match(chat.stderr, /connexion impossible à 127\.0\.0\.1:\d+ : connexion refusée : non autorisé : vérifiez le nom d'utilisateur \(-u classe\)/);
    const watch = await run(['watch', '--broker', `127.0.0.1:${broker.port}`, '--duration', '60'], FRENCH).exit;
    assert.equal(watch.code, 1);
    assert.match(watch.stderr, /^mqtt-pair watch: impossible de suivre le broker 127\.0\.0\.1:\d+ : connexion refusée : non autorisé/);
  });

  test('explore: its banner in French', async () => {
    const e = run(['explore', '--broker', `127.0.0.1:${broker.port}`, ...account, '--web', '0'], FRENCH);
    const r = await e.stop(/L’explorateur : http/);
    assert.match(r.stdout, /^Exploration de # sur 127\.0\.0\.1:\d+$/m);
    assert.match(r.stdout, /^L’explorateur : http:\/\/127\.0\.0\.1:\d+\/ +\(Ctrl\+C pour arrêter\)$/m);
    // Ctrl+C the moment the banner shows: the end line all the same (Node listens to signals late).
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\d+ messages? sur \d+ topics?$/m);
    assert.deepEqual(englishSentences(r.stdout), []);
  });

  test('chat connects and says how to use it in French', async () => {
    const c = run(['chat', '--broker', `127.0.0.1:${broker.port}`, ...account, '--name', 'alice', '--peer', 'bob'], FRENCH);
    const r = await c.stop(/connecté à/);
    assert.match(r.stderr, /connecté à 127\.0\.0\.1:\d+ : vous êtes alice sur alice, vous lisez bob sur bob\. Tapez une ligne puis Entrée/);
    assert.equal(r.code, 0);
  });

  test('actuator and remote: French startup lines, the colour named in French; the boards keep the course’s English', async () => {
    const prefix = 'LycMaurois/SNT_2nde/alice/';
    const actuator = run(['actuator', '--broker', `127.0.0.1:${broker.port}`, ...account, '--prefix', prefix], FRENCH);
    await until(
      () => /subscribed to/.test(actuator.out.stdout),
      () => actuator.out.stdout,
    );
    const remote = await run(['remote', '--broker', `127.0.0.1:${broker.port}`, ...account, '--prefix', prefix], FRENCH, { input: 'up\n' }).exit;
    assert.equal(remote.code, 0, remote.stderr);
    assert.match(remote.stdout, /^Broker utilisé : mqtt:\/\/classe:\*\*\*@127\.0\.0\.1:\d+$/m);
    assert.match(remote.stdout, /^\(Les lignes des cartes restent en anglais, comme la console du cours\.\)$/m);
    assert.match(remote.stdout, /^\[remote\] Connected to /m, 'the board’s console stays as the course prints it');
    assert.match(remote.stdout, /^Arrêté\.$/m);
    const a = await actuator.stop(/\[ +VERT +\]/);
    assert.match(a.stdout, /^\[actuator\] \[ +ÉTEINT +\]$/m);
    assert.match(a.stdout, /^Ctrl\+C pour arrêter\.$/m);
    assert.equal(a.code, 0);
  });

  test('watch --lang fr: the terminal table and the summary in French, even under an English locale', async () => {
    const roster = join(dir, 'classe.txt');
    writeFileSync(roster, 'alice\nbob\n');
    const w = run(
      [
        'watch',
        '--broker',
        `127.0.0.1:${broker.port}`,
        ...account,
        '--school',
        'LycMaurois',
        '--class',
        'SNT_2nde',
        '--roster',
        roster,
        '--late',
        '0',
        '--lang',
        'fr',
      ],
      ENGLISH,
    );
    await until(
      () => /^Suivi de /m.test(w.out.stdout),
      () => w.out.stdout,
    );
    // One hello from a prefix not on the list: heard once, not shown, said in French.
    const once = await run(['pub', '-h', '127.0.0.1', '-p', String(broker.port), ...account, '-t', 'LycMaurois/SNT_2nde/zoe/hello', '-m', 'Hello #0'], ENGLISH)
      .exit;
    assert.equal(once.code, 0, once.stderr);
    const r = await w.stop(/1 préfixe entendu une seule fois, pas encore affiché/);
    assert.match(r.stdout, /^Suivi de LycMaurois\/SNT_2nde\/# sur 127\.0\.0\.1:\d+$/m);
    assert.match(r.stdout, /^\[\d+ s\] 2 binômes : 0 ok, 0 en attente, 2 muets ; \d+ messages? vus?/m);
    assert.match(r.stdout, /alice: jamais connecté \(sur la liste de la classe/);
    assert.match(r.stdout, /^2 binômes vus : 0 ok, 0 en attente, 2 muets ; 1 préfixe entendu une seule fois, pas encore affiché$/m);
    assert.doesNotMatch(r.stdout, /pairs|waiting|silent|no hello yet/);
  });

  test('classroom: the final lines in French, and English by default', async () => {
    const args = ['classroom', '--pairs', '1', '--interval', '300', '--until-ok', '--duration', '600', '--broker', `127.0.0.1:${broker.port}`, ...account];
    const fr = await run(args, FRENCH).exit;
    assert.equal(fr.code, 0, fr.stdout + fr.stderr);
    assert.match(fr.stdout, /^1 binôme \(2 cartes simulées\) sous LycMaurois\/SNT_2nde\/<prénom>\//m);
    assert.match(fr.stdout, /^Messages : \d+ publiés par les cartes/m);
    assert.match(fr.stdout, /^Mémoire : \d+ Mo résidents/m);
    assert.match(fr.stdout, /^1\/1 binômes ok$/m);
    // Stopped before 3 rounds: the verdict says why, in French too.
    const short = await run(['classroom', '--pairs', '1', '--duration', '1', '--broker', `127.0.0.1:${broker.port}`, ...account], FRENCH).exit;
    assert.equal(short.code, 1);
    assert.match(
      short.stdout,
      /^Pas ok : alice : (seulement \d allers?-retours?, il en faut 3|\d allers?-retours? : l’ESP#|jamais démarré \(la répétition s’est terminée avant\))/m,
    );
    assert.match(short.stdout, /^0\/1 binômes ok$/m);
    const en = await run(args, ENGLISH).exit;
    assert.equal(en.code, 0);
    assert.match(en.stdout, /^1\/1 pairs ok/m);
  });
});
