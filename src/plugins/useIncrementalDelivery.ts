import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { BREAK, Kind, visit, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { IncrementalDeliveryNotAcceptedError } from '../errors.js';

/** The media types yoga answers an incremental response in. */
const INCREMENTAL_MEDIA_TYPES = ['multipart/mixed', 'text/event-stream'] as const;

/**
 * @defer and @stream (yoga's defer-stream plugin): the answer's parts are sent as they are ready, over
 * multipart/mixed or text/event-stream, whichever the request's Accept takes (no Accept: either).
 * A request whose Accept takes neither is refused before execution with
 * INCREMENTAL_DELIVERY_NOT_ACCEPTED (HTTP 406) and a message saying what to send: yoga alone would
 * run the whole operation, Braze calls included, then answer 406 with an empty body. Directives
 * switched off with a literal `if: false` do not count. No options.
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

/** Whether an Accept header takes a media type yoga sends incremental responses in (as yoga reads it). */
export function acceptsIncremental(accept: string | null): boolean {
  return (accept || '*/*').split(',').some((range) => {
    const [mediaType = '', ...parameters] = range.replace(/\s/g, '').toLowerCase().split(';');
    // Yoga skips a range that names another charset than UTF-8.
    if (parameters.some((parameter) => parameter.startsWith('charset=') && parameter !== 'charset=utf-8')) return false;
    const [type, subtype] = mediaType.split('/');
    return INCREMENTAL_MEDIA_TYPES.some((candidate) => {
      const [candidateType, candidateSubtype] = candidate.split('/');
      return (type === '*' || type === candidateType) && (subtype === '*' || subtype === candidateSubtype);
    });
  });
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
