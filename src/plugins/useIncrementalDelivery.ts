import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { BREAK, Kind, visit, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { IncrementalDeliveryNotAcceptedError } from '../errors.js';
import { acceptsMediaType } from './acceptHeader.js';

/** The media types yoga answers an incremental response in. */
const INCREMENTAL_MEDIA_TYPES = ['multipart/mixed', 'text/event-stream'] as const;

/**
 * @defer and @stream (yoga's defer-stream plugin): the answer's parts are sent as they are ready, over
 * multipart/mixed or text/event-stream, whichever the request's Accept takes (no Accept: either).
 * A request whose Accept takes neither as yoga reads it (or refuses them with `q=0`) is refused
 * before execution with INCREMENTAL_DELIVERY_NOT_ACCEPTED (HTTP 406) and a message saying what to
 * send: yoga alone would run the whole operation, Braze calls included, then answer 406 with an empty
 * body. useUnsendableResults writes that refusal as JSON whatever the Accept. Directives switched off
 * with a literal `if: false` do not count. No options.
 */
export function useIncrementalDelivery(): Plugin[] {
  return [useDeferStream(), useRefuseUnreadableIncrementalDelivery()];
}

function useRefuseUnreadableIncrementalDelivery(): Plugin {
  // Documents come from yoga's document cache, so the same object recurs: scan each once.
  const scanned = new WeakMap<DocumentNode, boolean>();
  return {
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (!request || acceptsIncremental(request.headers.get('accept'))) return;
      let incremental = scanned.get(args.document);
      if (incremental === undefined) scanned.set(args.document, (incremental = usesIncrementalDelivery(args.document)));
      if (incremental) throw new IncrementalDeliveryNotAcceptedError();
    },
  };
}

/**
 * Whether an Accept header takes a media type yoga sends incremental responses in, as yoga reads it
 * (a range with `q=0` aside: see acceptHeader.ts).
 */
export function acceptsIncremental(accept: string | null): boolean {
  return INCREMENTAL_MEDIA_TYPES.some((mediaType) => acceptsMediaType(accept, mediaType));
}

/** Whether a document holds a @defer or @stream that is not switched off by a literal `if: false`. */
export function usesIncrementalDelivery(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Directive(node) {
      if (node.name.value !== 'defer' && node.name.value !== 'stream') return;
      const condition = node.arguments?.find((argument) => argument.name.value === 'if')?.value;
      if (condition?.kind === Kind.BOOLEAN && !condition.value) return;
      found = true;
      return BREAK;
    },
  });
  return found;
}
