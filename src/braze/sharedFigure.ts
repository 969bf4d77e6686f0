/**
 * The pure rules of the rate-limit state replicas share through Redis. The Lua scripts of
 * sharedStore.ts apply the same rules inside Redis (atomically); these functions apply them on a
 * replica, to its cached view, and are what the unit tests pin down.
 */
import { LONGEST_WINDOW_MS, MAX_CLOCK_SKEW_MS, MAX_RATE_LIMIT_COUNT } from './rateLimitHeaders.js';

/** Braze's figure for one bucket, as the replica that saw it published it. */
export interface SharedFigure {
  readonly limit: number;
  readonly remaining: number;
  /** Epoch ms (`x-ratelimit-reset` × 1000). */
  readonly resetAt: number;
  /** Epoch ms, by the clock of the replica that saw it: shown, never compared. */
  readonly observedAt: number;
}

/**
 * One bucket in Redis: the newest figure; of the calls numbered after the figure's call (in the order
 * replicas sent them), those on the wire (`onTheWire`) and those that failed without a figure (`lost`:
 * Braze may have counted them, or not).
 */
export interface SharedBucketState {
  readonly figure: SharedFigure;
  readonly onTheWire: number;
  readonly lost: number;
}

/**
 * Whether `candidate` is newer news of Braze's counter than `current`. A later reset is a later window.
 * Within one window Braze's `remaining` only goes down (every call counts, none is given back), so the
 * lower figure is the later one, whichever replica saw it and whenever it arrived: answers to calls of
 * different replicas interleave (a slow answer carrying 1,000 can land after a fast one carrying 990),
 * and replicas' clocks differ, so neither the order of arrival nor `observedAt` says which is newer.
 * An equal figure is no news.
 */
export function isNewerFigure(candidate: Pick<SharedFigure, 'remaining' | 'resetAt'>, current: Pick<SharedFigure, 'remaining' | 'resetAt'> | undefined): boolean {
  if (current === undefined) return true;
  if (candidate.resetAt !== current.resetAt) return candidate.resetAt > current.resetAt;
  return candidate.remaining < current.remaining;
}

/**
 * When a call now would eat into the reserve by the shared view: the reset it waits for, else
 * undefined. The workspace has Braze's newest figure less the calls any replica sent after the
 * figure's call that are on the wire or lost, less this replica's own calls whose count has not come
 * back from Redis yet (`pending`). As with one replica's tracker (rateLimit.ts), when only lost calls hold the estimate at
 * the reserve and no call is on the wire anywhere, a call may go: its answer brings the figure that
 * corrects the estimate; without it the workspace would stay paused until the reset. Each replica
 * decides that from its own view, so at most one such call per replica goes at a time.
 */
export function sharedRefusal(state: SharedBucketState | undefined, pending: number, reserve: number, now: number): number | undefined {
  if (state === undefined || now >= state.figure.resetAt) return undefined;
  const { figure, lost } = state;
  const onTheWire = state.onTheWire + pending;
  if (figure.remaining - onTheWire - lost > reserve) return undefined;
  if (lost > 0 && onTheWire === 0 && figure.remaining > reserve) return undefined;
  return figure.resetAt;
}

/** What the shared view says is left right now (never below 0), or undefined once the window reset. */
export function sharedRemaining(state: SharedBucketState | undefined, pending: number, now: number): number | undefined {
  if (state === undefined || now >= state.figure.resetAt) return undefined;
  return Math.max(0, state.figure.remaining - state.onTheWire - pending - state.lost);
}

/**
 * A bucket's state as the scripts return it: `[limit, remaining, resetAt, observedAt, onTheWire, lost]` as
 * strings (Redis hash values), or nil. Undefined for anything else (an older or foreign format), and
 * for a state no replica of this gateway can have written: Redis is read as warily as Braze, because
 * one bad figure there would reach every replica. Counts are whole numbers in decimal digits up to
 * MAX_RATE_LIMIT_COUNT with remaining at most the limit and the limit at least 1, as a replica takes
 * them from Braze's headers (rateLimitHeaders.ts). The reset is no further ahead of `now` than a
 * window and the skew of two clocks (the replica that saw it, and this one); a past reset is a window
 * that is over, which the rules above already treat as no figure. `observedAt` is not ahead of `now`
 * by more than that skew.
 */
/**
 * The latest reset a figure in Redis can have at `now` (epoch ms): Braze's longest window ahead, with
 * the clock skew of the replica that wrote it and of this one. The scripts of sharedStore.ts treat a
 * stored figure past it as none, so a real figure replaces it.
 */
export function latestSharedReset(now: number): number {
  return now + LONGEST_WINDOW_MS + 2 * MAX_CLOCK_SKEW_MS;
}

export function parseBucketState(reply: unknown, now: number = Date.now()): SharedBucketState | undefined {
  if (!Array.isArray(reply) || reply.length !== 6) return undefined;
  const [limit, remaining, resetAt, observedAt, onTheWire, lost] = reply.map(readWhole) as (number | undefined)[];
  if (limit === undefined || remaining === undefined || onTheWire === undefined || lost === undefined) return undefined;
  if (limit < 1 || limit > MAX_RATE_LIMIT_COUNT || remaining > limit || onTheWire > MAX_RATE_LIMIT_COUNT || lost > MAX_RATE_LIMIT_COUNT) return undefined;
  if (resetAt === undefined || resetAt > latestSharedReset(now)) return undefined;
  if (observedAt === undefined || observedAt > now + 2 * MAX_CLOCK_SKEW_MS) return undefined;
  return { figure: { limit, remaining, resetAt, observedAt }, onTheWire, lost };
}

/** A whole number as Redis gives it (text of decimal digits, or an integer reply); undefined otherwise. */
function readWhole(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || !/^[0-9]{1,16}$/.test(value)) return undefined;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : undefined;
}
