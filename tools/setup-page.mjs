// The board's setup page (hosts/moddable/setup-page/): page.ts bundled and minified for browsers,
// page.css minified, both put inside page.html: one ASCII page (non-ASCII written as entities and
// \u escapes), served by the board a slice at a time straight from flash. tools/build.mjs builds
// it into the firmware and the Node bundle as the string SETUP_PAGE.
import { build, transform } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export async function buildSetupPage(root) {
  const dir = join(root, 'hosts/moddable/setup-page');
  const script = await build({
    absWorkingDir: root,
    entryPoints: [join(dir, 'page.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2019',
    minify: true,
    charset: 'ascii',
    logLevel: 'warning',
    legalComments: 'none',
  });
  const style = await transform(readFileSync(join(dir, 'page.css'), 'utf8'), { loader: 'css', minify: true, charset: 'ascii' });
  const html = readFileSync(join(dir, 'page.html'), 'utf8')
    .replace(/\n\s*/g, '\n')
    .replace('/*STYLE*/', () => style.code.trim())
    .replace('/*SCRIPT*/', () => script.outputFiles[0].text.trim().replace(/<\/script/gi, '<\\/script'));
  const page = html.replace(/[^\x00-\x7f]/gu, (c) => `&#${c.codePointAt(0)};`);
  if (!/^[\x00-\x7f]*$/.test(page)) throw new Error('the setup page is not ASCII');
  return page;
}
