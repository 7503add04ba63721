// The setup page's HTTP, sans-I/O (src/setup/http.ts): requests read as their bytes arrive in
// memory that does not grow with them, Content-Length as digits only, forms scanned field by
// field, and the Origin rule. The board's server over it: test/firmware/mcsim-setup-attacks.test.mjs.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { answer, contentLength, originAllowed, FormScanner, RequestReader, MAX_LINE, MAX_HEAD, MAX_FORM, queryName, programStore } from '../../dist/testing.js';

const ascii = (s) => new TextEncoder().encode(s);

/** A reader fed `text` in slices of `step` bytes; its state, and how many bytes it took. */
function read(text, step = 7, maxValue = 200) {
  const r = new RequestReader(maxValue);
  const b = ascii(text);
  let took = 0;
  for (let i = 0; i < b.length && !r.status; i += step) took += r.push(b, i, Math.min(b.length, i + step));
  return { r, took };
}

describe('the setup page’s HTTP', () => {
  test('Content-Length: digits only, at most nine', () => {
    assert.equal(contentLength('0'), 0);
    assert.equal(contentLength('8192'), 8192);
    for (const bad of ['', '50000000x', '5e7', '-1', '+5', ' 5', '0x10', '1.5', '1234567890', 'NaN', 'Infinity'])
      assert.equal(contentLength(bad), -1, JSON.stringify(bad));
  });

  test("Origin: absent or the page's own; anything else refused", () => {
    assert.equal(originAllowed(undefined, '192.168.4.1'), true);
    assert.equal(originAllowed('http://192.168.4.1', '192.168.4.1'), true);
    assert.equal(originAllowed('http://127.0.0.1:8080', '127.0.0.1:8080'), true);
    assert.equal(originAllowed('http://Captive.Apple.com', 'captive.apple.com'), true);
    assert.equal(originAllowed('http://evil.example', '192.168.4.1'), false);
    assert.equal(originAllowed('null', '192.168.4.1'), false);
    assert.equal(originAllowed('https://192.168.4.1', '192.168.4.1'), false);
    assert.equal(originAllowed('http://192.168.4.1:81', '192.168.4.1'), false);
    assert.equal(originAllowed('http://192.168.4.1', undefined), false);
  });

  test('a request read in slices: its line, Host, Origin, and a scanned form', () => {
    const body = 'ssid=Salle+204&password=mot%20de%20passe&topicPrefix=';
    const { r, took } = read(
      `POST /save HTTP/1.1\r\nHost: 192.168.4.1\r\nUser-Agent: x\r\nOrigin: http://192.168.4.1\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    assert.equal(r.status, 200);
    assert.deepEqual([r.method, r.path, r.host, r.origin], ['POST', '/save', '192.168.4.1', 'http://192.168.4.1']);
    assert.deepEqual(r.form, { ssid: 'Salle 204', password: 'mot de passe', topicPrefix: '' });
    assert.ok(took > body.length);
    const g = read('GET /generate_204 HTTP/1.1\nHost: connectivitycheck.gstatic.com\n\nGET / HTTP/1.1\r\n\r\n', 1).r;
    assert.deepEqual([g.status, g.method, g.path, g.form], [200, 'GET', '/generate_204', undefined]);
  });

  test('each limit as the bytes arrive: a line that never ends, endless headers, a length that is no number', () => {
    const line = read(`GET /${'a'.repeat(100000)}`, 512).r;
    assert.equal(line.status, 414);
    assert.match(line.why, new RegExp(`${MAX_LINE} bytes`));
    const header = read(`GET / HTTP/1.1\r\nX-Long: ${'a'.repeat(100000)}`, 512).r;
    assert.equal(header.status, 431, 'a header that never ends is only counted, then refused');
    const many = read(`GET / HTTP/1.1\r\n${'A: b\r\n'.repeat(5000)}`, 512).r;
    assert.equal(many.status, 431);
    assert.match(many.why, new RegExp(`${MAX_HEAD} bytes`));
    assert.equal(read('POST /save HTTP/1.1\r\nContent-Length: 50000000x\r\n\r\n').r.status, 400);
    assert.equal(read('POST /save HTTP/1.1\r\nContent-Length: 50000000\r\n\r\n').r.status, 413);
    assert.equal(read(`POST /save HTTP/1.1\r\nContent-Length: ${MAX_FORM + 1}\r\n\r\n`).r.status, 413);
    assert.equal(read('POST /save HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx').r.status, 400);
    assert.equal(read('POST /save HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n').r.status, 501);
    assert.equal(read('GET /\r\n\r\n').r.status, 400);
    assert.equal(read('GET / HTTP/1.1\r\nno colon\r\n\r\n').r.status, 400);
    assert.equal(read('GET / HTTP/1.1\r\nHost: a\r\n').r.status, 0, 'not whole yet');
  });

  test('a form of a thousand `&` and endless fields: scanned, never split', () => {
    assert.deepEqual(read(`POST /save HTTP/1.1\r\nContent-Length: 1000\r\n\r\n${'&'.repeat(1000)}`).r.form, {});
    const many = `ssid=a&${'role=hello&'.repeat(700)}`;
    assert.match(read(`POST /save HTTP/1.1\r\nContent-Length: ${many.length}\r\n\r\n${many}`).r.form, /role twice/);
    const long = `ssid=${'a'.repeat(300)}`;
    assert.match(read(`POST /save HTTP/1.1\r\nContent-Length: ${long.length}\r\n\r\n${long}`).r.form, /more than 200 bytes/);
    const names = 'x'.repeat(8000);
    assert.match(read(`POST /save HTTP/1.1\r\nContent-Length: ${names.length}\r\n\r\n${names}`).r.form, /not a setting/);
  });

  test('a form from another origin is not scanned, and answered 403', () => {
    const body = 'ssid=Pirate&broker=evil.example&role=hello';
    const { r } = read(`POST /save HTTP/1.1\r\nHost: 192.168.4.1\r\nOrigin: http://evil.example\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    assert.deepEqual([r.status, r.form], [200, undefined]);
    let saved = null;
    const site = {
      view: () => ({}),
      networks: () => ({}),
      save(f) {
        saved = f;
        return null;
      },
    };
    const a = answer(site, { method: 'POST', path: '/save', body: '', form: r.form, origin: r.origin, host: r.host });
    assert.equal(a.status, 403);
    assert.equal(saved, null, 'nothing saved');
    const ok = answer(site, { method: 'POST', path: '/save', body, origin: 'http://192.168.4.1', host: '192.168.4.1' });
    assert.equal(ok.status, 200);
    assert.deepEqual(saved, { ssid: 'Pirate', broker: 'evil.example', role: 'hello' });
    assert.equal(answer(site, { method: 'GET', path: '/favicon.ico', body: '' }).status, 404, 'not the whole page for an icon');
    assert.equal(answer(site, { method: 'GET', path: '/hotspot-detect.html', body: '' }).status, 200);
  });

  test('forms: the scanner decodes escapes and UTF-8, and refuses what is broken', () => {
    const scan = (s, max = 200) => {
      const f = new FormScanner(max);
      f.push(ascii(s));
      return f.end();
    };
    assert.deepEqual(scan('name=Ren%C3%A9e&peer=a%2Bb+c&interval'), { name: 'Renée', peer: 'a+b c', interval: '' });
    assert.match(scan('name=%C3'), /not valid UTF-8/);
    assert.match(scan('name=%zz'), /not valid UTF-8/);
    assert.match(scan('name=%4'), /not valid UTF-8/);
    assert.match(scan('name=ok&nom=x'), /"nom" that is not a setting/);
    assert.match(scan('ssid=a&ssid=b'), /ssid twice/);
    assert.deepEqual(scan('ssid=12345678'), { ssid: '12345678' });
    assert.match(scan('ssid=123456789', 8), /ssid is more than 8 bytes long/);
  });
});

describe('POST /program: its own route and limit, the body given as it arrives', () => {
  const { MAX_PROGRAM_BYTES } = programStore;
  /** A reader whose programs go to a sink that records each slice; what it opened. */
  const reader = () => {
    const opened = [];
    const r = new RequestReader(200, (name, size) => {
      const sink = {
        name,
        size,
        slices: [],
        push: (b, s, e) => sink.slices.push(Buffer.from(b.subarray(s, e)).toString()),
        abandon: () => (sink.abandoned = true),
      };
      opened.push(sink);
      return sink;
    });
    return { r, opened };
  };
  const feed = (r, text, step) => {
    const b = ascii(text);
    for (let i = 0; i < b.length && !r.status; i += step) r.push(b, i, Math.min(b.length, i + step));
  };

  test('the name from the query; the body in slices to the program, never kept by the reader', () => {
    assert.equal(queryName('/program?name=esp1.js'), 'esp1.js');
    assert.equal(queryName('/program?x=1&name=%C3%A9l%C3%A8ve+1.js'), 'élève 1.js');
    assert.equal(queryName('/program?name=%ZZ'), '');
    assert.equal(queryName('/program'), '');
    const { r, opened } = reader();
    const body = 'print(1);\n'.repeat(1000); // 10,000 bytes: more than a form may send
    feed(r, `POST /program?name=big.js HTTP/1.1\r\nHost: 192.168.4.1\r\nContent-Length: ${body.length}\r\n\r\n${body}`, 1500);
    assert.equal(r.status, 200);
    assert.equal(opened.length, 1);
    assert.deepEqual([opened[0].name, opened[0].size], ['big.js', body.length]);
    assert.equal(opened[0].slices.join(''), body);
    assert.ok(opened[0].slices.length > 1, 'in slices, as they came');
    assert.equal(r.program, opened[0]);
    assert.equal(r.form, undefined);
  });

  test('over its limit, without Content-Length, from another site, cut off: refused, nothing opened or all dropped', () => {
    let x = reader();
    feed(x.r, `POST /program?name=a.js HTTP/1.1\r\nContent-Length: ${MAX_PROGRAM_BYTES + 1}\r\n\r\n`, 64);
    assert.deepEqual([x.r.status, x.r.why, x.opened.length], [413, `the program is larger than ${MAX_PROGRAM_BYTES} bytes`, 0]);
    x = reader();
    feed(x.r, 'POST /program?name=a.js HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n', 64);
    assert.equal(x.r.status, 501);
    x = reader();
    feed(x.r, 'POST /program?name=a.js HTTP/1.1\r\nHost: h\r\n\r\nprint(1)', 64);
    assert.deepEqual([x.r.status, x.r.why, x.opened.length], [400, 'a program comes with its Content-Length', 0]);
    x = reader();
    feed(x.r, 'POST /program?name=a.js HTTP/1.1\r\nHost: h\r\nOrigin: http://evil.example\r\nContent-Length: 8\r\n\r\nprint(1)', 64);
    assert.deepEqual([x.r.status, x.r.program, x.opened.length], [200, undefined, 0]);
    // A form's limit still holds on /save, whatever /program takes.
    x = reader();
    feed(x.r, `POST /save HTTP/1.1\r\nContent-Length: ${MAX_FORM + 1}\r\n\r\n`, 64);
    assert.equal(x.r.status, 413);
    // The connection goes mid-body: the program is abandoned.
    x = reader();
    feed(x.r, 'POST /program?name=a.js HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nprint(', 64);
    assert.equal(x.r.status, 0);
    x.r.abandon();
    assert.equal(x.opened[0].abandoned, true);
    // No opener (a board without programs): the reason, the body skipped.
    const none = new RequestReader(200);
    feed(none, 'POST /program?name=a.js HTTP/1.1\r\nHost: h\r\nContent-Length: 8\r\n\r\nprint(1)', 64);
    assert.deepEqual([none.status, none.program], [200, 'this board cannot run programs']);
  });
});
