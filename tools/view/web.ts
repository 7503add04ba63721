// The class page's server on 127.0.0.1 (local-server.ts checks who asks): the page's files, the
// class as Server-Sent Events and as JSON, and the page's stop and start buttons (classroom). A page
// that reads slowly gets the latest state when it is ready again, never a backlog. The students'
// page is served beside it (student-server.ts).

import type { ViewSnapshot } from '../classroom/view-model';
import { CLASS_FILES, studentFiles } from '../web/pages';
import { EventStreams, LocalServer, json, onlyGet, sendFile, text } from './local-server';
import { serveStudent, startStudentServer, type StudentOptions } from './student-server';

export interface WebView {
  port: number;
  url: string;
  studentUrl?: string;
  /** The origins of the pages served (`http://127.0.0.1:8080`): the embedded broker lets in their WebSockets. */
  origins: string[];
  close(): Promise<void>;
}

/** What the page may ask the server to do: stop or start one pair (classroom --web), or make its boards blink (« Identifier », watch --web). */
export type Control = (action: 'stop' | 'start' | 'identify', name: string) => boolean;

/**
 * Serves the classroom page on 127.0.0.1:port (0: any free port): `/` the page, `/events` the
 * snapshots as Server-Sent Events (one a second), `/state.json` the current snapshot; with
 * `control`, POST /pairs/<name>/stop and …/start.
 */
export async function startWebView(port: number, snapshot: () => ViewSnapshot, every = 1000, control?: Control, student?: StudentOptions): Promise<WebView> {
  const studentPageFiles = student && studentFiles({ broker: student.broker, prefix: student.prefix, title: student.title, open: !!student.listen });
  const event = () => `data: ${JSON.stringify(snapshot())}\n\n`;
  const streams = new EventStreams(event);

  const server = new LocalServer({ port, flag: '--web' }, (req, res, path) => {
    if (studentPageFiles && serveStudent(req, res, path, studentPageFiles)) return;
    const action = /^\/pairs\/([^/]+)\/(stop|start|identify)$/.exec(path);
    if (req.method === 'POST' && action && control) {
      let name: string;
      try {
        name = decodeURIComponent(action[1]);
      } catch {
        return text(res, 400, 'a pair name\n');
      }
      const ok = control(action[2] as 'stop' | 'start' | 'identify', name);
      return text(res, ok ? 204 : 404, '');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return onlyGet(res);
    if (CLASS_FILES.has(path)) return sendFile(req, res, CLASS_FILES.get(path)!);
    if (path === '/state.json') return json(res, 200, snapshot());
    if (path === '/events') return streams.open(req, res, event());
    text(res, 404, 'not found: the page is at /\n');
  });

  const timer = setInterval(() => {
    if (streams.size) streams.send(event());
  }, every);
  let students: { url: string; origins: string[]; close(): Promise<void> } | undefined;
  try {
    await server.listen();
    if (student?.listen && studentPageFiles) students = await startStudentServer(student.listen.host, student.listen.port, studentPageFiles);
  } catch (e) {
    clearInterval(timer);
    await server.close();
    throw e;
  }
  const origins = [...server.origins(), ...(students?.origins ?? [])];
  return {
    port: server.port,
    url: `http://127.0.0.1:${server.port}/`,
    studentUrl: studentPageFiles && (students?.url ?? `http://127.0.0.1:${server.port}/student`),
    origins,
    close: async () => {
      clearInterval(timer);
      // The last state, so an open page shows how the run ended.
      streams.end(event());
      await Promise.all([students?.close(), server.close()]);
    },
  };
}
