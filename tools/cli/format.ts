// `mqtt-pair sub -F`: mosquitto_sub 2.0's output format. `%` codes for the message (with
// mosquitto's optional `-` alignment, `0` padding, width and `.precision`), `%j`/`%J` for JSON,
// `@` codes for the time (strftime's, plus `@N` nanoseconds), `\` escapes. What it cannot do
// (MQTT v5 properties, locale-dependent times) is refused when the format is read, with the reason.

import type { Message } from '../../src/mqtt/client';
import { decodeUtf8 } from '../../src/mqtt/codec';
import { UsageError } from './flags';
import { cliWords } from '../words/cli';

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', v: '\v', a: '\x07', e: '\x1b', '0': '\0', '\\': '\\' };
const V5 = 'ACDEFPRS';
const TIMES = 'aAbBdeFHIjklmMnNpsStTuwyYzZ%@';

type Piece = string | { code: string; align: boolean; zero: boolean; width: number; precision: number };

/** Reads a -F format once; throws UsageError on what it cannot print. */
export function parseFormat(format: string): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  const push = (p: Piece) => {
    if (text) {
      pieces.push(text);
      text = '';
    }
    pieces.push(p);
  };
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch === '\\' && i + 1 < format.length) {
      const e = ESCAPES[format[++i]];
      if (e === undefined) throw new UsageError(cliWords().format.escape(format[i]));
      text += e;
    } else if (ch === '@' && i + 1 < format.length) {
      const c = format[++i];
      if (c === '@') {
        text += '@';
        continue;
      }
      if (!TIMES.includes(c)) throw new UsageError(cliWords().format.time(c, `@${TIMES.slice(0, -2).split('').join(' @')}`));
      push({ code: `@${c}`, align: false, zero: false, width: 0, precision: -1 });
    } else if (ch === '%' && i + 1 < format.length) {
      let j = i + 1;
      const align = format[j] === '-';
      if (align) j++;
      const zero = format[j] === '0';
      if (zero) j++;
      let width = 0,
        precision = -1;
      while (j < format.length - 1 && format[j] >= '0' && format[j] <= '9') width = width * 10 + Number(format[j++]);
      if (format[j] === '.') {
        precision = 0;
        j++;
        while (j < format.length - 1 && format[j] >= '0' && format[j] <= '9') precision = precision * 10 + Number(format[j++]);
      }
      const c = format[j];
      i = j;
      if (c === '%') {
        text += '%';
        continue;
      }
      if (V5.includes(c)) throw new UsageError(cliWords().format.v5(c));
      if (!'IjJlmpqrtUxX'.includes(c)) throw new UsageError(cliWords().format.code(c ?? ''));
      push({ code: c, align, zero, width, precision });
    } else {
      text += ch;
    }
  }
  if (text) pieces.push(text);
  return pieces;
}

/** One message in a parsed format; `warn` gets a payload that %J cannot show as JSON. */
export function applyFormat(pieces: Piece[], m: Message, payload: Buffer, now = new Date(), warn: (line: string) => void = () => {}): Buffer[] {
  const out: Buffer[] = [];
  let text = '';
  const flush = () => {
    if (text) {
      out.push(Buffer.from(text));
      text = '';
    }
  };
  const ns = (now.getTime() % 1000) * 1e6;
  for (const p of pieces) {
    if (typeof p === 'string') {
      text += p;
      continue;
    }
    const fit = (s: string, numeric = false) => {
      if (p.precision >= 0 && !numeric) s = s.slice(0, p.precision);
      if (s.length >= p.width) return s;
      const pad = (p.zero && numeric && !p.align ? '0' : ' ').repeat(p.width - s.length);
      return p.align ? s + pad : pad + s;
    };
    switch (p.code) {
      case 't':
        text += fit(m.topic);
        break;
      case 'p': {
        const bytes = p.width && payload.length > p.width ? payload.subarray(0, p.width) : payload;
        const pad = ' '.repeat(Math.max(0, p.width - bytes.length));
        if (!p.align) text += pad;
        flush();
        out.push(bytes);
        if (p.align) text += pad;
        break;
      }
      case 'x':
      case 'X': {
        const hex = payload.toString('hex');
        text += fit(p.code === 'X' ? hex.toUpperCase() : hex);
        break;
      }
      case 'q':
        text += m.qos;
        break;
      case 'r':
        text += m.retain ? 1 : 0;
        break;
      case 'l':
        text += fit(String(payload.length), true);
        break;
      case 'm':
        text += fit(String(m.id), true);
        break;
      case 'I':
        text += fit(strftime('%FT%T%z', now));
        break;
      case 'U':
        text += `${Math.floor(now.getTime() / 1000)}.${String(ns).padStart(9, '0')}`;
        break;
      case 'j':
      case 'J': {
        const head = { tst: jsonTime(now), topic: m.topic, qos: m.qos, retain: m.retain ? 1 : 0, payloadlen: payload.length, ...(m.qos ? { mid: m.id } : {}) };
        let body: string;
        if (p.code === 'j') {
          // Text as a string; anything else (binary, control characters) as its bytes, as mosquitto does.
          const t = utf8OrNull(payload);
          body = JSON.stringify(t !== null && !/[\x00-\x1f\x7f]/.test(t) ? t : Array.from(payload));
        } else {
          const t = utf8OrNull(payload);
          let parsed: unknown;
          try {
            parsed = t === null ? undefined : JSON.parse(t);
          } catch {
            parsed = undefined;
          }
          if (parsed === undefined) {
            warn(`-F %J: the message on ${m.topic} is not valid JSON, printed without it`);
            body = 'null';
          } else body = JSON.stringify(parsed);
        }
        text += `${JSON.stringify(head).slice(0, -1)},"payload":${body}}`;
        break;
      }
      default:
        text += fit(strftime(`%${p.code.slice(1)}`, now)); // @x
    }
  }
  flush();
  return out;
}

function utf8OrNull(b: Buffer): string | null {
  try {
    return decodeUtf8(b);
  } catch {
    return null;
  }
}

/** mosquitto's "tst": local time with microseconds, then Z and the offset (its own form). */
function jsonTime(d: Date): string {
  return `${strftime('%Y-%m-%dT%H:%M:%S', d)}.${String(d.getMilliseconds() * 1000).padStart(6, '0')}Z${strftime('%z', d)}`;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The strftime conversions of TIMES, in the C locale. */
export function strftime(format: string, d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return format.replace(/%(.)/g, (_, c: string) => {
    switch (c) {
      case 'a':
        return DAYS[d.getDay()].slice(0, 3);
      case 'A':
        return DAYS[d.getDay()];
      case 'b':
        return MONTHS[d.getMonth()].slice(0, 3);
      case 'B':
        return MONTHS[d.getMonth()];
      case 'd':
        return two(d.getDate());
      case 'e':
        return String(d.getDate()).padStart(2, ' ');
      case 'F':
        return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
      case 'H':
        return two(d.getHours());
      case 'I':
        return two(d.getHours() % 12 || 12);
      case 'j':
        return String(Math.floor((d.getTime() - new Date(d.getFullYear(), 0, 1).getTime()) / 86400000) + 1).padStart(3, '0');
      case 'k':
        return String(d.getHours()).padStart(2, ' ');
      case 'l':
        return String(d.getHours() % 12 || 12).padStart(2, ' ');
      case 'm':
        return two(d.getMonth() + 1);
      case 'M':
        return two(d.getMinutes());
      case 'n':
        return '\n';
      case 'N':
        return String((d.getTime() % 1000) * 1e6).padStart(9, '0');
      case 'p':
        return d.getHours() < 12 ? 'AM' : 'PM';
      case 's':
        return String(Math.floor(d.getTime() / 1000));
      case 'S':
        return two(d.getSeconds());
      case 't':
        return '\t';
      case 'T':
        return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
      case 'u':
        return String(d.getDay() || 7);
      case 'w':
        return String(d.getDay());
      case 'y':
        return two(d.getFullYear() % 100);
      case 'Y':
        return String(d.getFullYear());
      case 'z': {
        const off = -d.getTimezoneOffset();
        return `${off < 0 ? '-' : '+'}${two(Math.floor(Math.abs(off) / 60))}${two(Math.abs(off) % 60)}`;
      }
      case 'Z':
        return new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((x) => x.type === 'timeZoneName')?.value ?? '';
      case '%':
        return '%';
      default:
        return `%${c}`;
    }
  });
}
