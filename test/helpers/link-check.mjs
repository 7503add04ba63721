// The board builds as far as they go without the chips' C toolchains: the JavaScript link of our
// manifest.json for a board platform, with the contributor's own Moddable SDK (MODDABLE set). It
// never builds the SDK.
//
//   const r = linkCheck('esp32/esp32c3', { ssid: 'classroom', role: 'hello' });
//   r.ok, r.modules, r.cFlags (what our manifest adds to modules' C: -DUSE_USB=… -I…, with
//   IDF_PATH as idfPath says: mcconfig resolves it), r.output
//
// 1. `mcconfig -p PLATFORM -t build -o DIR manifest.json key=value…` (no -m) resolves the manifest
//    for that platform and writes the build's makefile: the module list, the preloads, the
//    creation values and one xsc rule a module. A module missing on that platform fails here.
// 2. The part of that makefile which runs the SDK's host tools alone (the variables mcconfig wrote
//    above the platform's make.PLATFORM.mk, and the module rules below it), plus one rule of ours
//    that runs xsl as the platform's own rule does: `make` compiles every module with xsc and
//    links them with xsl. The rest of the makefile (ESP-IDF's or the ESP8266 SDK's compilers) is
//    left out: those toolchains are not needed for this step.
// mcconfig looks for the ESP8266's toolchain folder (ESP_BASE, else ~/esp) before it writes
// anything for `esp`; an empty folder stands in for it, as nothing from it is read.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The makefile mcconfig wrote for this build (the only one under DIR/tmp). */
function findMakefile(dir) {
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isFile() && e.name === 'makefile') return p;
      if (e.isDirectory()) {
        const found = walk(p);
        if (found) return found;
      }
    }
    return null;
  };
  return existsSync(join(dir, 'tmp')) ? walk(join(dir, 'tmp')) : null;
}

/**
 * The makefile cut to what runs xsc and xsl: mcconfig writes its variables, then the platform's
 * make.PLATFORM.mk verbatim, then one rule a module. The platform's part is found as it is in the
 * SDK and replaced by one rule of ours.
 */
function linkOnlyMakefile(makefile, moddable, family) {
  const text = readFileSync(makefile, 'utf8');
  const mk = readFileSync(join(moddable, 'tools', 'mcconfig', `make.${family}.mk`), 'utf8');
  const at = text.indexOf(mk);
  if (at < 0) return null;
  const variables = text.slice(0, at);
  const rules = text.slice(at + mk.length);
  // c-flags: what our manifest adds to the C of every module (hosts/moddable/native/usb.json).
  return `${variables}
link-check: $(MODULES)
\txsl -b $(MODULES_DIR) -o $(TMP_DIR) $(PRELOADS) $(STRIPS) $(CREATION) $(MODULES)

c-flags:
\t@echo "c-flags: $(C_INCLUDES)"

${rules}`;
}

/**
 * Runs the JavaScript link of our manifest for `platform` ("esp32", "esp32/esp32c3", "esp" …) with
 * these config values. Returns { ok, modules, output }: output's last line says what happened.
 */
export function linkCheck(platform, config, { moddable = process.env.MODDABLE, idfPath = process.env.IDF_PATH } = {}) {
  const bin = join(moddable, 'build', 'bin', 'lin', 'release');
  const family = platform.split('/')[0];
  const work = mkdtempSync(join(tmpdir(), 'mqtt-pair-link-'));
  try {
    const env = { ...process.env, MODDABLE: moddable, PATH: `${bin}:${process.env.PATH}` };
    if (idfPath) env.IDF_PATH = idfPath;
    if (family === 'esp' && !env.ESP_BASE) {
      env.ESP_BASE = join(work, 'esp');
      mkdirSync(env.ESP_BASE);
    }
    const out = join(work, 'out');
    mkdirSync(out);
    const args = ['-p', platform, '-t', 'build', '-o', out, join(root, 'manifest.json'), ...Object.entries(config).map(([k, v]) => `${k}=${v}`)];
    const configured = spawnSync(join(bin, 'mcconfig'), args, { cwd: root, env, encoding: 'utf8', timeout: 300_000 });
    const said = `${configured.stdout ?? ''}${configured.stderr ?? ''}`.trim();
    if (configured.status !== 0) return { ok: false, modules: 0, output: `${said}\nlink-check ${platform}: mcconfig failed (exit ${configured.status})` };
    const makefile = findMakefile(out);
    if (!makefile) return { ok: false, modules: 0, output: `${said}\nlink-check ${platform}: mcconfig wrote no makefile` };
    const linkOnly = linkOnlyMakefile(makefile, moddable, family);
    if (!linkOnly)
      return { ok: false, modules: 0, output: `link-check ${platform}: make.${family}.mk is not in the makefile mcconfig wrote (another SDK layout?)` };
    const mine = join(dirname(makefile), 'link-check.mk');
    writeFileSync(mine, linkOnly);
    const linked = spawnSync('make', ['-f', mine, '-j2', 'link-check'], { cwd: dirname(makefile), env, encoding: 'utf8', timeout: 600_000 });
    const output = `${linked.stdout ?? ''}${linked.stderr ?? ''}`.trim();
    const modulesDir = join(dirname(makefile), 'modules');
    const modules = countFiles(modulesDir, '.xsb');
    const xsl = existsSync(join(dirname(makefile), 'mc.xs.c'));
    if (linked.status !== 0 || !xsl) return { ok: false, modules, output: `${output}\nlink-check ${platform}: xsc or xsl failed (exit ${linked.status})` };
    const flags = spawnSync('make', ['-s', '-f', mine, 'c-flags'], { cwd: dirname(makefile), env, encoding: 'utf8', timeout: 60_000 });
    const cFlags = /^c-flags: (.*)$/m.exec(flags.stdout ?? '')?.[1].trim() ?? '';
    return { ok: true, modules, cFlags, output: `link-check ${platform}: xsc and xsl succeeded (${modules} modules)` };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function countFiles(dir, ext) {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) n += countFiles(join(dir, e.name), ext);
    else if (e.name.endsWith(ext)) n++;
  }
  return n;
}
