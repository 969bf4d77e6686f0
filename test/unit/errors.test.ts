import { describe, expect, it } from 'vitest';
import * as errors from '../../src/errors/gatewayErrors.js';
import { GatewayError } from '../../src/errors/gatewayErrors.js';

describe('error classes', () => {
  // Every concrete class the module exports, built with arguments of the right shapes.
  const samples: GatewayError[] = [
    new errors.UnauthenticatedError(false, 'no credential'),
    new errors.CsrfPreventionError(['x-graphql-yoga-csrf']),
    new errors.QueryTooComplexError('too deep', 'maxDepth'),
    new errors.PersistedOperationError('PERSISTED_QUERY_NOT_IN_LIST', 'unknown'),
    new errors.IncrementalDeliveryNotAcceptedError(),
    new errors.SubscriptionNotAcceptedError(),
    new errors.MediaTypeNotAcceptedError(),
    new errors.BadUserInputError('bad', 'event'),
    new errors.ResultOutOfRangeError('big'),
    new errors.TooManyUpstreamCallsError(50),
    new errors.TooManySubscriptionsError(20, 'client'),
    new errors.UpstreamBadRequestError('400', 400),
    new errors.UpstreamUnauthorizedError('401', 401),
    new errors.UpstreamForbiddenError('403', 403, 'kpi.dau.data_series'),
    new errors.UpstreamNotFoundError('404', 404),
    new errors.UpstreamUnavailableError('503', 503),
    new errors.CircuitOpenError(new Date(0)),
    new errors.UpstreamTimeoutError('slow', 'headers'),
    new errors.UpstreamInvalidResponseError('junk', 200),
    new errors.UpstreamRateLimitedError('429', 429, undefined),
    new errors.RateLimitReserveError(new Date(0), 100),
    new errors.IncompleteResultError('2 of 5 failed', [new errors.UpstreamUnauthorizedError('401', 401)]),
  ];

  it('set `name` to their class, so a log says which error it was', () => {
    for (const error of samples) {
      expect(error.name).toBe(error.constructor.name);
      expect(String(error)).toMatch(new RegExp(`^${error.constructor.name}: `));
    }
  });

  it('cover every exported concrete error class', () => {
    const exported = Object.values(errors as Record<string, unknown>).filter(
      (value) => typeof value === 'function' && value.prototype instanceof GatewayError && value.name !== 'UpstreamError',
    );
    expect(new Set(samples.map((error) => error.constructor))).toEqual(new Set(exported));
  });

  it('an incomplete result carries its first failure\'s code and details, how many failed, and the attempts of all', () => {
    const forbidden = Object.assign(new errors.UpstreamForbiddenError('Access Denied', 403, 'campaigns.data_series'), { attempts: 1 });
    const unavailable = Object.assign(new errors.UpstreamUnavailableError('500', 500), { attempts: 3 });
    const incomplete = new errors.IncompleteResultError('No ranking: 2 campaigns failed', [forbidden, unavailable, new errors.TooManyUpstreamCallsError(50)]);
    expect(incomplete.code).toBe('UPSTREAM_FORBIDDEN');
    expect(incomplete.message).toBe('No ranking: 2 campaigns failed');
    expect(incomplete.cause).toBe(forbidden);
    expect(incomplete.details()).toEqual({ upstreamStatus: 403, permission: 'campaigns.data_series', attempts: 4, failed: 3 });
    expect(incomplete.http()).toBeUndefined();
    expect(new errors.IncompleteResultError('x', [new errors.TooManyUpstreamCallsError(50)]).details()).toEqual({ limit: 50, failed: 1 });
    expect(() => new errors.IncompleteResultError('x', [])).toThrow(RangeError);
  });
});
