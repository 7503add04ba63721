// The lab: a second connection of the student's own, with its own will, to publish, subscribe and
// cut abruptly.

import { browserHost } from '../../../hosts/browser/host';
import { MqttClient, payloadText, type Message } from '../../../src/mqtt/client';
import { filterError, topicError } from '../../../src/mqtt/topic';
import type { Endpoint } from '../../../src/host';
import { brokerName } from '../../../src/endpoint';
import type { QoS } from '../../../src/mqtt/codec';
import { clientIdOf, credentials, endpointOf, lostText, timers } from './connection';
import { $, clock, config, el, input, shown, t, typedTopicError } from './page';
import { add } from './rows';

const MAX_LAB_ROWS = 200;

let lab: MqttClient | null = null;
const labSubs = new Set<string>();

function labLog(text: string, cls = '') {
  const at = Date.now();
  add($('lab-log'), () => el('li', `${clock(at)} ${text}`, cls), 50);
}

function qosOf(id: string): QoS {
  return Number(($(id) as HTMLSelectElement).value) as QoS;
}

export function labClient(): MqttClient | null {
  if (lab) return lab;
  let endpoint: Endpoint;
  try {
    endpoint = credentials(endpointOf(input('broker').value.trim()));
  } catch (e) {
    labLog((e as Error).message, 'error');
    return null;
  }
  const willTopic = input('will-topic').value.trim();
  const willError = willTopic ? typedTopicError(willTopic, topicError) : '';
  if (willError) {
    labLog(`${t.willTopic}${t.colon}${willError}`, 'error');
    return null;
  }
  const id = clientIdOf('lab', input('me').value.trim());
  const client = new MqttClient(
    browserHost(() => {}, timers()),
    endpoint,
    {
      clientId: id,
      clean: input('clean').checked,
      keepalive: 20,
      reconnect: { min: 1000, max: 10000 },
      will: willTopic ? { topic: willTopic, payload: input('will-message').value, qos: qosOf('will-qos'), retain: input('will-retain').checked } : undefined,
    },
  );
  lab = client;
  let up = false;
  client.onConnect = (present) => {
    up = true;
    if (lab === client) {
      labLog(`${t.labUp} ${id}${present ? ` (${t.sessionPresent})` : ''}`);
      $('lab-state').dataset.state = 'ok';
    }
  };
  client.onClose = (reason, retryIn, kind, code) => {
    if (lab === client) {
      labLog(lostText(reason, retryIn, up, brokerName(endpoint, true), kind, code), 'error');
      $('lab-state').dataset.state = 'wait';
    }
  };
  client.onWarning = (w) => labLog(shown(w));
  client.onMessage = (m) => {
    if (lab === client) labMessage(m);
  };
  for (const f of labSubs) client.subscribe(f, { qos: 1 });
  client.connect();
  $('lab-state').textContent = id;
  return client;
}

function labMessage(m: Message) {
  const at = Date.now();
  add(
    $('lab-rows'),
    () => {
      const row = document.createElement('tr');
      row.append(
        el('td', clock(at)),
        el('td', shown(m.topic), 'topic'),
        el('td', String(m.qos)),
        el('td', m.retain ? t.yes : t.no),
        el('td', shown(payloadText(m.payload)), 'text'),
      );
      return row;
    },
    MAX_LAB_ROWS,
  );
}

export function labStop(abrupt: boolean) {
  const client = lab;
  lab = null;
  if (!client) return;
  // pause() closes the socket with no DISCONNECT, as a board that loses power: the broker sends the will.
  if (abrupt) client.pause('cut');
  else client.end();
  labLog(abrupt ? t.labCutDone : t.labEndDone);
  $('lab-state').textContent = t.labDown;
  $('lab-state').dataset.state = 'off';
}

export function labPublish(event: Event) {
  event.preventDefault();
  const topic = input('pub-topic').value.trim();
  const problem = typedTopicError(topic, topicError);
  if (problem) return labLog(`${t.topic}${t.colon}${problem}`, 'error');
  const client = labClient();
  if (!client) return;
  const qos = qosOf('pub-qos'),
    retain = input('pub-retain').checked;
  client.publish(topic, input('pub-message').value, { qos, retain }, (err) =>
    labLog(err ? `${t.error}${t.colon}${err.message}` : `${t.published} ${topic} (QoS ${qos}${retain ? ', retain' : ''})`, err ? 'error' : ''),
  );
}

export function labSubscribe(event: Event) {
  event.preventDefault();
  const filter = input('sub-filter').value.trim();
  const problem = typedTopicError(filter, filterError);
  if (problem) return labLog(`${t.filter}${t.colon}${problem}`, 'error');
  const client = labClient();
  if (!client || labSubs.has(filter)) return;
  labSubs.add(filter);
  const qos = qosOf('sub-qos');
  const li = el('li', `${filter} `);
  const off = el('button', t.unsubscribe) as HTMLButtonElement;
  off.type = 'button';
  off.onclick = () => {
    labSubs.delete(filter);
    lab?.unsubscribe(filter);
    li.remove();
  };
  li.append(off);
  $('lab-subs').append(li);
  client.subscribe(filter, { qos }, (err, granted) =>
    labLog(err ? `${filter}${t.colon}${t.refused} (${err.message})` : `${t.subscribed} ${filter} (${t.granted} ${granted})`, err ? 'error' : ''),
  );
}

/** The lab's fields, made of my name; once I have typed my name, fields still at their default follow it. */
let defaults: Record<string, string> = {};
export function labDefaults(name: string) {
  const next: Record<string, string> = {
    'will-topic': `${config.prefix}${name}/lab/will`,
    'will-message': `${name} : ${t.willGone}`,
    'pub-topic': `${config.prefix}${name}/lab`,
  };
  for (const [id, value] of Object.entries(next)) if (!input(id).value || input(id).value === defaults[id]) input(id).value = value;
  defaults = next;
}
