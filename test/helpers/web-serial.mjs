// Web Serial's navigator.serial in headless Chromium, which has no USB: one port, whose bytes go
// out through window.__toBoard (a function the test exposes) and come in through
// window.__fromBoard(bytes). As Web Serial's, its streams are made anew by each open() and gone after
// close() (so that another tool, such as ESP Web Tools, can open it after the page closed it), and
// they are the browser's own ReadableStream and WritableStream: getReader and getWriter lock them,
// and a second writer taken while one holds the stream throws, as on a real port.
//
//   await page.exposeFunction('__toBoard', (bytes) => board.write(Buffer.from(bytes)));
//   await page.addInitScript(webSerialStandIn);
//   board.onData((bytes) => toPage(page, bytes));
//
// A port that stalls, as one whose board reads nothing yet: `page.addInitScript(webSerialStandIn,
// { stalls: true })`: each write is taken (counted in window.__frames) and never completes.

/** Runs in the page (page.addInitScript): defines navigator.serial. */
export function webSerialStandIn({ stalls = false } = {}) {
  let controller = null;
  window.__frames = 0;
  const write = stalls
    ? () => {
        window.__frames++;
        return new Promise(() => {});
      }
    : (chunk) => window.__toBoard(Array.from(chunk));
  window.__fromBoard = (bytes) => {
    try {
      controller?.enqueue(new Uint8Array(bytes));
    } catch {
      /* closed */
    }
  };
  const port = {
    readable: null,
    writable: null,
    async open() {
      if (port.readable) throw new DOMException('The port is already open.', 'InvalidStateError');
      port.readable = new ReadableStream({
        start(c) {
          controller = c;
        },
        cancel() {
          controller = null;
        },
      });
      port.writable = new WritableStream({ write });
    },
    async close() {
      if (port.readable?.locked || port.writable?.locked) throw new TypeError('Cannot close a locked stream');
      controller = null;
      port.readable = null;
      port.writable = null;
    },
    getInfo: () => ({ usbVendorId: 0x10c4, usbProductId: 0xea60 }),
    setSignals: async () => {},
    addEventListener() {},
    removeEventListener() {},
  };
  const serial = { requestPort: async () => port, getPorts: async () => [port], addEventListener() {}, removeEventListener() {} };
  Object.defineProperty(Navigator.prototype, 'serial', { get: () => serial, configurable: true });
}

/** The board's bytes (a Buffer, a Uint8Array or a string) into the page's port, in order. */
export function toPage(page, bytes) {
  const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return page
    .evaluate((b) => window.__fromBoard?.(b), Array.from(data))
    .catch(() => {
      /* the page is closing */
    });
}
