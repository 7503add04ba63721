// What the tests need beyond Node.js, in one place: each check says `false` when the thing is
// there (or required: CI, REQUIRE_*), else why the tests that need it skip. Every reason starts
// with `needs <Thing>: `, which test/helpers/skip-summary.mjs reads to print, after the run, one
// line naming what was skipped and the one command that brings it.

/** The things, as the summary names them, with what installs each. */
export const THINGS = {
  Mosquitto: { apt: ['mosquitto', 'mosquitto-clients'] },
  Chromium: { apt: ['chromium'] },
  RabbitMQ: { apt: ['rabbitmq-server'] },
  openssl: { apt: ['openssl'] },
  'the XS engine': { apt: ['build-essential'], npm: 'npm run setup:xs' },
  'a C compiler': { apt: ['build-essential'] },
  'the Moddable SDK': { apt: ['xvfb', 'dbus', 'socat'], sdk: true, tests: "the firmware in mcsim and the boards' link check" },
};

/** `needs <thing>: <detail>` */
export function needs(thing, detail) {
  if (!THINGS[thing]) throw new Error(`unknown requirement ${thing}`);
  return `needs ${thing}: ${detail}`;
}

/**
 * True when the run must fail, not skip, on a missing `thing` (CI, or REQUIRE_MOSQUITTO=1 …). CI
 * has everything but the Moddable SDK, which is each contributor's own: only REQUIRE_MODDABLE=1
 * (.ci/run sets it when MODDABLE is set) makes its absence a failure.
 */
export function required(thing) {
  const env = process.env;
  if (thing === 'the Moddable SDK') return env.REQUIRE_MODDABLE === '1';
  if (env.CI && !/^(0|false|no)$/i.test(env.CI)) return true;
  switch (thing) {
    case 'Mosquitto':
    case 'openssl':
    case 'Chromium':
      return env.REQUIRE_MOSQUITTO === '1';
    case 'RabbitMQ':
      return env.REQUIRE_RABBITMQ === '1';
    case 'the Moddable SDK':
      return env.REQUIRE_MODDABLE === '1';
    default:
      return false;
  }
}

/** The command that brings these things, for a person at this machine. */
export function installCommand(things) {
  const apt = [...new Set(things.flatMap((t) => THINGS[t]?.apt ?? []))];
  const steps = [];
  if (apt.length) steps.push(`${process.getuid?.() === 0 ? '' : 'sudo '}apt-get install -y ${apt.join(' ')}`);
  if (things.some((t) => THINGS[t]?.npm)) steps.push('npm run setup:xs');
  if (things.some((t) => THINGS[t]?.sdk)) {
    // How a contributor gets it: Moddable's own Getting Started for Linux (CONTRIBUTING.md).
    steps.push(
      'install the Moddable SDK 8.2.3 as its Getting Started for Linux says, then export MODDABLE=<that SDK> PATH=$MODDABLE/build/bin/lin/release:$PATH && npm run test:mcsim',
    );
  }
  return steps.join(' && ');
}
