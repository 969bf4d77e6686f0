import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { BrazeClient, type BrazeRequest } from '../src/braze/client.js';
import { DEFAULT_CACHE_POLICY, DEFAULT_UPSTREAM_POLICY, loadConfig } from '../src/config/index.js';
import { DataService } from '../src/data/service.js';
import { createGatewayYoga } from '../src/yoga.js';
import { createLogger } from '../src/observability/logger.js';
import { readMultipart } from './helpers/incremental.js';

/** A client with a bug: what the gateway does with an error it did not expect. */
class BuggyClient extends BrazeClient {
  override call<T>(request: BrazeRequest<T>): Promise<T> {
    if (request.params.get('event') === 'bug') return Promise.reject(new TypeError('internal detail: cannot read x of undefined at /srv/secret/path.ts'));
    return Promise.resolve(request.parse(JSON.stringify({ message: 'success', data: [{ time: '2024-01-01', count: 5 }] })));
  }
}

/** The gateway over BuggyClient, listening on a loopback port, with what it logged. */
async function startBuggyGateway(): Promise<{ url: URL; logs: string[]; close: () => Promise<void> }> {
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const dispatcher = new Agent();
  const client = new BuggyClient({ endpoint: new URL('http://127.0.0.1:9'), apiKey: 'k', dispatcher, policy: DEFAULT_UPSTREAM_POLICY, logger });
  const data = new DataService(client, undefined, DEFAULT_CACHE_POLICY, logger);
  const yoga = createGatewayYoga(loadConfig({ NODE_ENV: 'development' }), { client, data, logger, simulated: false });
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/graphql`),
    logs,
    close: async () => {
      server.close();
      await dispatcher.close();
    },
  };
}

describe('unexpected errors', () => {
  it('are masked for the client, logged at error level, and only null their own field', async () => {
    const { url, logs, close } = await startBuggyGateway();
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: '{ bad: eventSeries(event: "bug", length: 1) { total } good: eventSeries(event: "ok", length: 1) { total } }',
        }),
      });
      const body = await response.text();
      expect(JSON.parse(body)).toMatchObject({
        data: { bad: null, good: { total: 5 } },
        errors: [
          {
            message: 'Unexpected error.',
            locations: [{ line: 1, column: 3 }],
            path: ['bad'],
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          },
        ],
      });
      expect(body).not.toContain('internal detail');
      const logged = logs.filter((l) => l.includes('internal detail'));
      expect(logged.length).toBeGreaterThan(0);
      expect(JSON.parse(logged[0] ?? '{}').level).toBe('error');
    } finally {
      await close();
    }
  });

  it('in a deferred part too: masked in its incremental payload, logged at error level, the rest of the answer intact', async () => {
    const { url, logs, close } = await startBuggyGateway();
    try {
      const { received } = await readMultipart(
        url,
        '{ good: eventSeries(event: "ok", length: 1) { total } ... @defer { bad: eventSeries(event: "bug", length: 1) { total } } }',
      );
      expect(received.map(({ payload }) => payload)).toEqual([
        { data: { good: { total: 5 } }, hasNext: true },
        {
          incremental: [
            {
              data: { bad: null },
              path: [],
              errors: [{ message: 'Unexpected error.', locations: [{ line: 1, column: 68 }], path: ['bad'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
            },
          ],
          hasNext: false,
          extensions: { brazeCache: { hits: 0, shared: 0, misses: 1, attempts: 1, coalesced: 0, maxAgeSeconds: 0 } },
        },
      ]);
      expect(JSON.stringify(received)).not.toContain('internal detail');
      const logged = logs.filter((l) => l.includes('internal detail'));
      expect(logged.length).toBeGreaterThan(0);
      expect(JSON.parse(logged[0] ?? '{}').level).toBe('error');
    } finally {
      await close();
    }
  });
});
