// Shared by bench/scenarios/run.ts and bench/scenarios/rss.ts (the load generators): the child process (bench/targets/target.ts),
// /proc sampling, and one autocannon run.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { rssMiB, stopChild } from './process.js';
import autocannon from 'autocannon';
import { CALLS_PATH } from '../../testkit/fakeBraze.js';
import { BENCH_TOKEN, type CeilingInfo, type TargetInfo } from './protocol.js';

/** A fixed instant, so the same question is the same cache key in every request. */
export const ENDING_AT = '2024-03-10T00:00:00Z';
export const GRAPHQL_HEADERS = Object.freeze({
  'content-type': 'application/json',
  authorization: `Bearer ${BENCH_TOKEN}`,
});

export function numberEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min} (got "${raw}")`);
  return value;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------
// The child

export interface Target {
  readonly child: ChildProcess;
  readonly info: TargetInfo;
}

const READY_TIMEOUT_MS = 30_000;

/**
 * Starts bench/targets/target.ts with an IPC channel (the child stops when it closes, so it never outlives this
 * process) and waits for its JSON line. Also kills the child if this process exits or is interrupted.
 */
export function startTarget(env: Record<string, string>): Promise<Target> {
  return startChildScript<TargetInfo>('bench/targets/target.ts', env);
}

/** The bare-yoga ceiling (bench/targets/ceilingTarget.ts), in a process of its own; started as startTarget starts its child. */
export function startCeiling(): Promise<{ readonly child: ChildProcess; readonly info: CeilingInfo }> {
  return startChildScript<CeilingInfo>('bench/targets/ceilingTarget.ts', {});
}

async function startChildScript<Info>(script: string, env: Record<string, string>): Promise<{ readonly child: ChildProcess; readonly info: Info }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  process.once('exit', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`bench: ${signal}, stopping ${script}\n`);
      void stopChild(child).finally(() => process.exit(130));
    });
  }
  const lines = createInterface({ input: child.stdout! });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script} printed nothing within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      const onExit = (code: number | null, signal: string | null) =>
        reject(new Error(`${script} exited before it was ready (${signal ?? `exit code ${code}`})`));
      child.once('exit', onExit);
      lines.once('line', (text) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(text);
      });
    });
    return { child, info: JSON.parse(line) as Info };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

/** Every call the fake Braze received so far, read from its GET /__calls. */
export async function upstreamCalls(upstream: string): Promise<number> {
  const response = await fetch(`${upstream}${CALLS_PATH}`, { signal: AbortSignal.timeout(5000) });
  const body = (await response.json()) as { calls?: unknown };
  if (typeof body.calls !== 'number') throw new Error(`unexpected ${CALLS_PATH} body: ${JSON.stringify(body)}`);
  return body.calls;
}

// ---------------------------------------------------------------------------------------------------
// /proc (Linux)


/** CPU seconds (user + system) used so far, from /proc/<pid>/stat (USER_HZ = 100 on Linux). */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` and keeps the peak. */
export function rssPeak(pid: number, everyMs: number): { stop(): number | undefined } {
  let peak: number | undefined;
  const sample = () => {
    const rss = rssMiB(pid);
    if (rss !== undefined && (peak === undefined || rss > peak)) peak = rss;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// One autocannon run

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Per request, the body to send (overrides `body`); for many distinct keys. */
  readonly nextBody?: () => string;
  /**
   * Drain at the end instead of cutting: after `seconds`, no connection starts a new request and the
   * run ends once every in-flight request has its answer. Then every request the target received was
   * completed, so upstream calls ÷ requests completed is exact.
   */
  readonly drain: boolean;
  /** Called with each response (status, body); for counting by phase. */
  readonly onResponse?: (status: number) => void;
}

export interface LoadResult {
  /** Responses received (any status): autocannon's requests.total. */
  readonly completed: number;
  /** Requests per second: with drain, responses received within the window ÷ the window; otherwise autocannon's mean. */
  readonly rps: number;
  /** autocannon's mean of its per-second samples (with drain, its last sample holds only the drain). */
  readonly autocannonMean: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  /** 2xx responses whose body mentions "errors" (a GraphQL error, or a failed field). */
  readonly bodiesWithErrors: number;
  /** The first 2xx body, for a full check; and the first body with errors, if any. */
  readonly sample: string | undefined;
  readonly firstBadBody: string | undefined;
  /** Requests sent but neither answered nor failed: cut in flight when autocannon stopped (0 when drained). */
  readonly cutInFlight: number;
}

/** Longest a drain may take before autocannon's own duration stops the run anyway. */
const DRAIN_LIMIT_S = 15;
const CLIENT_TIMEOUT_S = 10;

interface ClientInternals {
  reqsMade: number;
  responseMax: number | undefined;
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const clients: autocannon.Client[] = [];
  let inWindow = 0;
  let windowOpen = true;
  let bodiesWithErrors = 0;
  let sample: string | undefined;
  let firstBadBody: string | undefined;
  const request: autocannon.Request = {
    onResponse: (status, body) => {
      if (windowOpen) inWindow++;
      options.onResponse?.(status);
      if (status < 200 || status > 299) return;
      sample ??= body;
      if (body.includes('"errors"')) {
        bodiesWithErrors++;
        firstBadBody ??= body;
      }
    },
  };
  if (options.nextBody !== undefined) {
    const nextBody = options.nextBody;
    request.setupRequest = (req) => ({ ...req, body: nextBody() });
  }

  const started = performance.now();
  let windowMs = options.seconds * 1000;
  const running = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.drain ? options.seconds + DRAIN_LIMIT_S : options.seconds,
    timeout: CLIENT_TIMEOUT_S,
    method: options.method,
    headers: { ...options.headers },
    ...(options.body === undefined ? {} : { body: options.body }),
    requests: [request],
    setupClient: (client) => {
      clients.push(client);
    },
  });
  const drainTimer = options.drain
    ? setTimeout(() => {
        windowOpen = false;
        windowMs = performance.now() - started;
        // autocannon's own request limit, set now: a connection whose in-flight request is answered
        // sends no other and closes; when all have, autocannon ends the run at its next sample tick.
        for (const client of clients) {
          const internals = client as unknown as ClientInternals;
          internals.responseMax = Math.max(1, internals.reqsMade);
        }
      }, options.seconds * 1000)
    : undefined;
  let result: autocannon.Result;
  try {
    result = await running;
  } finally {
    clearTimeout(drainTimer);
  }

  return {
    completed: result.requests.total,
    rps: options.drain ? (inWindow * 1000) / windowMs : result.requests.mean,
    autocannonMean: result.requests.mean,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    bodiesWithErrors,
    sample,
    firstBadBody,
    cutInFlight: Math.max(0, result.requests.sent - result.requests.total - result.errors),
  };
}

export { rssMiB, stopChild };
