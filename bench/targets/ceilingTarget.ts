// The ceiling of npm run bench (bench/scenarios/run.ts, scenario 6b): a bare graphql-yoga with a trivial schema
// and none of the gateway's plugins, in a process of its own. In the gateways' process it ran last,
// after every other scenario had grown that heap and warmed other code, which made it slower than the
// gateway's own `{ __typename }`: not a ceiling. Alone, its rate and CPU per request are its own.
//
// Prints one JSON line on stdout, { ceiling, pid } (CeilingInfo in bench/lib/protocol.ts), then serves until
// SIGTERM/SIGINT or until the parent's IPC channel closes. Listens on 127.0.0.1 only.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import type { CeilingInfo } from '../lib/protocol.js';
import { exitWhenAsked } from '../lib/process.js';

const yoga = createYoga({
  schema: createSchema({ typeDefs: 'type Query { ok: Boolean }', resolvers: { Query: { ok: () => true } } }),
  graphqlEndpoint: '/graphql',
  graphiql: false,
  landingPage: false,
  logging: false,
});
const server = createServer(yoga);

exitWhenAsked(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(0, '127.0.0.1', () => {
    server.off('error', reject);
    resolve();
  });
});
const info: CeilingInfo = { ceiling: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, pid: process.pid };
process.stdout.write(`${JSON.stringify(info)}\n`);
