// A built-in role's program as a student sees it: the body of the function its file exports
// (src/apps/builtin/<role>.ts, `export default function name({ … }: ProgramApi): void {` … `}`),
// less one level of indent. The build hands it to the pages as text (`…/hello.ts?source`, the
// esbuild plugin below), so the students' example and its file are one text (the board runs the role's class,
// src/apps/pair.ts; test/xs/xs-registry.test.mjs checks the example behaves as it).

/** The body of the file's `export default function`, dedented, ending with a newline; throws if none. */
export function programText(file, source) {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => /^export default function \w+\(.*\): void \{$/.test(l));
  const end = lines.lastIndexOf('}');
  if (start < 0 || end <= start) throw new Error(`${file}: no "export default function name({ … }: ProgramApi): void {" … "}" to take a program from`);
  const body = lines.slice(start + 1, end);
  for (const l of body) if (l && !l.startsWith('  ')) throw new Error(`${file}: the program's lines are indented by two spaces: ${l}`);
  return `${body.map((l) => l.slice(2)).join('\n')}\n`;
}

/** esbuild: `import text from './x.ts?source'` is programText of x.ts. */
export const programSource = {
  name: 'program-source',
  setup(build) {
    build.onResolve({ filter: /\?source$/ }, async (args) => {
      const { join, dirname } = await import('node:path');
      return { path: join(dirname(args.importer), args.path.slice(0, -'?source'.length)), namespace: 'program-source' };
    });
    build.onLoad({ filter: /.*/, namespace: 'program-source' }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      return { contents: programText(args.path, await readFile(args.path, 'utf8')), loader: 'text', watchFiles: [args.path] };
    });
  },
};
