import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node resolves `graphql` (no "exports" map) to its CommonJS build, which is what our dependencies
    // get; Vite would prefer the "module" build for our own files. Two copies of graphql break
    // instanceof checks, so tests load the same one production does.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/helpers/summaryReporter.ts'],
    // Each file starts real listeners; they are independent, so files run in parallel workers. Most
    // of a file's time is spent waiting (on timers, sockets, child processes), not computing: vitest's
    // default of one worker fewer than the cores ran them one at a time on a 2-core machine.
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // @urql/core 6 ends a multipart (@defer) fetch by aborting its controller after it stopped reading at
    // `hasNext: false`; on Node 22 and later that abort surfaces as an unhandled AbortError raised from
    // urql's own teardown (makeFetchSource), after every value was delivered. It is the client library's,
    // seen only in Node (test/clients/defer.test.ts), and docs/clients.md says so; any other unhandled
    // error still fails the run.
    onUnhandledError: (error) => !(error.name === 'AbortError' && /@urql[\\/]core[\\/]dist[\\/]urql-core-chunk\.mjs/.test(error.stack ?? '')),
  },
});
