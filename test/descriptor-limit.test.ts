import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseDescriptorLimit, readDescriptorLimit } from '../src/server/fileDescriptorLimit.js';
import { spawnServer } from '../testkit/serverProcess.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max processes             96365                96365                processes
Max open files            1024                 524288               files
Max locked memory         8388608              8388608              bytes
`;

describe('the process descriptor limit', () => {
  it('is the soft "Max open files" value of /proc/<pid>/limits', () => {
    expect(parseDescriptorLimit(LIMITS)).toBe(1024);
  });

  it('is unknown when unlimited, missing, or not a number', () => {
    expect(parseDescriptorLimit(LIMITS.replace('1024 ', 'unlimited'))).toBeUndefined();
    expect(parseDescriptorLimit('Max processes 10 10 processes\n')).toBeUndefined();
    expect(parseDescriptorLimit('')).toBeUndefined();
    expect(readDescriptorLimit('/nonexistent/limits')).toBeUndefined();
  });
});

/** What one probe got: its status (0: no answer) and how long it took. */
interface Probe {
  readonly status: number;
  readonly ms: number;
  readonly body: string;
}

/** One GET on a connection of its own (a fresh client, never a pooled socket), given up after `timeoutMs`. */
function probe(url: URL, timeoutMs: number): Promise<Probe> {
  const startedAt = Date.now();
  return new Promise((resolve) => {
    const done = (status: number, body: string): void => resolve({ status, ms: Date.now() - startedAt, body });
    const call = request(url, { agent: false, headers: { 'x-graphql-yoga-csrf': '1' }, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => done(response.statusCode ?? 0, body));
      response.on('error', (error) => done(0, error.message));
    });
    call.on('timeout', () => call.destroy(new Error('no answer in time')));
    call.on('error', (error) => done(0, error.message));
    call.end();
  });
}

/**
 * `size` idle connections that never send a byte; each one the server closes comes back 200–700 ms
 * later, so the crowd keeps pressing, spread out as hostile clients would be.
 */
function hostileCrowd(url: URL, size: number): { readonly closedByServer: () => number; readonly open: () => number; stop(): void } {
  const sockets = new Set<Socket>();
  let closedByServer = 0;
  let stopped = false;
  const join = (slot: number): void => {
    if (stopped) return;
    const socket = connect(Number(url.port), url.hostname);
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      sockets.delete(socket);
      if (stopped) return;
      closedByServer += 1;
      setTimeout(() => join(slot), 200 + ((slot * 37) % 500)).unref();
    });
  };
  for (let slot = 0; slot < size; slot += 1) join(slot);
  return {
    closedByServer: () => closedByServer,
    open: () => [...sockets].filter((socket) => !socket.connecting && !socket.destroyed).length,
    stop() {
      stopped = true;
      for (const socket of sockets) socket.destroy();
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the gateway process under `ulimit -n 256`', () => {
  it('keeps answering /health and a query while 400 hostile idle sockets come and go, and is normal after', async () => {
    const server = spawnServer({ PORT: '0', HOST: '127.0.0.1' }, { descriptorLimit: 256 });
    try {
      const url = await server.listening;
      const health = new URL('/health', url);
      const query = new URL(`${url.pathname}?query=${encodeURIComponent('{ eventSeries(event: "purchase", length: 3) { total } }')}`, url);

      const crowd = hostileCrowd(url, 400);
      await sleep(500);
      const during: Probe[] = [];
      for (const until = Date.now() + 3_000; Date.now() < until; ) {
        during.push(await probe(health, 2_000), await probe(query, 2_000));
        await sleep(100);
      }
      // A socket the kernel has completed but the gateway has not yet accepted (the listen backlog) looks
      // open from here for a moment; what the gateway holds is the settled count, so the lowest of a
      // few readings 50 ms apart is compared with the cap.
      const readings: number[] = [];
      for (let i = 0; i < 5; i++) {
        readings.push(crowd.open());
        await sleep(50);
      }
      const openAtEnd = Math.min(...readings);
      const closedByServer = crowd.closedByServer();
      crowd.stop();

      // Every probe answered, promptly, with real content.
      const failed = during.filter((p) => p.status !== 200 || p.ms >= 2_000);
      expect(failed.slice(0, 3)).toEqual([]);
      expect(during.length).toBeGreaterThanOrEqual(10);
      for (const [index, p] of during.entries()) {
        if (index % 2 === 0) expect(JSON.parse(p.body)).toMatchObject({ status: 'ok', braze: 'simulated' });
        else expect((JSON.parse(p.body) as { data: { eventSeries: { total: number } } }).data.eventSeries.total).toBeGreaterThan(0);
      }
      // The crowd did not fit: the gateway kept closing it, and never held more of it than the cap.
      expect(closedByServer).toBeGreaterThan(248);
      expect(openAtEnd).toBeLessThanOrEqual(152);

      await sleep(300);
      const after = [await probe(health, 2_000), await probe(query, 2_000)];
      expect(after.map((p) => p.status)).toEqual([200, 200]);
      expect(server.child.exitCode).toBeNull();
      // 256 − (64 + 2 × 20 upstream connections): the cap the gateway fitted to the limit, and said so.
      expect(server.output()).toContain('client connections: at most 152');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 30_000);
});
