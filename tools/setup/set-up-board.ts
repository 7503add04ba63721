// Setting one board up over its serial port, in the order a board expects (docs/improv.md): who
// it is (device info), our settings one `set` a frame (an ESP8266 reads 128 bytes at a time), what
// it still lacks (get), then its WiFi (Improv's own command; the board joins, stores it and
// restarts into normal operation), or a restart when it has its WiFi already.

import { GET_SETTINGS, INVALID_SETTING, REQUEST_INFO, RESTART, SET_SETTINGS, WIFI_SETTINGS } from '../../src/setup/improv';
import { type BoardLink, BoardError, type SettingRefusal } from './improv-client';

export interface BoardInfo {
  firmware: string;
  version: string;
  chip: string;
  /** The board's own name (its access point's): mqtt-pair-9d2c. */
  name: string;
}

/**
 * The board's device info, asked up to `tries` times (a board just plugged in is still starting);
 * a BoardError when nothing answers (`noAnswer`), or when it is not mqtt-pair (`otherFirmware`).
 */
export async function identify(board: BoardLink, port: string, { tries = 4, ms = 3000 } = {}): Promise<BoardInfo> {
  for (let i = 0; i < tries; i++) {
    try {
      const [[firmware = '', version = '', chip = '', name = '']] = await board.request(REQUEST_INFO, [], { ms });
      if (firmware !== 'mqtt-pair') throw new BoardError(`${port}: not mqtt-pair`, { problem: { kind: 'otherFirmware', firmware: firmware.slice(0, 64) } });
      return { firmware, version, chip, name };
    } catch (e) {
      if (!(e instanceof BoardError) || e.problem?.kind !== 'silent') throw e;
    }
  }
  const seconds = Math.round((tries * ms) / 1000);
  throw new BoardError(`silent port ${port} (${seconds} s)`, { noAnswer: seconds });
}

/**
 * Stores `settings`, one a frame; a BoardError when the board refuses one, its `refusal` the
 * board's key, reason code and facts (the key sent when the board's is empty or it sent none: an
 * older firmware), for the words to say.
 */
export async function storeSettings(board: BoardLink, settings: readonly [string, string][]): Promise<void> {
  for (const [key, value] of settings) {
    try {
      await board.request(SET_SETTINGS, [key, value]);
    } catch (e) {
      if (!(e instanceof BoardError) || e.code !== INVALID_SETTING) throw e;
      const refusal: SettingRefusal = { key: e.refusal?.key || key, code: e.refusal?.code ?? '', facts: e.refusal?.facts ?? [] };
      throw new BoardError(`${refusal.key}: refused${refusal.code ? ` (${refusal.code})` : ''}`, { code: e.code, refusal });
    }
  }
}

/** The board's settings: name → [value, where from: stored, build or unset]. Never a password's value. */
export async function readSettings(board: BoardLink): Promise<Map<string, [string, string]>> {
  const rows = await board.request(GET_SETTINGS, [], { list: true });
  return new Map(rows.map(([k, v = '', from = '']) => [k, [v, from]]));
}

/**
 * Gives the board its WiFi (it joins, stores it, then restarts into normal operation by itself),
 * or, without `wifi`, restarts it with its settings. Resolves once it is provisioned.
 */
export async function startBoard(board: BoardLink, wifi: { ssid: string; password: string } | undefined, joinMs: number): Promise<void> {
  const settings = await readSettings(board);
  const missing = ['broker', 'role'].filter((k) => settings.get(k)?.[1] === 'unset');
  if (missing.length) throw new BoardError(`lacks ${missing.join(', ')}`, { problem: { kind: 'lacks', keys: missing } });
  if (wifi) {
    await board.request(WIFI_SETTINGS, [wifi.ssid, wifi.password], { ms: joinMs });
    return;
  }
  if (settings.get('ssid')?.[1] === 'unset') throw new BoardError('ssid unset', { problem: { kind: 'noWifi' } });
  await board.request(RESTART);
}
