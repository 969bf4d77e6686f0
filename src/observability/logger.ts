import { createRedactor } from './redact.js';
import { requestScope } from './requestId.js';

/** How much is written: `debug` adds one line per upstream call; `silent` writes nothing. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type Level = Exclude<LogLevel, 'silent'>;
const SEVERITY: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/**
 * One JSON object a line. Also satisfies yoga's logger shape (it calls `logger.error(err)` with
 * arbitrary arguments), so the same instance serves both.
 */
export interface Logger {
  debug(message: unknown, ...rest: unknown[]): void;
  info(message: unknown, ...rest: unknown[]): void;
  warn(message: unknown, ...rest: unknown[]): void;
  error(message: unknown, ...rest: unknown[]): void;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Receives each finished line (without newline). Default: stderr. */
  write?: (line: string) => void;
  /** Values that must never reach a log line (the Braze key, tokens); hidden whole, in part or encoded (src/observability/redact.ts). */
  secrets?: readonly string[];
}

export function createLogger({ level, write, secrets = [] }: LoggerOptions): Logger {
  const sink = write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const redact = createRedactor(secrets);
  const emit = (lineLevel: Level, message: unknown, rest: unknown[]): void => {
    if (SEVERITY[lineLevel] < SEVERITY[level]) return;
    const entry: Record<string, unknown> = { level: lineLevel, time: new Date().toISOString() };
    // Written while serving an HTTP request: which one (src/observability/requestId.ts).
    const scope = requestScope.getStore();
    if (scope) entry['requestId'] = scope.requestId;
    entry['msg'] = message instanceof Error ? message.message : String(message);
    if (message instanceof Error) entry['err'] = describeError(message);
    for (const extra of rest) {
      if (extra instanceof Error) entry['err'] = describeError(extra);
      else if (extra !== null && typeof extra === 'object') Object.assign(entry, extra);
      else if (extra !== undefined) entry['msg'] = `${String(entry['msg'])} ${String(extra)}`;
    }
    let line: string;
    try {
      line = JSON.stringify(entry);
    } catch {
      line = JSON.stringify({ level: lineLevel, time: entry['time'], msg: String(entry['msg']) });
    }
    sink(redact(line));
  };
  return {
    debug: (m, ...r) => emit('debug', m, r),
    info: (m, ...r) => emit('info', m, r),
    warn: (m, ...r) => emit('warn', m, r),
    error: (m, ...r) => emit('error', m, r),
  };
}

function describeError(error: Error): Record<string, unknown> {
  const described: Record<string, unknown> = { name: error.name, message: error.message };
  if (error.stack) described['stack'] = error.stack;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') described['code'] = code;
  if (error.cause instanceof Error) described['cause'] = describeError(error.cause);
  return described;
}
