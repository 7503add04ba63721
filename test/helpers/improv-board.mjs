// A board's Improv side over a pty (helpers/pty.mjs), in Node, for `mqtt-pair setup --port` tests
// that need no Moddable SDK: it answers as mqtt-pair's firmware does (docs/improv.md) with the
// project's own codec: its device info, `set` stored in a map, `get` listing them, the WiFi
// command provisioning. `info` and `onCommand` let a test make it misbehave (escape sequences in
// its name, a `get` that never ends). The real firmware over a pty: test/firmware/mcsim-setup-class.test.mjs.
//
//   const board = await improvBoard(join(dir, 'usb'), { name: 'mqtt-pair-0001' });
//   ... mqtt-pair setup --port <board.path> ...; board.settings.get('clientId'); await board.stop();
import { improv } from '../../dist/index.js';
import { openPty } from './pty.mjs';

const KEYS = ['ssid', 'broker', 'role', 'topicPrefix', 'name', 'peer', 'clientId'];

export async function improvBoard(path, { name = 'mqtt-pair-0001', info, onCommand } = {}) {
  const pty = await openPty(path);
  const settings = new Map();
  const commands = [];
  const reader = new improv.FrameReader();
  const answer = (cmd, strings) => {
    if (onCommand?.(cmd, strings, pty)) return;
    if (cmd === improv.REQUEST_INFO) return pty.write(improv.resultFrame(cmd, info ?? ['mqtt-pair', '0.1.0', 'ESP32', name]));
    if (cmd === improv.SET_SETTINGS) {
      for (let i = 0; i + 1 < strings.length; i += 2) settings.set(strings[i], strings[i + 1]);
      return pty.write(
        improv.resultFrame(
          cmd,
          strings.filter((_, i) => i % 2 === 0),
        ),
      );
    }
    if (cmd === improv.GET_SETTINGS) {
      for (const k of KEYS) pty.write(improv.resultFrame(cmd, [k, settings.get(k) ?? '', settings.has(k) ? 'stored' : 'unset']));
      return pty.write(improv.resultFrame(cmd, []));
    }
    if (cmd === improv.WIFI_SETTINGS) {
      settings.set('ssid', strings[0]);
      pty.write(improv.stateFrame(improv.PROVISIONED));
      return pty.write(improv.resultFrame(cmd, ['http://192.0.2.2/']));
    }
    if (cmd === improv.RESTART) return pty.write(improv.resultFrame(cmd, []));
  };
  pty.onData((bytes) =>
    reader.push(bytes, {
      frame: (_type, data) => {
        const c = improv.decodeCommand(Uint8Array.from(data));
        if (!c) return;
        commands.push(c);
        answer(c.command, c.strings);
      },
      badFrame() {},
    }),
  );
  return { path, name, settings, commands, stop: () => pty.stop() };
}
