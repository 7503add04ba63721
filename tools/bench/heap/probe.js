// The benchmark's heap probe (never in a firmware a user builds): the app's real "main" runs
// unchanged, and once a second the probe collects garbage and prints what the XS heap holds.
// The bench's wrapper manifest makes this module the runtime's entry point (creation.main).
import main from 'main';
import Timer from 'timer';
import Debug from 'debug';
import Instrumentation from 'instrumentation';

export default function probe() {
  const slot = Instrumentation.map('XS Slot Heap Used');
  const chunk = Instrumentation.map('XS Chunk Heap Used');
  Timer.repeat(() => {
    Debug.gc();
    trace(`heap probe: ${Instrumentation.get(slot)} ${Instrumentation.get(chunk)}\n`);
  }, 1000);
  if (typeof main === 'function') main();
}
