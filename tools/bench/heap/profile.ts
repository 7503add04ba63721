// The benchmark's heap profile (never in a firmware a user builds): hosts/moddable/main.ts's steps
// one at a time, with the heap after a full collection at each, so that the host, the client with
// its role, the WiFi and the connection each show what they add; then once a second the running
// board's. The config is checked at build time, as main.ts does (it is in flash: nothing to see).
import config from 'mc/config';
import Timer from 'timer';
import Debug from 'debug';
import Instrumentation from 'instrumentation';
import { BoardClient, boardHost, boardOptions } from '../../../src/apps/board';
import { checkConfig, type BoardConfig } from '../../../src/apps/config';
import { ModdableHost } from '../../../hosts/moddable/host';

const checked = checkConfig(config, '', true);
const options = typeof checked === 'string' ? undefined : boardOptions(checked);

function mark(step: string): void {
  // (Looked up here: a preloaded module may not call native code at its top level.)
  const slot = Instrumentation.map('XS Slot Heap Used'),
    chunk = Instrumentation.map('XS Chunk Heap Used');
  Debug.gc();
  trace(`heap step ${step}: ${Instrumentation.get(slot)} ${Instrumentation.get(chunk)}\n`);
}

/** The board, marked as it reaches each step (once each). */
class ProfiledBoard extends BoardClient {
  private marked = 0;
  override wifiUp(): void {
    if (!(this.marked & 1)) {
      this.marked |= 1;
      mark('WiFi up');
    }
    super.wifiUp();
  }
  override onReady(): void {
    super.onReady();
    if (!(this.marked & 2)) {
      this.marked |= 2;
      mark('connected and subscribed');
    }
  }
}

export default function profile(): void {
  if (typeof checked === 'string') {
    trace(`Config error: ${checked}\n`);
    return;
  }
  mark('start');
  const outside = new ModdableHost({ sntp: config.sntp ? String(config.sntp) : undefined });
  const host = boardHost(outside); // as runBoard() does
  mark('host');
  const board = new ProfiledBoard(host, checked as BoardConfig, options);
  mark('client and role');
  board.start();
  Timer.repeat(() => mark('running'), 1000);
}
