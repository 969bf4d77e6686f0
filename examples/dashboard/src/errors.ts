/**
 * The gateway's error codes (docs/queries.md "Errors") worded for the people looking at the dashboard.
 * Pure, so it is unit-tested without a browser; the codes are the stable `extensions.code` values.
 */

/** A GraphQL error as it arrives on the wire: only what the wording needs. */
export interface GatewayError {
  readonly message: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** `resetAt` / `retryAt` as a local clock time ("14:05"); `formatTime` is injectable for tests. */
export type FormatTime = (instant: Date) => string;

const clockTime: FormatTime = (instant) => instant.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

function instantOf(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

/** One sentence for one error; an unknown code gets a generic sentence, never the raw message. */
export function friendlyMessage(error: GatewayError, formatTime: FormatTime = clockTime): string {
  const extensions = error.extensions ?? {};
  const code = typeof extensions['code'] === 'string' ? extensions['code'] : undefined;
  switch (code) {
    case 'UPSTREAM_RATE_LIMITED': {
      const resumesAt = instantOf(extensions['resetAt']) ?? instantOf(extensions['retryAt']);
      return resumesAt ? `Braze rate limit reached; numbers resume at ${formatTime(resumesAt)}.` : 'Braze rate limit reached; numbers resume shortly.';
    }
    case 'UPSTREAM_UNAVAILABLE':
    case 'UPSTREAM_TIMEOUT':
      return 'Braze is unavailable right now; try again in a minute.';
    case 'UPSTREAM_INVALID_RESPONSE':
      return 'Braze sent numbers that could not be read; try again later.';
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
    case 'CSRF_PREVENTED':
      return 'You are not allowed to see these numbers.';
    case 'UPSTREAM_UNAUTHORIZED':
    case 'UPSTREAM_FORBIDDEN':
      return "The gateway's Braze key is not allowed to read these numbers.";
    case 'UPSTREAM_NOT_FOUND':
      return 'Braze does not know this item.';
    case 'TOO_MANY_UPSTREAM_CALLS':
      return 'This view asks Braze too much at once: choose a shorter time range.';
    case 'TOO_MANY_SUBSCRIPTIONS':
      return 'Too many live panels are open: close some tabs.';
    case 'QUERY_TOO_COMPLEX':
      return 'This view asks for too much at once.';
    case 'BAD_USER_INPUT':
    case 'UPSTREAM_BAD_REQUEST':
      return `This view asked an invalid question (${error.message}).`;
    case 'RESULT_OUT_OF_RANGE':
      return 'The total is too large to show.';
    default:
      return 'Something went wrong; the numbers are not available.';
  }
}

/** An HTTP status without a GraphQL body (a proxy, a network failure) worded the same way. */
export function friendlyStatus(status: number): string {
  if (status === 401 || status === 403) return friendlyMessage({ message: '', extensions: { code: 'UNAUTHENTICATED' } });
  if (status === 429) return friendlyMessage({ message: '', extensions: { code: 'UPSTREAM_RATE_LIMITED' } });
  if (status >= 500) return 'The analytics gateway is unavailable right now.';
  return `The analytics gateway refused the request (HTTP ${status}).`;
}
