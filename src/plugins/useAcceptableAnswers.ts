import type { Plugin } from 'graphql-yoga';
import { MediaTypeNotAcceptedError } from '../errors/gatewayErrors.js';
import { acceptsMediaType } from './acceptHeader.js';

/** Every media type yoga writes a query's answer in (a single result fits each of them). */
const ANSWER_MEDIA_TYPES = ['application/graphql-response+json', 'application/json', 'text/event-stream', 'multipart/mixed'] as const;

/**
 * A query whose request's Accept takes none of the media types yoga writes an answer in (text/html on
 * a POST, image/png, garbage), as yoga reads it (or refuses them all with `q=0`), is refused with
 * MEDIA_TYPE_NOT_ACCEPTED (HTTP 406, written as JSON by useUnsendableResults) before execution. Yoga
 * alone would run it, Braze calls included, then answer an empty 406. Subscriptions are
 * useSubscriptionsOverSse's and @defer/@stream useIncrementalDelivery's: placed after them, so their
 * more precise refusals win. No options.
 */
export function useAcceptableAnswers(): Plugin {
  return {
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (!request) return;
      const accept = request.headers.get('accept');
      if (!ANSWER_MEDIA_TYPES.some((mediaType) => acceptsMediaType(accept, mediaType))) throw new MediaTypeNotAcceptedError();
    },
  };
}
