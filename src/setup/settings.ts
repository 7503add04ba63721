// The settings a board takes at run time, from its setup page or over USB (Improv), kept in its
// flash by the host's SettingsStore (Moddable's Preference). Every key the firmware reads comes
// from there when it is stored, else from the build (manifest.json's "config" and mcconfig's
// key=value): a build with keys behaves as before, and a build with none is a class's one image.
// Values are checked by the firmware's own check (checkConfig), one key at a time in this order,
// so that a wrong value is always named by its key.

import { checkConfig, MAX_DELAY, ROLES } from '../apps/config';
import { redact } from '../endpoint';
import { utf8Length, wellFormed } from '../mqtt/codec';

/** Where settings are kept: Moddable's Preference on a board, a map in tests. */
export interface SettingsStore {
  get(key: string): string | undefined;
  /** Throws when the store refuses the value (too long for it, or its flash is full). */
  set(key: string, value: string): void;
  delete(key: string): void;
  /** The keys stored. */
  keys(): string[];
  /** The longest value it keeps, in UTF-8 bytes: 62 on an ESP8266 (Preference's limit). */
  readonly maxBytes: number;
}

export interface SettingField {
  key: string;
  /** Free text, a secret (never shown or sent back), a whole number, or one of `choices`. */
  kind: 'text' | 'secret' | 'number' | 'choice';
  min?: number;
  max?: number;
  choices?: readonly string[];
  /** On the page's first screen; the others are under "More settings". */
  basic?: boolean;
}

/**
 * Every setting, in the order they are checked and listed: a key comes after those its check
 * reads (ca after broker, name and peer after role and topicPrefix, backoffMax after backoffMin).
 * The numbers' bounds are checkConfig's (test/unit/settings.test.mjs holds them to it).
 */
export const SETTINGS: readonly SettingField[] = [
  { key: 'ssid', kind: 'text', basic: true },
  { key: 'password', kind: 'secret', basic: true },
  { key: 'broker', kind: 'text', basic: true },
  { key: 'role', kind: 'choice', choices: ROLES, basic: true },
  { key: 'topicPrefix', kind: 'text', basic: true },
  { key: 'name', kind: 'text', basic: true },
  { key: 'peer', kind: 'text', basic: true },
  { key: 'interval', kind: 'number', min: 10, max: MAX_DELAY, basic: true },
  { key: 'clientId', kind: 'text' },
  { key: 'keepalive', kind: 'number', min: 0, max: 65535 },
  { key: 'backoffMin', kind: 'number', min: 10, max: MAX_DELAY },
  { key: 'backoffMax', kind: 'number', min: 10, max: MAX_DELAY },
  { key: 'restartAfter', kind: 'number', min: 0, max: 1000000 },
  { key: 'setupAfter', kind: 'number', min: 0, max: 1000 },
  { key: 'inflight', kind: 'number', min: 0, max: 65535 },
  { key: 'wifiTimeout', kind: 'number', min: 100, max: MAX_DELAY },
  { key: 'wifiRetry', kind: 'number', min: 10, max: MAX_DELAY },
  { key: 'ca', kind: 'text' },
  { key: 'sntp', kind: 'text' },
  { key: 'led', kind: 'number', min: -1, max: 48 },
  { key: 'ledActiveLow', kind: 'choice', choices: ['false', 'true'] },
];

export type Settings = Record<string, string>;
type Raw = Record<string, unknown>;

export function settingField(key: string): SettingField | undefined {
  return SETTINGS.find((f) => f.key === key);
}

/** What the store holds of our keys; null when it holds none (nothing to keep in RAM then). */
export function readStored(store: SettingsStore): Settings | null {
  let out: Settings | null = null;
  for (const f of SETTINGS) {
    const v = store.get(f.key);
    if (typeof v === 'string') (out ??= {})[f.key] = v;
  }
  return out;
}

/** A build's value, as text; undefined when the build leaves it unset (empty). */
function built(build: Raw, key: string): string | undefined {
  const v = build[key];
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

/**
 * The settings the firmware runs with: the build's, the stored ones over them, then `changes`.
 * An empty change removes a stored value (the build's applies again), but an empty password is
 * kept as it is: an open network.
 */
export function effective(build: Raw, stored: Settings | null, changes?: Settings | null): Settings {
  const out: Settings = {};
  for (const f of SETTINGS) {
    const k = f.key;
    let v = stored && k in stored ? stored[k] : built(build, k);
    if (changes && k in changes) v = changes[k] === '' && k !== 'password' ? built(build, k) : changes[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** The config the firmware reads: the build's (other keys too: sntp, setup's) with the settings over it. */
export function mergedConfig(build: Raw, stored: Settings | null): Raw {
  return stored ? Object.assign({}, build, stored) : build;
}

/** Settings the board cannot run without: the WiFi, the broker, the role (and a chat's names). */
export function missingSettings(settings: Settings): string[] {
  const need = ['ssid', 'broker', 'role'];
  if (settings.role === 'chat') need.push('name', 'peer');
  return need.filter((k) => !settings[k]);
}

/**
 * Why a setting is refused, as a short code a tool words in its own language (tools/words/refusal.ts;
 * docs/improv.md lists them). No table of words on the board: the codes are literals in the checks.
 */
export type RefusalCode =
  | 'unknown' // no such setting
  | 'text' // not valid text (UTF-8)
  | 'control' // control characters
  | 'invisible' // an invisible or direction-changing character
  | 'long' // facts: its length, the most it may be (UTF-8 bytes)
  | 'range' // facts: the smallest and the largest whole number it takes
  | 'choice' // not one of the setting's choices (SETTINGS lists them)
  | 'password' // a WiFi password is 8 to 63 characters, or 64 hex digits
  | 'prefix' // a topic prefix is level/level/…/
  | 'wildcard' // holds + or #
  | 'host' // not a host name
  | 'ipv6' // a broker given by an IPv6 address
  | 'broker' // not a broker's address (or its user name or password too long)
  | 'caTls' // a CA certificate with a broker that is not mqtts:// or wss://
  | 'caMissing' // a CA certificate this firmware does not hold
  | 'missing' // needed and not set
  | 'store'; // the board's flash would not keep it

export interface SettingProblem {
  key: string;
  /** The board's own line (its console, its page's fallback), in English. */
  message: string;
  /** What a tool or the page words in its own language. */
  code: RefusalCode;
  /** The values its words need (see RefusalCode), as text. */
  facts?: string[];
}

export interface CheckOptions {
  /** The board's id: a clientId's default. */
  deviceId: string;
  /** The store's limit for a new value, in UTF-8 bytes. */
  maxBytes: number;
  /** The settings must be enough to run (the page's Save), not only right as far as they go. */
  complete?: boolean;
  /** What only the host can check on the whole config (a CA certificate in the firmware). */
  hostCheck?: (raw: Raw) => string | undefined;
}

/**
 * Checks `changes` as the firmware will read them, over what is stored and built: null when the
 * board can take them, else the first setting (in SETTINGS order) that is wrong, and why.
 */
export function checkChanges(build: Raw, stored: Settings | null, changes: Settings, options: CheckOptions): SettingProblem | null {
  for (const k in changes) {
    if (!settingField(k)) return { key: k, message: `there is no setting "${k}": the settings are ${SETTINGS.map((f) => f.key).join(', ')}`, code: 'unknown' };
    const v = changes[k];
    if (typeof v !== 'string' || !wellFormed(v)) return { key: k, message: `${k} is not valid text`, code: 'text' };
    if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(v)) return { key: k, message: `${k} holds control characters`, code: 'control' };
    if (SHOWN.indexOf(k) >= 0 && INVISIBLE.test(v))
      return { key: k, message: `${k} holds an invisible or direction-changing character (copied from a document?): type it again`, code: 'invisible' };
    const n = utf8Length(v);
    if (n > options.maxBytes)
      return {
        key: k,
        message: `${k} is ${n} bytes long: this board stores at most ${options.maxBytes}`,
        code: 'long',
        facts: [String(n), String(options.maxBytes)],
      };
  }
  const settings = effective(build, stored, changes);
  // Stand-ins for what is not set yet, so that each key is checked on its own merits.
  const raw: Raw = { ssid: 'x', broker: '127.0.0.1', role: 'hello', name: 'x', peer: 'x' };
  for (const f of SETTINGS) {
    const k = f.key,
      v = settings[k];
    if (v === undefined) continue;
    const own = ownCheck(k, v, f);
    if (own) return own;
    raw[k] = v;
    const e = checkConfig(raw, options.deviceId, true);
    if (typeof e === 'string') return configProblem(f, v, e, raw);
  }
  if (options.complete) {
    const missing = missingSettings(settings);
    if (missing.length) return { key: missing[0], message: `${missing[0]} is missing`, code: 'missing' };
    const e = options.hostCheck?.(mergedConfig(build, settings));
    if (e) return { key: 'ca', message: settingMessage(e), code: 'caMissing' };
  }
  return null;
}

/** Settings shown to a class (the explorer, the projector, topics): no character there may hide or reorder text. */
const SHOWN = ['name', 'peer', 'topicPrefix', 'clientId'];
/** Soft hyphen, zero-width and joiner characters, direction marks and overrides, invisible operators, BOM. */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/;

/** A stored topic prefix: levels without spaces, each ending with a /. */
const PREFIX = /^([^\s/]+\/)+$/;

/** What checkConfig does not check: the WiFi's names and passwords, the time server, setupAfter, the LED, an IPv6 broker. */
function ownCheck(key: string, v: string, f: SettingField): SettingProblem | null {
  switch (key) {
    case 'ssid': {
      const n = utf8Length(v);
      return n > 32 ? { key, message: `ssid "${v}" is longer than a WiFi network's name can be (32 bytes)`, code: 'long', facts: [String(n), '32'] } : null;
    }
    case 'password': {
      const n = v.length;
      if (!n || (n >= 8 && n <= 63) || (n === 64 && /^[0-9a-f]+$/i.test(v))) return null;
      return { key, message: 'password: a WiFi password is 8 to 63 characters (none for an open network)', code: 'password' };
    }
    case 'topicPrefix':
      // A prefix typed on a page by hand: spaces or a missing / would put the board outside its
      // class's topics without a word (+ and # are checkConfig's to name).
      return /[+#]/.test(v) || PREFIX.test(v)
        ? null
        : {
            key,
            message: `topicPrefix "${v}" is not level/level/.../: no spaces, no empty level, a / at the end, e.g. LycMaurois/SNT_2nde/alice/`,
            code: 'prefix',
          };
    case 'sntp':
      return /^[a-z0-9.:_-]+$/i.test(v) ? null : { key, message: `sntp "${v}" is not a host name`, code: 'host' };
    case 'broker':
      // The boards' network stacks are set up for IPv4 only (lwIP without IPv6 in the SDK's builds).
      return /^([a-z]+:\/\/)?([^@/]*@)?\[/i.test(v)
        ? { key, message: `broker "${redact(v)}" is an IPv6 address: a board reaches its broker by IPv4 address or by name`, code: 'ipv6' }
        : null;
    case 'setupAfter':
    case 'led': {
      // GPIO numbers go to 48 (the ESP32-S3); -1: the board has no LED to blink.
      const n = Number(v);
      if (Number.isInteger(n) && n >= (f.min as number) && n <= (f.max as number)) return null;
      const message = key === 'led' ? `led="${v}" is not a GPIO number from 0 to 48 (-1: no LED)` : `setupAfter="${v}" is not a whole number from 0 to 1000`;
      return { key, message, code: 'range', facts: [String(f.min), String(f.max)] };
    }
    case 'ledActiveLow':
      return v === 'true' || v === 'false' ? null : { key, message: `ledActiveLow="${v}" is not true or false`, code: 'choice' };
  }
  return null;
}

/**
 * checkConfig's refusal of `f`, the key just added to what it checks: the key says which of its
 * checks failed (those before it passed), so the code comes from the key, not from the line.
 */
function configProblem(f: SettingField, v: string, line: string, raw: Raw): SettingProblem {
  const key = f.key;
  if (key === 'role') return { key, message: roleError(v), code: 'choice' };
  const message = settingMessage(line);
  if (f.kind === 'number') {
    // backoffMax's smallest is backoffMin (checkConfig's default for it: 1000).
    const min = key === 'backoffMax' ? String(raw.backoffMin ?? 1000) : String(f.min);
    return { key, message, code: 'range', facts: [min, String(f.max)] };
  }
  if (key === 'clientId') return { key, message, code: 'long', facts: [String(v.length), String(23 * 4)] };
  if (key === 'ca') return { key, message, code: 'caTls' };
  if (key === 'broker') return { key, message, code: 'broker' };
  // topicPrefix, name, peer: the only other checks are their + and #.
  return { key, message, code: 'wildcard' };
}

function roleError(v: string): string {
  return `role "${v}" is unknown: choose ${ROLES.slice(0, -1).join(', ')} or ${ROLES[ROLES.length - 1]}`;
}

/** A Config error line as a setting's message: without "config " and the mcconfig command line. */
export function settingMessage(line: string): string {
  return line
    .replace(/^config /, '')
    .replace(/: set it with [^]*$/, '')
    .replace(/: copy it in DER form [^]*$/, ': build the firmware with it in hosts/moddable/certs/');
}

/**
 * Stores `changes` (an empty one removes a stored value, but for the password: see effective()),
 * all of them or, when the store refuses one, none (what was stored before is put back). Returns
 * why it failed, or ''.
 */
export function storeChanges(store: SettingsStore, changes: Settings): string {
  const done: [string, string | undefined][] = [];
  for (const k in changes) {
    const before = store.get(k);
    try {
      if (changes[k] === '' && k !== 'password') store.delete(k);
      else store.set(k, changes[k]);
      done.push([k, before]);
    } catch (e) {
      for (const [key, old] of done.reverse()) {
        try {
          if (old === undefined) store.delete(key);
          else store.set(key, old);
        } catch {
          /* as it was */
        }
      }
      return `the board could not store ${k}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  return '';
}

/** Removes every stored setting. */
export function clearStored(store: SettingsStore): void {
  for (const f of SETTINGS) if (store.get(f.key) !== undefined) store.delete(f.key);
}

/** A setting as it may be shown or sent: a password never (only whether there is one), a broker without its password. */
export function shownValue(key: string, value: string): string {
  if (key === 'password') return value ? '********' : '';
  if (key === 'broker') return redact(value);
  return value;
}

/** Where a setting's value comes from, for `get settings`: stored on the board, or the build's. */
export function settingSource(build: Raw, stored: Settings | null, key: string): 'stored' | 'build' | 'unset' {
  if (stored && key in stored) return 'stored';
  return built(build, key) === undefined ? 'unset' : 'build';
}
