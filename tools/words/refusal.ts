// A setting the board refused, in French and in English: the board sends its key, a reason code
// and the facts the words need (docs/improv.md, « A refused setting »); `mqtt-pair setup --port`
// (cli-en.ts, cli-fr.ts) and the set-up page (setup.ts) say it with these, and no console line.

import { type RefusalCode, SETTINGS, settingField } from '../../src/setup/settings';
import type { SettingRefusal } from '../setup/improv-client';

type Says = (key: string, facts: readonly string[]) => string;

/** One line a reason, keyed by the board's codes: a code without words in a language fails typecheck. */
const EN: Record<RefusalCode, Says> = {
  unknown: (k) => `there is no setting "${k}": the settings are ${SETTINGS.map((f) => f.key).join(', ')}`,
  text: (k) => `${k} is not valid text`,
  control: (k) => `${k} holds control characters`,
  invisible: (k) => `${k} holds an invisible or direction-changing character (copied from a document?): type it again`,
  long: (k, [n, max]) => `${k} is ${n} bytes long: the board keeps at most ${max}`,
  range: (k, [min, max]) => `${k} is a whole number from ${min} to ${max}`,
  choice: (k) => `${k} is one of ${choices(k, 'or')}`,
  password: () => 'a WiFi password is 8 to 63 characters (none for an open network)',
  prefix: () => 'a topic prefix is level/level/…/, without spaces or empty levels, with a / at the end, e.g. LycMaurois/SNT_2nde/alice/',
  wildcard: (k) => `${k} cannot hold + or #`,
  host: (k) => `${k} is not a host name`,
  ipv6: () => 'a board reaches its broker by IPv4 address or by name, not by an IPv6 address',
  broker: () => 'this is not a broker address (host, host:port, mqtt://, mqtts://, ws:// or wss://)',
  caTls: () => 'a CA certificate is only for mqtts:// and wss:// brokers: remove it, or write broker=mqtts://…',
  caMissing: () => 'this firmware does not hold that certificate',
  missing: (k) => `${k} is missing`,
  store: (k) => `the board could not store ${k} (its flash is full?)`,
};

const FR: Record<RefusalCode, Says> = {
  unknown: (k) => `il n’y a pas de réglage « ${k} » : les réglages sont ${SETTINGS.map((f) => f.key).join(', ')}`,
  text: (k) => `${k} n’est pas du texte valide`,
  control: (k) => `${k} contient des caractères de contrôle`,
  invisible: (k) => `${k} contient un caractère invisible ou qui change le sens du texte (copié d’un document ?) : retapez-le`,
  long: (k, [n, max]) => `${k} fait ${n} octets : la carte en garde au plus ${max}`,
  range: (k, [min, max]) => `${k} est un nombre entier de ${min} à ${max}`,
  choice: (k) => `${k} est ${choices(k, 'ou')}`,
  password: () => 'un mot de passe WiFi a 8 à 63 caractères (aucun pour un réseau ouvert)',
  prefix: () => 'un préfixe s’écrit niveau/niveau/…/, sans espace ni niveau vide, avec un / à la fin, par exemple LycMaurois/SNT_2nde/alice/',
  wildcard: (k) => `${k} ne peut pas contenir + ni #`,
  host: (k) => `${k} n’est pas un nom de machine`,
  ipv6: () => 'une carte joint son broker par une adresse IPv4 ou par un nom, pas par une adresse IPv6',
  broker: () => 'ce n’est pas une adresse de broker (machine, machine:port, mqtt://, mqtts://, ws:// ou wss://)',
  caTls: () => 'un certificat d’autorité ne sert qu’aux brokers mqtts:// et wss:// : retirez-le, ou écrivez broker=mqtts://…',
  caMissing: () => 'ce firmware n’a pas ce certificat',
  missing: (k) => `${k} manque`,
  store: (k) => `la carte n’a pas pu enregistrer ${k} (sa mémoire flash est pleine ?)`,
};

/** A setting's choices, as a list a person reads: hello, responder … or actuator. */
function choices(key: string, or: string): string {
  const c = settingField(key)?.choices ?? [];
  return c.length > 1 ? `${c.slice(0, -1).join(', ')} ${or} ${c[c.length - 1]}` : c.join('');
}

/**
 * The board refused a setting, in `lang`, as one line: the key and its reason; for a code this
 * tool does not know (a newer board) or none (an older one), the code or that it gave none.
 */
export function refusalLine(lang: 'fr' | 'en', r: SettingRefusal): string {
  const says = Object.hasOwn(EN, r.code) ? (lang === 'fr' ? FR : EN)[r.code as RefusalCode] : undefined;
  if (lang === 'fr')
    return `la carte refuse ${r.key} : ${says ? says(r.key, r.facts) : r.code ? `raison « ${r.code} », que cet outil ne connaît pas : mettez mqtt-pair à jour` : 'sans dire pourquoi (un firmware plus ancien ?)'}`;
  return `the board refuses ${r.key}: ${says ? says(r.key, r.facts) : r.code ? `reason "${r.code}", which this tool does not know: update mqtt-pair` : 'it gave no reason (an older firmware?)'}`;
}
