// The connection flags pub and sub share, mosquitto's (-h, -p, -L, -u, -P, -i, -k, -c, the will,
// TLS), and what they say: the endpoint, the client's options, the QoS and the topics.

import type { Endpoint, Transport } from '../../src/host';
import { brokerName, defaultPort, hostName, redact } from '../../src/endpoint';
import type { ClientOptions, QoS } from '../../src/mqtt/client';
import { topicError } from '../../src/mqtt/topic';
import { checkCaFile } from './broker-flags';
import { UsageError, integer, last, parseBrokerUrl, type Flag, type Parsed } from './flags';
import { cliWords } from '../words/cli';

const CLIENT_CERTS = 'client certificates are not supported by mqtt-pair: the broker must accept a user name and password (-u, -P) or anonymous clients';
const TLS_DEFAULTS = "mqtt-pair uses Node.js's TLS settings (TLS 1.2 or 1.3, its ciphers)";
const V5 = 'it is an MQTT v5 feature and mqtt-pair speaks MQTT 3.1.1';
export const unsupported = (names: string[], why: string, value = true): Flag[] =>
  names.map((n) => ({ names: [n], key: n, value: value ? 'x' : undefined, help: '', unsupported: why }));

export const CONNECTION_FLAGS: Flag[] = [
  { names: ['-h', '--host'], key: 'host', value: 'host', example: '192.168.1.144', help: 'broker to connect to (default: localhost, which means 127.0.0.1)' },
  { names: ['-p', '--port'], key: 'port', value: 'port', example: '1883', help: 'broker port (default: 1883; 8883 with TLS)' },
  {
    names: ['-L', '--url'],
    key: 'url',
    value: 'url',
    example: 'mqtt://192.168.1.144:1883/class/hello',
    help: 'broker, user, password, port and topic as one URL: mqtt://[user[:password]@]host[:port]/topic, mqtts:// for TLS (port 8883), ws:// or wss:// for WebSocket with the path first: ws://host:8080/mqtt/topic; -h, -p, -u and -P override its parts',
  },
  {
    names: ['-u', '--username'],
    key: 'username',
    value: 'user',
    example: 'alice',
    help: 'user name for the broker',
    strayHint: true,
  },
  { names: ['-P', '--pw', '--password'], key: 'password', value: 'password', help: 'password for the broker (needs -u); never printed' },
  { names: ['-i', '--id'], key: 'id', value: 'id', example: 'teacher-laptop', help: 'client id (default: mqtt-pair-<command>-<process id>)' },
  { names: ['-I', '--id-prefix'], key: 'idPrefix', value: 'prefix', example: 'class-', help: 'client id made of this prefix and the process id' },
  { names: ['-k', '--keepalive'], key: 'keepalive', value: 'seconds', example: '60', help: 'keepalive in seconds, 1 to 65535 (default: 60)' },
  { names: ['-c', '--disable-clean-session'], key: 'persist', help: 'keep the session on the broker between runs (needs -i)' },
  { names: ['-V', '--protocol-version'], key: 'protocol', value: 'version', example: 'mqttv311', help: 'MQTT protocol version: only mqttv311 (the default)' },
  {
    names: ['--will-topic'],
    key: 'willTopic',
    value: 'topic',
    example: 'class/alice/status',
    help: 'topic of the will: what the broker publishes if this client vanishes without DISCONNECT',
  },
  { names: ['--will-payload'], key: 'willPayload', value: 'message', example: 'offline', help: 'payload of the will (default: empty)' },
  { names: ['--will-qos'], key: 'willQos', value: 'qos', example: '1', help: 'QoS of the will, 0, 1 or 2 (default: 0)' },
  { names: ['--will-retain'], key: 'willRetain', help: 'make the will a retained message' },
  { names: ['-d', '--debug'], key: 'debug', help: 'print every MQTT packet sent and received, on stdout as mosquitto does (passwords never)' },
  { names: ['--quiet'], key: 'quiet', help: "don't print connection errors and warnings (bad arguments are still reported)" },
  {
    names: ['--cafile'],
    key: 'cafile',
    value: 'file',
    example: 'ca.crt',
    help: "TLS: trust the CA certificate in this file (PEM or DER) to check the broker's; turns TLS on, port 8883",
  },
  { names: ['--insecure'], key: 'insecure', help: "TLS: don't check that the broker's certificate is for the host name given (the CA is still checked)" },
  { names: ['--tls-use-os-certs'], key: 'osCerts', help: 'TLS with the CAs Node.js trusts (as mqtts:// without --cafile); turns TLS on, port 8883' },
  { names: ['--nodelay'], key: 'nodelay', help: 'accepted for compatibility: mqtt-pair always disables Nagle' },
  { names: ['--help'], key: 'help', help: 'show this help' },
  ...unsupported(['--capath'], 'give the CA certificate as a file with --cafile'),
  ...unsupported(['--cert', '--key', '--keyform'], CLIENT_CERTS),
  ...unsupported(['--ciphers', '--tls-version', '--tls-alpn', '--tls-engine', '--tls-engine-kpass-sha1'], TLS_DEFAULTS),
  ...unsupported(['--psk', '--psk-identity'], 'pre-shared keys are not supported by mqtt-pair: use certificates (--cafile)'),
  ...unsupported(['-x', '-D', '--property'], V5),
  ...unsupported(['-A'], 'binding to a local address is not available in mqtt-pair'),
  ...unsupported(['--unix'], 'unix sockets are not available in mqtt-pair: use -h and -p'),
  ...unsupported(['--proxy'], 'SOCKS proxies are not available in mqtt-pair'),
];

/** What the flags every command shares say. */
export interface Common {
  endpoint: Endpoint;
  where: string;
  options: ClientOptions;
  debug: boolean;
  quiet: boolean;
  qos: QoS;
  topics: string[];
}

export function parseCommon(p: Parsed, cmd: 'pub' | 'sub'): Common {
  let host = 'localhost';
  let port: number | undefined;
  let username: string | undefined;
  let password: string | undefined;
  let transport: Transport = 'tcp';
  let path: string | undefined;
  const topics: string[] = [];
  const url = last(p, 'url');
  if (url !== undefined) {
    const u = parseBrokerUrl(url);
    host = u.host;
    port = u.port;
    username = u.username;
    password = u.password;
    transport = u.transport;
    path = u.path;
    if (u.topic) topics.push(u.topic);
  }
  // TLS as mosquitto's clients do it: mqtts:// (or wss://), or --cafile / --tls-use-os-certs with -h.
  const cafile = last(p, 'cafile');
  const insecure = p.has('insecure');
  if (cafile !== undefined || p.has('osCerts')) {
    if (transport === 'ws') throw new UsageError(cliWords().pubSub.tlsOverWs(cafile !== undefined ? '--cafile' : '--tls-use-os-certs'));
    if (transport === 'tcp') transport = 'tls';
  }
  if (insecure && (transport === 'tcp' || transport === 'ws')) {
    throw new UsageError(cliWords().pubSub.insecureNoTls);
  }
  if (cafile !== undefined) checkCaFile(cafile);
  const hostText = last(p, 'host');
  if (hostText !== undefined) {
    const h = hostName(hostText);
    if (!h) {
      throw new UsageError(/[@/]/.test(hostText) ? cliWords().pubSub.hostAlone(redact(hostText)) : cliWords().pubSub.hostNeeded(redact(hostText)));
    }
    host = h;
  }
  if (!host) throw new UsageError(cliWords().pubSub.hostNeeded());
  // (With TLS the name stays: the certificate may be for "localhost" only.)
  if (host === 'localhost' && (transport === 'tcp' || transport === 'ws')) host = '127.0.0.1';
  const portText = last(p, 'port');
  if (portText !== undefined) port = integer('-p', portText, 1, 65535, 'a port number');
  port ??= defaultPort(transport);
  username = last(p, 'username') ?? username;
  password = last(p, 'password') ?? password;
  if (password !== undefined && username === undefined) {
    throw new UsageError(cliWords().passwordNeedsUser);
  }
  const protocol = last(p, 'protocol');
  if (protocol !== undefined && !['mqttv311', '311', 'v311', '4'].includes(protocol.toLowerCase())) {
    throw new UsageError(cliWords().pubSub.only311(protocol));
  }
  const keepalive = last(p, 'keepalive') === undefined ? 60 : integer('-k', last(p, 'keepalive')!, 1, 65535, 'a keepalive in seconds');
  const id = last(p, 'id');
  const prefix = last(p, 'idPrefix');
  if (id !== undefined && prefix !== undefined) throw new UsageError(cliWords().pubSub.idAndPrefix);
  if (id === '') throw new UsageError(cliWords().pubSub.idEmpty);
  const clean = !p.has('persist');
  if (!clean && id === undefined) {
    throw new UsageError(cliWords().pubSub.persistNeedsId);
  }
  const clientId = id ?? `${prefix ?? `mqtt-pair-${cmd}-`}${process.pid}`;
  const qos = last(p, 'qos') === undefined ? 0 : (integer('-q', last(p, 'qos')!, 0, 2, 'a QoS level') as QoS);

  let will: ClientOptions['will'];
  const willTopic = last(p, 'willTopic');
  if (willTopic !== undefined) {
    const e = topicError(willTopic);
    if (e) throw new UsageError(`--will-topic: ${e}`);
    will = {
      topic: willTopic,
      payload: last(p, 'willPayload') ?? '',
      qos: last(p, 'willQos') === undefined ? 0 : (integer('--will-qos', last(p, 'willQos')!, 0, 2, 'a QoS level') as QoS),
      retain: p.has('willRetain'),
    };
  } else {
    for (const [key, flag] of [
      ['willPayload', '--will-payload'],
      ['willQos', '--will-qos'],
      ['willRetain', '--will-retain'],
    ]) {
      if (p.has(key)) throw new UsageError(cliWords().pubSub.willNeedsTopic(flag));
    }
  }
  // Each of these goes into CONNECT behind a two-byte length.
  const tooLong = (what: 'id' | 'user' | 'password' | 'will', v: string | undefined) => {
    if (v !== undefined && Buffer.byteLength(v) > 65535) throw new UsageError(cliWords().pubSub.tooLong(what, Buffer.byteLength(v)));
  };
  tooLong('id', clientId);
  tooLong('user', username);
  tooLong('password', password);
  if (will) tooLong('will', will.payload as string);
  for (const t of p.get('topic') ?? []) topics.push(t);
  const endpoint: Endpoint = {
    host,
    port,
    ...(transport !== 'tcp' && { transport }),
    ...(path !== undefined && { path }),
    ...(cafile !== undefined && { ca: cafile }),
    ...(insecure && { insecure }),
  };
  return {
    endpoint,
    // The broker as error lines name it: host:port for plain MQTT, a URL for TLS and WebSocket.
    where: brokerName(endpoint, true),
    options: { clientId, clean, keepalive, username, password, will },
    debug: p.has('debug'),
    quiet: p.has('quiet'),
    qos,
    topics,
  };
}
