import type { Logger } from './logger.js';

/** Where unknown keys are counted: GatewayMetrics (braze_gateway_upstream_unknown_keys_total). */
export interface UnknownKeysCounter {
  unknownKeys(endpoint: string, keys: number): void;
}

export interface UnknownKeysReporterOptions {
  readonly metrics?: UnknownKeysCounter | undefined;
  readonly logger: Logger;
  /** At most one debug line per endpoint this often; the answers in between are counted in the next line. */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

/** Keys named in one line at most: an answer full of new keys is named in part. */
const KEYS_PER_LINE = 20;
const MINUTE_MS = 60_000;

/**
 * Reports the keys a Braze answer carried that its endpoint does not know: counted per endpoint in the
 * metrics, and named in a debug line at most once a minute per endpoint (with how many such answers
 * came meanwhile), so an operator sees Braze's answers drift before a user does without a drifting
 * Braze filling the log. `endpoint` is a descriptor's path (the catalogue's, never Braze's text, as the
 * attempts metric has it); the keys are Braze's, cut short by the parser and redacted by the logger
 * like any line.
 */
export function createUnknownKeysReporter({ metrics, logger, intervalMs = MINUTE_MS, now = Date.now }: UnknownKeysReporterOptions): (endpoint: string, keys: readonly string[]) => void {
  const lines = new Map<string, { at: number; answersSince: number }>();
  return (endpoint, keys) => {
    metrics?.unknownKeys(endpoint, keys.length);
    const at = now();
    const last = lines.get(endpoint);
    if (last && at - last.at < intervalMs) {
      last.answersSince++;
      return;
    }
    lines.set(endpoint, { at, answersSince: 0 });
    logger.debug('Braze answered with keys the gateway does not know', {
      endpoint,
      keys: keys.slice(0, KEYS_PER_LINE),
      ...(keys.length > KEYS_PER_LINE ? { moreKeys: keys.length - KEYS_PER_LINE } : {}),
      // Answers with unknown keys since the last line, not named (at most one line a minute).
      ...(last ? { answersSinceLastLine: last.answersSince } : {}),
    });
  };
}
