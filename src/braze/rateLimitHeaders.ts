import type { Logger } from '../observability/logger.js';
import { truncate } from '../observability/redact.js';

/** An answer's headers as undici gives them: names lower-cased, a repeated header as an array. */
export type Headers = Readonly<Record<string, string | string[] | undefined>>;

/**
 * The largest count a real `x-ratelimit-limit` or `-remaining` can be. Braze's largest default limit
 * for the endpoints called here is 250,000 an hour (its "Rate limits" page), raised on request; a
 * count past 2,147,483,647 (2³¹ − 1, 8,600 times that) is none Braze sends, and could not be shown
 * either: the schema reports these counts as GraphQL `Int`, which is 32-bit.
 */
export const MAX_RATE_LIMIT_COUNT = 2_147_483_647;

/**
 * The longest window of the buckets this gateway calls: an hour (export and list buckets; the
 * campaign series bucket's is a minute), per Braze's "Rate limits" page. `x-ratelimit-reset` is the
 * end of the current window, so it is never further ahead than this.
 */
export const LONGEST_WINDOW_MS = 3_600_000;

/**
 * How far this host's clock and Braze's may disagree: five minutes, Kerberos' default tolerance for
 * clocks that are meant to be synchronised. A reset this far in the past (our clock ahead) or this
 * much further ahead than a window (our clock behind) can still be real.
 */
export const MAX_CLOCK_SKEW_MS = 300_000;

/** Braze's figure of one bucket, as one answer's headers said it; every field checked. */
export interface BrazeFigure {
  /** `x-ratelimit-limit`: undefined when the answer did not send it (the tracker keeps the last one). */
  readonly limit: number | undefined;
  /** `x-ratelimit-remaining`, at most `limit`. */
  readonly remaining: number;
  /** Epoch ms of `x-ratelimit-reset` (whole UTC epoch seconds), within a window (and the skew) of now. */
  readonly resetAt: number;
}

/** What an answer's rate-limit headers amount to. */
export type FigureReading =
  | { readonly kind: 'none' }
  | { readonly kind: 'figure'; readonly figure: BrazeFigure }
  /** Headers that cannot be Braze's figure: ignored as if absent; `problem` says why, for the log. */
  | { readonly kind: 'implausible'; readonly problem: string };

const LIMIT = 'x-ratelimit-limit';
const REMAINING = 'x-ratelimit-remaining';
const RESET = 'x-ratelimit-reset';

/**
 * Reads Braze's x-ratelimit-* headers (every answer carries all three, says Braze's "Rate limits"
 * page). Counts are whole numbers in decimal digits up to MAX_RATE_LIMIT_COUNT, remaining at most the
 * limit, the limit at least 1; the reset is whole epoch seconds within a window (and the clock skew)
 * of `now`. Anything else (an exponent, a sign, a fraction, hex, `Infinity`, digits of other scripts,
 * an empty value, a header repeated with different values) cannot be Braze's figure: the whole figure
 * is ignored, never clamped, because a source that sends one impossible value says nothing reliable in
 * the others either.
 */
export function readRateLimitHeaders(headers: Headers, now: number): FigureReading {
  const limitText = headerText(headers, LIMIT);
  const remainingText = headerText(headers, REMAINING);
  const resetText = headerText(headers, RESET);
  if (limitText === undefined && remainingText === undefined && resetText === undefined) return { kind: 'none' };
  if (limitText === CONFLICT) return implausible(`${LIMIT} is repeated with different values`);
  if (remainingText === CONFLICT) return implausible(`${REMAINING} is repeated with different values`);
  if (resetText === CONFLICT) return implausible(`${RESET} is repeated with different values`);
  // Without both, no figure: as when Braze sends none (a 429 may carry its reset alone).
  if (remainingText === undefined || resetText === undefined) return { kind: 'none' };
  const remaining = readCount(remainingText);
  if (remaining === undefined) return implausible(`${REMAINING} ${quote(remainingText)} is not a count from 0 to ${MAX_RATE_LIMIT_COUNT}`);
  let limit: number | undefined;
  if (limitText !== undefined) {
    limit = readCount(limitText);
    if (limit === undefined || limit < 1) return implausible(`${LIMIT} ${quote(limitText)} is not a count from 1 to ${MAX_RATE_LIMIT_COUNT}`);
    if (remaining > limit) return implausible(`${REMAINING} ${remaining} exceeds ${LIMIT} ${limit}`);
  }
  const resetAt = readResetAt(resetText, now);
  if (typeof resetAt === 'string') return implausible(resetAt);
  return { kind: 'figure', figure: { limit, remaining, resetAt } };
}

/**
 * The reset of a 429 (epoch ms), when it can be real; undefined otherwise. A 429 says when to come
 * back even when it carries no remaining; but beside a figure that cannot be real (rateLimitHeaders'
 * rule), its reset is not believed either. Says nothing of what is wrong: the bucket's tracker reads
 * the same headers and logs that.
 */
export function readRateLimitReset(headers: Headers, now: number): number | undefined {
  const reading = readRateLimitHeaders(headers, now);
  if (reading.kind === 'figure') return reading.figure.resetAt;
  if (reading.kind === 'implausible') return undefined;
  const text = headerText(headers, RESET);
  if (text === undefined || text === CONFLICT) return undefined;
  const resetAt = readResetAt(text, now);
  return typeof resetAt === 'number' ? resetAt : undefined;
}

/** Whether `resetAt` (epoch ms) can be the end of a real window of Braze's, seen from `now`. */
export function isPlausibleResetAt(resetAt: number, now: number): boolean {
  return Number.isSafeInteger(resetAt) && resetAt >= now - MAX_CLOCK_SKEW_MS && resetAt <= now + LONGEST_WINDOW_MS + MAX_CLOCK_SKEW_MS;
}

/** A count in decimal digits (no sign, exponent, fraction or space inside), at most MAX_RATE_LIMIT_COUNT. */
export function readCount(text: string): number | undefined {
  if (!/^[0-9]{1,10}$/.test(text)) return undefined;
  const value = Number(text);
  return value <= MAX_RATE_LIMIT_COUNT ? value : undefined;
}

/** Epoch ms, or why the text cannot be a reset. */
function readResetAt(text: string, now: number): number | string {
  // Twelve digits reach the year 33,658: anything longer is out of range anyway, and Number() of it exact.
  if (!/^[0-9]{1,12}$/.test(text)) return `${RESET} ${quote(text)} is not whole epoch seconds`;
  const resetAt = Number(text) * 1000;
  if (!isPlausibleResetAt(resetAt, now)) {
    return `${RESET} ${text} is not within an hour (and ${MAX_CLOCK_SKEW_MS / 60_000} minutes of clock skew) of now`;
  }
  return resetAt;
}

/** Marks a header sent more than once with different values. */
const CONFLICT = Symbol('conflict');

/**
 * A header's value without the spaces and tabs HTTP allows around it; CONFLICT when it was repeated
 * with different values (which one Braze meant cannot be told); undefined when absent.
 */
function headerText(headers: Headers, name: string): string | typeof CONFLICT | undefined {
  const raw = headers[name];
  if (raw === undefined) return undefined;
  if (typeof raw === 'string') return withoutSpaces(raw);
  const values = raw.map(withoutSpaces);
  const [first] = values;
  if (first === undefined) return undefined;
  return values.every((value) => value === first) ? first : CONFLICT;
}

function withoutSpaces(value: string): string {
  return /^[ \t]|[ \t]$/.test(value) ? value.replace(/^[ \t]+|[ \t]+$/g, '') : value;
}

function implausible(problem: string): FigureReading {
  return { kind: 'implausible', problem };
}

/** An upstream value quoted in a log line: cut short, control characters escaped. */
function quote(text: string): string {
  return JSON.stringify(truncate(text, 40));
}

/** At most one line per bucket this often: a Braze (or proxy) that keeps sending nonsense must not flood the log. */
export const IMPLAUSIBLE_LOG_INTERVAL_MS = 60_000;

/**
 * Logs rate-limit headers that were ignored: the first at once, then at most one line per bucket a
 * minute, saying how many were ignored since the last line.
 */
export class ImplausibleFigureLog {
  readonly #last = new Map<string, { at: number; ignored: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  report(bucket: string, problem: string): void {
    const now = this.now();
    const last = this.#last.get(bucket);
    if (last !== undefined && now - last.at < IMPLAUSIBLE_LOG_INTERVAL_MS) {
      last.ignored++;
      return;
    }
    this.#last.set(bucket, { at: now, ignored: 0 });
    this.logger.warn("ignored braze's rate-limit headers: they cannot be a real figure", {
      upstream: { bucket, problem, ...(last && last.ignored > 0 ? { alsoIgnoredSinceLastLine: last.ignored } : {}) },
    });
  }
}
