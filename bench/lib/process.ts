// Child-process helpers shared by the benchmarks (bench/lib/common.ts, bench/scenarios/soak.ts). No load-generator
// imports here, so any bench script can use them cheaply.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** SIGTERM, then SIGKILL after 5 s; resolves with how the child ended. */
export async function stopChild(child: ChildProcess): Promise<string> {
  const describe = (): string => (child.signalCode !== null ? `signal ${child.signalCode}` : `exit code ${child.exitCode}`);
  if (child.exitCode !== null || child.signalCode !== null) return `${describe()} (before it was asked to stop)`;
  const started = performance.now();
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(killer);
  return `${describe()} ${(performance.now() - started).toFixed(0)} ms after SIGTERM`;
}

/** Resident set size in MiB (VmRSS), or undefined once the process is gone or off Linux. */
export function rssMiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

/**
 * For a benchmark's child target: on SIGTERM, SIGINT or the parent's IPC channel closing (however the
 * parent exits), runs `close` once and exits 0 (1 when it fails); a close that hangs more than 5 s
 * exits 1, so a stuck socket never keeps the child alive.
 */
export function exitWhenAsked(close: () => Promise<unknown>): void {
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 5000).unref();
    void close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  if (process.send !== undefined) process.once('disconnect', stop);
}

/** A port nothing listens on right now (the kernel's pick, released at once for a child to take). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
