/**
 * Where a session's spending is kept beyond this replica (Redis, src/mcp/redisSessions.ts), so that
 * every replica serving the session counts against one budget. Undefined answers: the ledger could not
 * be read or written (Redis down); the budget goes on from this replica's own count meanwhile.
 */
export interface BudgetLedger {
  /** What the session has spent, all replicas together. */
  spent(): Promise<number | undefined>;
  /** Adds `calls`; the total after, all replicas together. */
  add(calls: number): Promise<number | undefined>;
}

/**
 * Braze calls one MCP session may spend (MCP_SESSION_BUDGET): answered calls, and the attempts of
 * failed ones as their errors report them. A tool call is refused, before the gateway is asked, once
 * the session has spent its budget; the call that crosses it is answered (what one operation costs is
 * known only after it ran, and is capped by BRAZE_MAX_CALLS_PER_REQUEST, plus the retries of failed
 * calls), so a session overshoots by at most one request's cost on each replica serving it at that
 * moment. Either way the refusal comes long before a chatty agent drains a bucket into the reserve
 * kept for every other integration.
 */
export class SessionBudget {
  #spent: number;
  /** The session's spending calls, one after another (see `turn`). */
  #turns: Promise<unknown> = Promise.resolve();

  constructor(
    readonly limit: number,
    private readonly ledger?: BudgetLedger,
    spent = 0,
  ) {
    this.#spent = spent;
  }

  get spent(): number {
    return this.#spent;
  }

  get left(): number {
    return Math.max(0, this.limit - this.#spent);
  }

  get exhausted(): boolean {
    return this.#spent >= this.limit;
  }

  /**
   * Runs `call` once the session's previous spending call (on this replica) has spent, unless the
   * budget is spent by then: `refused()` instead, and nothing is asked. One at a time, or an agent's
   * parallel calls would all pass the check and overshoot it together.
   */
  turn<T>(call: () => Promise<T>, refused: () => T): Promise<T> {
    const next = this.#turns.then(async () => {
      await this.#observe(this.ledger?.spent());
      return this.exhausted ? refused() : call();
    });
    this.#turns = next.catch(() => undefined);
    return next;
  }

  /** Counts `calls` against the budget (here, and in the ledger when there is one). */
  async spend(calls: number): Promise<void> {
    this.#spent += calls;
    if (calls > 0) await this.#observe(this.ledger?.add(calls));
  }

  /** What the ledger says was spent, all replicas together: never less than this replica has counted. */
  async #observe(total: Promise<number | undefined> | undefined): Promise<void> {
    const shared = await total;
    if (shared !== undefined) this.#spent = Math.max(this.#spent, shared);
  }
}

/** The refusal's sentence: what ran out, and what the agent can still do. */
export function budgetRefusal(budget: SessionBudget): string {
  return (
    `This MCP session has spent its budget of ${budget.limit} Braze calls (MCP_SESSION_BUDGET): no further Braze call is made for it. ` +
    'Answers already asked remain in the cache for other sessions; start a new session or ask the operator for a larger budget.'
  );
}
