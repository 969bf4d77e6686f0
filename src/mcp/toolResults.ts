import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { CallCost, GatewayAnswer, WireError } from './gatewayCall.js';
import { compactResult } from './compactResult.js';

/** What every tool result says of Braze: the calls it cost, what came from the cache, what is left. */
export interface BrazeUse {
  readonly calls: number;
  /** HTTP attempts of those calls, retries included (`calls` when none was retried); they count against the budget. */
  readonly attempts: number;
  /** Attempts of Braze calls that failed (CallCost.failedAttempts); they count against the budget too. */
  readonly failedAttempts: number;
  readonly fromCache: boolean;
  readonly cachedAnswers: number;
  readonly sharedAnswers: number;
  /** Calls this session may still make (MCP_SESSION_BUDGET minus what it spent). */
  readonly sessionBudgetLeft: number;
  /** Each bucket Braze reported on: what remains of it and when it refills. */
  readonly buckets: CallCost['buckets'];
}

export function brazeUse(cost: CallCost, sessionBudgetLeft: number): BrazeUse {
  return {
    calls: cost.brazeCalls,
    attempts: cost.answeredAttempts,
    failedAttempts: cost.failedAttempts,
    // Every answer came from somewhere other than a call of this request's own.
    fromCache: cost.brazeCalls === 0 && (cost.cachedAnswers > 0 || cost.wholeResponseCached),
    cachedAnswers: cost.cachedAnswers,
    sharedAnswers: cost.sharedAnswers,
    sessionBudgetLeft,
    buckets: cost.buckets,
  };
}

/**
 * A gateway answer as a tool result: the data compacted, with `braze`; with errors (the request
 * refused, or a field failed), an MCP tool error (`isError`) carrying each error's gateway code and
 * sentence, and whatever data did arrive.
 */
export function answerResult(answer: GatewayAnswer, use: BrazeUse): CallToolResult {
  const errors = answer.errors.map(errorView);
  const body: Record<string, unknown> = {};
  if (answer.data !== undefined && answer.data !== null) body['data'] = compactResult(answer.data);
  if (errors.length > 0) body['errors'] = errors;
  body['braze'] = use;
  return { content: [{ type: 'text', text: JSON.stringify(body) }], structuredContent: body, ...(errors.length > 0 ? { isError: true } : {}) };
}

/** A refusal made here, before the gateway was asked: a tool error with a code like the gateway's. */
export function refusalResult(code: string, message: string, extra: Record<string, unknown> = {}): CallToolResult {
  const body = { errors: [{ code, message, ...extra }] };
  return { content: [{ type: 'text', text: JSON.stringify(body) }], structuredContent: body, isError: true };
}

/** An error as an agent needs it: the stable code first, the gateway's sentence, where, and its safe details. */
function errorView(error: WireError): Record<string, unknown> {
  const { code, http: _http, ...details } = error.extensions ?? {};
  return {
    code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR',
    message: error.message,
    ...(error.path ? { path: error.path } : {}),
    ...details,
  };
}
