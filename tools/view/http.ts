// What every answer of our pages' servers carries, and how a page's file is sent.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PageFile } from '../web/pages';

/** The headers every answer of the pages carries: never cached, never sniffed, never framed by
 *  another page (a click in a hidden frame could stop a pair). */
export const NO_STORE = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' };

/** Answers a GET or a HEAD with a page's file: never cached, sniffed or framed, as every answer. */
export function sendFile(req: IncomingMessage, res: ServerResponse, file: PageFile): void {
  res.writeHead(200, { ...NO_STORE, ...file.headers }).end(req.method === 'HEAD' ? undefined : file.body);
}
