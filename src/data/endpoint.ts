/** The cache lifetimes an endpoint's TTL rule chooses between. */
export interface TtlPolicy {
  /** Numbers still moving (a window reaching into the last unit, a list that may grow). */
  readonly liveTtlMs: number;
  /** Numbers of the recent past (a window wholly in the past); kept longer, not forever: Braze data can arrive late. */
  readonly pastTtlMs: number;
  /** Numbers settled (a series window that ended more than SETTLED_AFTER_MS ago): kept longest. */
  readonly settledTtlMs: number;
}

/**
 * Calls one answer can serve share one upstream call: a call covering them all is made (by default the
 * one that reaches furthest), and each field gets its part of that answer.
 */
export interface Coalescing<Call, Answer> {
  /** The same for calls one answer can serve: everything but how far back they reach (and what `cover` merges). */
  windowKey(call: Call): string;
  /** How far back the call reaches: without `cover`, the largest of a window is the one made. */
  reach(call: Call): number;
  /**
   * The one call made for a group of calls sharing a window key (two or more), when the furthest-reaching
   * of them is not enough: e.g. the furthest reach with the union of optional parts each asks for. It
   * may be one of the group (compared by `key`) or a call none of them is.
   */
  cover?(group: readonly Call[]): Call;
  /** `call`'s answer cut from the answer to `covering`, or undefined when it cannot be known (it gets its own call). */
  slice(answer: Answer, covering: Call, call: Call): Answer | undefined;
}

/** What the simulator gets to build a plausible answer. */
export interface SimulationInput {
  readonly params: URLSearchParams;
  readonly now: number;
}

/** The simulator's answer: a status and a JSON body, as Braze would send them. */
export interface SimulatedAnswer {
  readonly status: number;
  readonly body: unknown;
  /** Headers Braze sends with it that a parser reads (a list's `link` to its next page). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The response headers an endpoint's parser reads (those its descriptor names in `headers`), by
 * lower-case name; a header Braze sent more than once is its values joined by ", " (as RFC 9110 lets
 * a list-valued field be). Absent: none were sent.
 */
export type AnswerHeaders = Readonly<Record<string, string>>;

/**
 * One Braze endpoint, described once: where it is, how a validated call becomes its query string, how
 * its answer is checked, how long the answer may be reused, which rate-limit bucket it spends, and what
 * demo mode answers. Everything else (deduplication, the per-request cap, sharing across requests, the
 * cache, retries, the breaker, metrics) serves every endpoint the same way.
 */
export interface Endpoint<Call, Answer> {
  /** Short and stable: a metrics label and part of every cache key. */
  readonly name: string;
  /** Below Braze's base URL, e.g. `/events/data_series`. */
  readonly path: string;
  /** The API key permission Braze's page names for it (`kpi.dau.data_series`): a key without it gets 403 here, and the error names it. */
  readonly permission: string;
  /** The rate-limit bucket it spends: a name from the catalogue's bucket table. */
  readonly bucket: string;
  /** Identity of a call: equal keys are one upstream call (per request, across requests, in the cache). */
  key(call: Call): string;
  searchParams(call: Call): URLSearchParams;
  /**
   * The response headers its parser reads, lower case (`link`, for a list whose next page Braze names
   * in a Link header). They are given to `parse`, and kept with the body wherever the body is kept (a
   * shared cache), so that an answer read back is parsed from all Braze sent. None: the body alone.
   */
  readonly headers?: readonly string[];
  /**
   * A 2xx body (with the headers `headers` names) → the answer, or UpstreamInvalidResponseError saying
   * what is wrong with it.
   */
  parse(text: string, call: Call, headers?: AnswerHeaders): Answer;
  /** How long an answer to `call`, fetched at `now`, may be served again. */
  ttlMs(call: Call, now: number, policy: TtlPolicy): number;
  readonly coalescing?: Coalescing<Call, Answer>;
  /** Demo mode's answer to these query parameters: deterministic, plausible, validated like Braze. */
  simulate(input: SimulationInput): SimulatedAnswer;
}

/**
 * Any endpoint, for the places that handle them all alike (the simulator's routing). Every endpoint is
 * one of these: its methods take `never` and return `unknown` as far as such a place can tell. Its
 * coalescing is left out: `cover` returns a call, which no `never` can stand for, and no such place
 * coalesces.
 */
export type AnyEndpoint = Omit<Endpoint<never, unknown>, 'coalescing'>;
