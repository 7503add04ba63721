// The script of the students' page's timer Worker (timers.ts says why), as the page's server
// serves it (/student-timers.js): a string, so that the command that serves it needs no DOM.

/** The worker: `[id, ms]` sets a timer, `[id]` cancels it; it posts `id` when one is due. */
export const TIMER_WORKER_JS =
  'const t=new Map();onmessage=(e)=>{const[id,ms]=e.data;if(ms===undefined){clearTimeout(t.get(id));t.delete(id);return}t.set(id,setTimeout(()=>{t.delete(id);postMessage(id)},ms))};';
