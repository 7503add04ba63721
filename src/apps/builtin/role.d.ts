// `import start from './hello.js?role'`: a built-in role's program made into a module whose
// default export runs it on the API of ./api.ts (the build does it: tools/programs/role-module.mjs).
declare module '*?role' {
  const start: () => void;
  export default start;
}
