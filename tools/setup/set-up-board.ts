// Setting one board up over its serial port, in the order a board expects (docs/improv.md): who
// it is (device info), our settings one `set` a frame (an ESP8266 reads 128 bytes at a time), what
// it still lacks (get), then its WiFi (Improv's own command; the board joins, stores it and
// restarts into normal operation), or a restart when it has its WiFi already.

import { GET_SETTINGS, REQUEST_INFO, RESTART, SET_SETTINGS, WIFI_SETTINGS } from '../../src/setup/improv';
import { type BoardLink, BoardError } from './improv-client';

export interface BoardInfo {
  firmware: string;
  version: string;
  chip: string;
  /** The board's own name (its access point's): mqtt-pair-9d2c. */
  name: string;
}

/**
 * The board's device info, asked up to `tries` times (a board just plugged in is still starting);
 * a BoardError when nothing answers, or when it is not mqtt-pair.
 */
export async function identify(board: BoardLink, port: string, { tries = 4, ms = 3000 } = {}): Promise<BoardInfo> {
  for (let i = 0; i < tries; i++) {
    try {
      const [[firmware = '', version = '', chip = '', name = '']] = await board.request(REQUEST_INFO, [], { ms });
      if (firmware !== 'mqtt-pair')
        throw new BoardError(
          `the board on ${port} runs ${firmware || 'another firmware'}, not mqtt-pair: flash it first (mqtt-pair setup --web, or write_flash.sh of mqtt-pair image)`,
        );
      return { firmware, version, chip, name };
    } catch (e) {
      if (!(e instanceof BoardError) || !/^no answer/.test(e.message)) throw e;
    }
  }
  throw new BoardError(
    `no answer from ${port} in ${Math.round((tries * ms) / 1000)} s: is a board flashed with mqtt-pair on it, and no serial monitor (or xsbug) using the port? (mqtt-pair setup --list)`,
    undefined,
    undefined,
    Math.round((tries * ms) / 1000),
  );
}

/** Stores `settings`, one a frame; a BoardError with the board's own reason when it refuses one. */
export async function storeSettings(board: BoardLink, settings: readonly [string, string][]): Promise<void> {
  for (const [key, value] of settings) {
    const mark = board.lines.length;
    try {
      await board.request(SET_SETTINGS, [key, value]);
    } catch (e) {
      if (!(e instanceof BoardError)) throw e;
      // The board's console line says which setting and why: "Setup over USB: topicPrefix: …: nothing changed".
      const why =
        board.lines.slice(mark).find((l) => l.startsWith('Setup over USB: ')) ?? (await board.waitLine(/^Setup over USB: /, 2000, '').catch(() => ''));
      throw new BoardError(why ? `${key}: ${why.replace(/^Setup over USB: /, '')}` : `${key}: ${e.message}`, e.code);
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
  if (missing.length)
    throw new BoardError(
      `the board has no ${missing.join(' and ')}: give ${missing.map((k) => `--${k === 'role' ? 'roster (or role=hello)' : k}`).join(' and ')}`,
    );
  if (wifi) {
    await board.request(WIFI_SETTINGS, [wifi.ssid, wifi.password], { ms: joinMs });
    return;
  }
  if (settings.get('ssid')?.[1] === 'unset') throw new BoardError('the board has no WiFi settings: give --ssid and --password');
  await board.request(RESTART);
}
