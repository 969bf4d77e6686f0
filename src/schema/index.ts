import type { GraphQLSchema } from 'graphql';
import { guardInstantArguments } from './arguments.js';
import { builder } from './builder.js';
import { guardEntityRepresentations } from './entityRepresentations.js';
import './timeUnit.js';
import './eventSeries.js';
import './kpiSeries.js';
import './sessionSeries.js';
import './purchaseSeries.js';
import './customEvent.js';
import './customEventList.js';
import './customAttribute.js';
import './product.js';
import './channelStats.js';
import './segment.js';
import './campaign.js';
import './campaignRanking.js';
import './canvas.js';
import './brazeRateLimit.js';
import './liveSeries.js';

/** Apollo Federation version the subgraph links to. */
export const FEDERATION_LINK = 'https://specs.apollo.dev/federation/v2.6';

/**
 * The schema the gateway serves, built once per process: the client schema plus what a federation
 * router needs (`_service { sdl }`, `_entities`, the `@link` and `@key` directives). Malformed
 * representations sent to `_entities` are the caller's mistake: BAD_USER_INPUT per entry. A DateTime
 * argument outside the instants Braze is asked about is BAD_USER_INPUT too (arguments.ts).
 */
export const schema: GraphQLSchema = guardInstantArguments(
  guardEntityRepresentations(
    builder.toSubGraphSchema({
      linkUrl: FEDERATION_LINK,
      federationDirectives: ['@key'],
    }),
  ),
);
