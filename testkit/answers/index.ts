import type { SimulatedAnswer, SimulationInput } from '../../src/data/endpoint.js';
import { CAMPAIGN_ANSWERS } from './campaigns.js';
import { CANVAS_ANSWERS } from './canvases.js';
import { EXPORT_ANSWERS } from './exports.js';
import { LIST_ANSWERS } from './lists.js';
import { SEND_ANSWERS } from './sends.js';
import { SERIES_ANSWERS } from './series.js';

/**
 * The fake Braze's default answer per path: test data a test can assert exactly (numbers that count,
 * ids of any shape), in place of demo mode's simulated answers. Each has the type of a descriptor's
 * `simulate`, and takes its place in the fake's catalogue (testkit/fakeBraze.ts); a described endpoint
 * with no entry here gets its simulated answer.
 */
export const TEST_ANSWERS: Readonly<Record<string, (input: SimulationInput) => SimulatedAnswer>> = {
  ...SERIES_ANSWERS,
  ...LIST_ANSWERS,
  ...CAMPAIGN_ANSWERS,
  ...CANVAS_ANSWERS,
  ...SEND_ANSWERS,
  ...EXPORT_ANSWERS,
};
