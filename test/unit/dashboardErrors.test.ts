import { describe, expect, it } from 'vitest';
import { friendlyMessage, friendlyStatus } from '../../examples/dashboard/src/errors.js';

/** The example dashboard's wording of the gateway's error codes (examples/dashboard/src/errors.ts). */

const utcClock = (instant: Date) => instant.toISOString().slice(11, 16);
const coded = (code: string, extensions: Record<string, unknown> = {}) => ({ message: 'raw message from the gateway', extensions: { code, ...extensions } });

describe('friendlyMessage', () => {
  it('says when a rate-limited Braze resumes, from resetAt, else retryAt', () => {
    expect(friendlyMessage(coded('UPSTREAM_RATE_LIMITED', { resetAt: '2026-03-01T14:05:00Z' }), utcClock)).toBe('Braze rate limit reached; numbers resume at 14:05.');
    expect(friendlyMessage(coded('UPSTREAM_RATE_LIMITED', { retryAt: '2026-03-01T09:30:00Z' }), utcClock)).toBe('Braze rate limit reached; numbers resume at 09:30.');
    expect(friendlyMessage(coded('UPSTREAM_RATE_LIMITED'), utcClock)).toBe('Braze rate limit reached; numbers resume shortly.');
    expect(friendlyMessage(coded('UPSTREAM_RATE_LIMITED', { resetAt: 'not a time' }), utcClock)).toBe('Braze rate limit reached; numbers resume shortly.');
  });

  it.each([
    ['UPSTREAM_UNAVAILABLE', 'Braze is unavailable right now; try again in a minute.'],
    ['UPSTREAM_TIMEOUT', 'Braze is unavailable right now; try again in a minute.'],
    ['UNAUTHENTICATED', 'You are not allowed to see these numbers.'],
    ['FORBIDDEN', 'You are not allowed to see these numbers.'],
    ['UPSTREAM_FORBIDDEN', "The gateway's Braze key is not allowed to read these numbers."],
    ['TOO_MANY_UPSTREAM_CALLS', 'This view asks Braze too much at once: choose a shorter time range.'],
    ['TOO_MANY_SUBSCRIPTIONS', 'Too many live panels are open: close some tabs.'],
    ['UPSTREAM_NOT_FOUND', 'Braze does not know this item.'],
  ])('%s → %s', (code, sentence) => {
    expect(friendlyMessage(coded(code), utcClock)).toBe(sentence);
  });

  it('never shows the raw message of an unknown or missing code', () => {
    expect(friendlyMessage(coded('SOMETHING_NEW'))).toBe('Something went wrong; the numbers are not available.');
    expect(friendlyMessage({ message: 'Unexpected error.' })).toBe('Something went wrong; the numbers are not available.');
  });
});

describe('friendlyStatus', () => {
  it('words an HTTP refusal without a GraphQL body', () => {
    expect(friendlyStatus(401)).toBe('You are not allowed to see these numbers.');
    expect(friendlyStatus(403)).toBe('You are not allowed to see these numbers.');
    expect(friendlyStatus(502)).toBe('The analytics gateway is unavailable right now.');
    expect(friendlyStatus(406)).toBe('The analytics gateway refused the request (HTTP 406).');
  });
});
