import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
  /** Resolves with the GraphQL URL once the server logs that it listens. */
  readonly listening: Promise<URL>;
}

/**
 * Runs src/main.ts (or `entry`) as its own process, exactly as `npm start` runs the built file, with only the
 * given environment (plus PATH): the real entry point, signals and exit codes. With `descriptorLimit`,
 * it runs under `ulimit -n` of that many file descriptors (soft and hard), as a cramped host would.
 */
export function spawnServer(
  env: Record<string, string>,
  options: { descriptorLimit?: number; entry?: readonly string[]; cwd?: string } = {},
): ServerProcess {
  // `entry`: what node runs instead of src/main.ts through tsx (a built dist/main.js), from `cwd`.
  const node = [process.execPath, ...(options.entry ?? ['--import', 'tsx', 'src/main.ts'])];
  // `exec` keeps the server's own pid, so signals reach it and not bash.
  const [command, ...args] = options.descriptorLimit === undefined ? node : ['bash', '-c', `ulimit -n ${options.descriptorLimit} && exec "$@"`, 'bash', ...node];
  const child = spawn(command ?? process.execPath, args, {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listening = new Promise<URL>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(new URL(match[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => reject(new Error(`server exited before listening:\n${output}`)));
  });
  listening.catch(() => undefined);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return { child, output: () => output, exited, listening };
}
