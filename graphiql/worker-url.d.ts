/** Where the gateway serves a worker, built by scripts/build-graphiql.ts (`/graphiql/<label>.worker-<hash>.js`). */
declare module 'worker-url:*' {
  const url: string;
  export default url;
}
