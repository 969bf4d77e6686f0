/** A worker's bundled source, made by scripts/build-graphiql.ts. */
declare module 'inline-worker:*' {
  const source: string;
  export default source;
}
