/**
 * Span attribute names. The graphql.* operation names are OpenTelemetry's (still incubating there,
 * so written out here rather than imported from the incubating entry point, as its authors advise);
 * the field and braze.* names are this gateway's own.
 */
export const GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
export const GRAPHQL_OPERATION_TYPE = 'graphql.operation.type';
/** Distinct `extensions.code` values of the operation's errors (codes only: messages may quote Braze). */
export const GRAPHQL_ERROR_CODES = 'graphql.error.codes';

export const GRAPHQL_FIELD_NAME = 'graphql.field.name';
/** The response path with aliases, e.g. `purchases` or `campaign.series`; list indexes as numbers. */
export const GRAPHQL_FIELD_PATH = 'graphql.field.path';
export const GRAPHQL_PARENT_TYPE = 'graphql.parent.type';

/** The data path's endpoint name (`eventSeries`, `campaignList`, …): the same as in metrics and cache keys. */
export const BRAZE_ENDPOINT = 'braze.endpoint';
/** The rate-limit bucket the call spends. */
export const BRAZE_BUCKET = 'braze.bucket';
/** Where a load's answer came from: `cache`, `braze` (this request's own call) or `shared` (another request's call in flight). */
export const BRAZE_SOURCE = 'braze.source';
/** The answer was cut from a covering call made for another field of the request. */
export const BRAZE_COALESCED = 'braze.coalesced';
/** Another field of the request had asked for the same call: this load made none. */
export const BRAZE_DEDUPLICATED = 'braze.deduplicated';
/** 1 for the first attempt of a call, 2 for its first retry, … */
export const BRAZE_ATTEMPT = 'braze.attempt';
/** On a failed attempt that is retried: how long the client waits before the next one. */
export const BRAZE_RETRY_WAIT_MS = 'braze.retry_wait_ms';
