/**
 * Braze calls one MCP session may spend (MCP_SESSION_BUDGET): answered calls, and the attempts of
 * failed ones as their errors report them. A tool call is refused, before the
 * gateway is asked, once the session has spent its budget; the call that crosses it is answered (what
 * one operation costs is known only after it ran, and is capped by BRAZE_MAX_CALLS_PER_REQUEST, plus
 * the retries of failed calls), so a session overshoots by at most one request's cost. Either way the refusal comes long before a chatty agent
 * drains a bucket into the reserve kept for every other integration.
 */
export class SessionBudget {
  #spent = 0;

  constructor(readonly limit: number) {}

  get spent(): number {
    return this.#spent;
  }

  get left(): number {
    return Math.max(0, this.limit - this.#spent);
  }

  get exhausted(): boolean {
    return this.#spent >= this.limit;
  }

  spend(calls: number): void {
    this.#spent += calls;
  }
}

/** The refusal's sentence: what ran out, and what the agent can still do. */
export function budgetRefusal(budget: SessionBudget): string {
  return (
    `This MCP session has spent its budget of ${budget.limit} Braze calls (MCP_SESSION_BUDGET): no further Braze call is made for it. ` +
    'Answers already asked remain in the cache for other sessions; start a new session or ask the operator for a larger budget.'
  );
}
