// A private Mosquitto's configuration: mosquitto.conf, and beside it in the broker's own folder
// its password file, ACL or dynamic security JSON (startMosquitto's options, tools/mosquitto/broker.mjs).
import { execFileSync } from 'node:child_process';
import { randomBytes, pbkdf2Sync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dynsecPlugin, findExecutable } from './installed.mjs';
import { HOST } from './ports.mjs';

/** The dynamic security plugin's JSON: one role per user, named after it, with that user's ACL entries. */
function dynsecConfig(users, dynsec, defaultACLAccess) {
  const clients = Object.entries(users).map(([username, password]) => {
    const salt = randomBytes(12);
    return {
      username,
      salt: salt.toString('base64'),
      iterations: 101,
      password: pbkdf2Sync(password, salt, 101, 64, 'sha512').toString('base64'),
      roles: dynsec[username] ? [{ rolename: `role-${username}` }] : [],
    };
  });
  const roles = Object.entries(dynsec).map(([username, acls]) => ({ rolename: `role-${username}`, acls }));
  return {
    clients,
    roles,
    defaultACLAccess: { publishClientSend: false, publishClientReceive: true, subscribe: false, unsubscribe: true, ...defaultACLAccess },
  };
}

/** mosquitto.conf's lines but the listeners, for these options; writes the files they name into `dir`. */
export function configLines(dir, options) {
  const { users, acl, persistence = false, extra = '', dynsec, dynsecDefault, verbose = false } = options;
  const allowAnonymous = options.allowAnonymous ?? !(users && Object.keys(users).length);
  const conf = [
    `allow_anonymous ${allowAnonymous}`,
    'log_dest stderr',
    verbose ? 'log_type all' : 'log_type error\nlog_type warning\nlog_type notice\nlog_type information',
    'connection_messages true',
  ];
  if (process.getuid?.() === 0) conf.push('user root'); // otherwise it drops to "mosquitto", who cannot read our 0700 dir
  if (persistence) conf.push('persistence true', `persistence_location ${dir}/`, 'persistence_file mosquitto.db', 'autosave_interval 0');
  else conf.push('persistence false');
  if (dynsec) {
    const plugin = dynsecPlugin();
    if (!plugin) throw new Error('the mosquitto dynamic security plugin is not installed');
    const file = join(dir, 'dynamic-security.json');
    writeFileSync(file, JSON.stringify(dynsecConfig(users ?? {}, dynsec, dynsecDefault), null, 2), { mode: 0o600 });
    conf.push(`plugin ${plugin}`, `plugin_opt_config_file ${file}`);
  } else {
    if (users && Object.keys(users).length) {
      const passwd = findExecutable('mosquitto_passwd');
      if (!passwd) throw new Error('mosquitto_passwd is not installed');
      const file = join(dir, 'passwd');
      let first = true;
      for (const [name, password] of Object.entries(users)) {
        execFileSync(passwd, first ? ['-b', '-c', file, name, password] : ['-b', file, name, password], { stdio: 'pipe' });
        first = false;
      }
      conf.push(`password_file ${file}`);
    }
    if (acl !== undefined) {
      const file = join(dir, 'acl');
      writeFileSync(file, acl.endsWith('\n') ? acl : `${acl}\n`, { mode: 0o600 });
      conf.push(`acl_file ${file}`);
    }
  }
  if (extra) conf.push(extra);
  return conf;
}

/** Writes mosquitto.conf: the main listener on `port`, `conf`'s lines, then `listeners` on `ports` (in order). */
export function writeConfig(file, port, conf, listeners, ports) {
  const listenerLines = listeners.map((l, i) =>
    [
      `listener ${ports[i]} ${HOST}`,
      ...(l.protocol === 'websockets' ? ['protocol websockets', 'socket_domain ipv4'] : []),
      ...(l.cafile ? [`cafile ${l.cafile}`] : []),
      ...(l.certfile ? [`certfile ${l.certfile}`, `keyfile ${l.keyfile}`] : []),
    ].join('\n'),
  );
  writeFileSync(file, `listener ${port} ${HOST}\n${[...conf, ...listenerLines].join('\n')}\n`);
}
