import { builder } from './builder.js';
import './timeUnit.js';
import './eventSeries.js';
import './brazeRateLimit.js';

/** The schema, built once per process. */
export const schema = builder.toSchema();
