// A built-in role's program as a student sees it: its file (src/apps/builtin/<role>.js), which the
// build hands to the pages as text (`…/hello.js?source`, the esbuild plugin below), so the
// students' example and what the board runs are one text (the board's module is made from it by
// tools/programs/role-module.mjs; test/xs/xs-registry.test.mjs checks both say and send the same).

/** The program's text as the page shows it: the file, which must end with a newline. */
export function programText(file, source) {
  if (!source.endsWith('\n')) throw new Error(`${file}: a program's file ends with a newline`);
  return source;
}

/** esbuild: `import text from './x.js?source'` is programText of x.js. */
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
