// A built-in role's program (src/apps/builtin/<role>.js: plain JavaScript on the program API, the
// text a student opens) made into the module the firmware preloads: `import start from
// './builtin/hello.js?role'`. The program's text is not changed, only where its lines go:
//
// - its function declarations go to the module's top level, where XS preloads them into flash:
//   no RAM for their code or their closures (a function a program makes when it runs is a heap
//   object with its own environment: docs/performance.md);
// - its top-level variables are declared at the top level, and set where the program sets them;
// - every other top-level statement runs, in order, in the exported `start()`;
// - `mqtt`, `every`, `after`, `cancel`, `print`, `board` are imports of src/apps/builtin/api.ts.
//
// `module` form (one board per XS machine: the firmware, xsnap): the program's state is the
// module's. `factory` form (Node and the pages, where many boards share one process): the program
// as it is inside `export default function () { … }`, one state a board. Either way, calling the
// default export runs the program.

import { dirname, join } from 'node:path';
import { readFile } from 'node:fs/promises';

/** The API's names, which the program reads as globals and the firmware module imports. */
export const API = ['mqtt', 'every', 'after', 'cancel', 'print', 'board'];

/**
 * The module for `source` (`file` names it in errors); `api` is the import path of the API module.
 * Throws for a program the firmware cannot preload: an import or export, a destructuring
 * declaration, a top-level name that is one of the API's.
 */
export function roleModule(ts, file, source, api, form = 'module') {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  if (sf.parseDiagnostics?.length) {
    const d = sf.parseDiagnostics[0];
    const { line } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
    throw new Error(`${file}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  }
  const top = []; // functions and declarations, at the module's top level
  const body = []; // what start() runs
  const names = new Set(); // the program's top-level variables
  const functions = new Set();
  const where = (node) => `${file}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
  const own = (node, name) => {
    if (API.includes(name)) throw new Error(`${where(node)}: "${name}" is the program API's: name it otherwise`);
  };
  for (const s of sf.statements) {
    const text = source.slice(s.getFullStart(), s.getEnd());
    if (ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s)) throw new Error(`${where(s)}: a program has no import or export`);
    if (ts.isFunctionDeclaration(s) && s.name) {
      own(s, s.name.text);
      functions.add(s.name.text);
      top.push(text);
    } else if (ts.isVariableStatement(s)) {
      const parts = [];
      for (const d of s.declarationList.declarations) {
        if (!ts.isIdentifier(d.name)) throw new Error(`${where(d)}: a top-level declaration names one variable (no destructuring)`);
        own(d, d.name.text);
        names.add(d.name.text);
        // (Set again at each start, as the program's text does when it runs.)
        parts.push(`${d.name.text} = ${d.initializer ? source.slice(d.initializer.getStart(sf), d.initializer.getEnd()) : 'undefined'}`);
      }
      // The comments before it stay with it, where it is set.
      const lead = source.slice(s.getFullStart(), s.getStart(sf));
      body.push(`${lead}${parts.join(', ')};`);
    } else body.push(text);
  }
  for (const n of names) if (functions.has(n)) throw new Error(`${file}: "${n}" is declared twice`);
  const vars = names.size ? `let ${[...names].join(', ')};\n` : '';
  const imports = `import { ${API.join(', ')} } from ${JSON.stringify(api)};\n`;
  // (Each call a board of its own: the program's text as it is, its variables and functions made anew.)
  if (form === 'factory') return `${imports}export default function () {\n${source}\n}\n`;
  return `${imports}${vars}${top.join('')}\nexport default function start() {${body.join('')}\n}\n`;
}

/** esbuild: `import start from './x.js?role'` is roleModule of x.js; `form` as above. */
export function builtinRoles(form) {
  return {
    name: 'builtin-roles',
    setup(build) {
      build.onResolve({ filter: /\?role$/ }, (args) => ({
        path: join(dirname(args.importer), args.path.slice(0, -'?role'.length)),
        namespace: 'builtin-role',
      }));
      build.onLoad({ filter: /.*/, namespace: 'builtin-role' }, async (args) => {
        const ts = (await import('typescript')).default;
        const api = join(dirname(args.path), 'api.ts');
        return {
          contents: roleModule(ts, args.path, await readFile(args.path, 'utf8'), api, form),
          loader: 'js',
          resolveDir: dirname(args.path),
          watchFiles: [args.path],
        };
      });
    },
  };
}
