import { describe, expect, it } from 'vitest';
import { friendlyMessage } from '../../examples/dashboard/src/errors.js';
import { liveFailure } from '../../examples/dashboard/src/liveErrors.js';

/** How the example dashboard reads the end of a live subscription (examples/dashboard/src/liveErrors.ts). */

describe('liveFailure', () => {
  it('keeps the GraphQL errors of an `error` message as the gateway sent them', () => {
    const errors = [{ message: 'too many', extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', scope: 'client' } }];
    expect(liveFailure(errors)).toEqual(errors);
  });

  it('words the credential closes (4401 none sent, 4403 refused) as the refusals they are', () => {
    for (const code of [4401, 4403]) {
      const [error] = liveFailure({ code, reason: 'Forbidden' });
      expect(error && friendlyMessage(error)).toBe('You are not allowed to see these numbers.');
    }
    expect(liveFailure({ code: 4401, reason: '' })[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(liveFailure({ code: 4403, reason: '' })[0]?.extensions).toEqual({ code: 'FORBIDDEN' });
  });

  it('keeps any other close code as closeCode, worded generically', () => {
    const [error] = liveFailure({ code: 1006, reason: '' });
    expect(error?.extensions).toEqual({ closeCode: 1006 });
    expect(error && friendlyMessage(error)).toBe('Something went wrong; the numbers are not available.');
  });

  it('takes an Error or anything else by its message', () => {
    expect(liveFailure(new Error('socket gone'))).toEqual([{ message: 'socket gone' }]);
    expect(liveFailure('odd')).toEqual([{ message: 'odd' }]);
    expect(liveFailure({ code: 'not a number', reason: 'x' })).toEqual([{ message: '[object Object]' }]);
  });
});
