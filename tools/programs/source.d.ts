// `import text from '…/hello.js?source'`: a built-in role's program as text (source.mjs).
declare module '*?source' {
  const text: string;
  export default text;
}
