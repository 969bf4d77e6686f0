import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis.js';

export const HAPROXY = '/usr/sbin/haproxy';

/** Whether Debian's haproxy is installed (.ci/install-debian-packages.sh installs it). */
export async function haproxyAvailable(): Promise<boolean> {
  try {
    await access(HAPROXY, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The response header naming the replica that answered (haproxy's own errors carry none). */
export const SERVED_BY = 'x-served-by';

export interface LoadBalancer {
  /** The GraphQL endpoint through the balancer. */
  readonly url: URL;
  stop(): Promise<void>;
}

/**
 * A real HTTP load balancer in front of `backends` (host:port each): haproxy in the foreground,
 * round-robin per request, no health checks (a killed replica's requests fail, as they would in the
 * seconds before a check notices), no retries. Each answer says which replica served it in SERVED_BY.
 */
export async function startHaproxy(backends: readonly URL[]): Promise<LoadBalancer> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'haproxy-'));
  const config = join(dir, 'haproxy.cfg');
  await writeFile(
    config,
    [
      'global',
      '  maxconn 4096',
      'defaults',
      '  mode http',
      '  timeout connect 2s',
      '  timeout client 60s',
      '  timeout server 60s',
      '  retries 0',
      'frontend gateway',
      `  bind 127.0.0.1:${port}`,
      '  default_backend replicas',
      'backend replicas',
      '  balance roundrobin',
      `  http-response set-header ${SERVED_BY} %[srv_name]`,
      ...backends.map((backend, i) => `  server r${i} ${backend.hostname}:${backend.port}`),
      '',
    ].join('\n'),
  );
  const child = spawn(HAPROXY, ['-f', config, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // haproxy -db says nothing when it listens: knock until the port answers.
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}:\n${output}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) break;
    if (Date.now() > deadline) throw new Error(`haproxy did not listen on ${port}:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: new URL(`http://127.0.0.1:${port}/graphql`),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
