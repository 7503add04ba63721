// The set-up page's « Ce que dit la carte » (tools/web/setup/): each board line stays English, as
// the course prints it, and the French page adds what it means when the line is one the firmware
// prints (tools/words/setup.ts). Lines made by the firmware itself here, so that a line changed
// there without its explanation fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { eventLine } from '../../dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundled = await build({ entryPoints: [join(root, 'tools/words/setup.ts')], bundle: true, write: false, format: 'esm', logLevel: 'silent' });
const { fr, en } = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);

test('the board’s known lines, explained in French; English pages add nothing; unknown lines neither', () => {
  const lines = {
    'Joining WiFi "Salle204"...': 'la carte rejoint le WiFi « Salle204 »…',
    'Connection successful': 'le WiFi est rejoint',
    'IP address 192.168.1.60': 'son adresse sur le WiFi : 192.168.1.60',
    [eventLine({ type: 'connected', broker: '192.168.1.144', topics: ['LycMaurois/SNT_2nde/alice/notification'] })]:
      'connectée au broker 192.168.1.144, abonnée à LycMaurois/SNT_2nde/alice/notification',
    [eventLine({
      type: 'closed',
      reason: 'no MQTT broker at 192.168.1.144:1883',
      kind: 'unreachable',
      retryIn: 1800,
      wasConnected: false,
      failures: 1,
      restarting: false,
    })]: 'pas de connexion au broker ; nouvel essai dans 1,8 s',
    [eventLine({ type: 'received', topic: 'LycMaurois/SNT_2nde/alice/hello', text: 'Hello #3' })]: 'message reçu sur LycMaurois/SNT_2nde/alice/hello',
    [eventLine({ type: 'answered' })]: 'l’ESP#1 a reçu la réponse de son binôme : le binôme marche',
    'Identify: this board blinks its LED for 5 s (asked over USB)': 'la carte fait clignoter sa LED pendant 5 s : étiquetez-la',
  };
  for (const [line, meaning] of Object.entries(lines)) {
    assert.equal(fr.explain(line), meaning, line);
    assert.equal(en.explain(line), undefined);
  }
  assert.equal(fr.explain('something else entirely'), undefined);
  assert.equal(fr.esp(1, 'hello'), 'ESP#1 — envoie Hello #N (hello)');
  assert.equal(fr.esp(2, 'responder'), 'ESP#2 — répond received (responder)');
});

test('the page’s broker status, worded from the close’s facts: French words, the client’s English on the English page', () => {
  const refused = { kind: 'refused', code: 5, reason: 'connection refused: not authorized (CONNACK 5)' };
  assert.equal(fr.brokerTrouble(refused), 'le broker a refusé la connexion (code 5)');
  assert.equal(en.brokerTrouble(refused), 'connection refused: not authorized (CONNACK 5)');
  assert.equal(fr.brokerTrouble({ kind: 'unreachable', reason: 'no MQTT broker at 192.168.1.144:1883' }), 'aucun broker ne répond à cette adresse');
  assert.equal(fr.brokerTrouble({ reason: '' }), 'connexion en cours…');
  assert.equal(en.brokerTrouble({ reason: '' }), 'connecting…');
});
