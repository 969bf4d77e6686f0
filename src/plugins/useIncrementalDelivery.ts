import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { BREAK, getDirectiveValues, getOperationAST, getVariableValues, Kind, visit, type DirectiveNode, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { BadUserInputError, IncrementalDeliveryNotAcceptedError } from '../errors/gatewayErrors.js';
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
  return [useDeferStream(), useRefuseUnreadableIncrementalDelivery(), useRefuseNegativeInitialCount()];
}

/**
 * `@stream(initialCount: -1)`, written or from a variable: BAD_USER_INPUT (argument `initialCount`)
 * before execution. The executor checks it only when it completes the streamed list, after its
 * resolver has called Braze, and throws a plain Error (masked as INTERNAL_SERVER_ERROR).
 */
function useRefuseNegativeInitialCount(): Plugin {
  const streams = new WeakMap<DocumentNode, readonly DirectiveNode[]>();
  return {
    onExecute({ args }) {
      let found = streams.get(args.document);
      if (found === undefined) streams.set(args.document, (found = streamDirectives(args.document)));
      const directive = found.length > 0 ? args.schema.getDirective('stream') : undefined;
      const operation = directive ? getOperationAST(args.document, args.operationName) : undefined;
      if (!directive || !operation) return;
      const variables = getVariableValues(args.schema, operation.variableDefinitions ?? [], (args.variableValues ?? {}) as Record<string, unknown>);
      // Variables that do not coerce are the executor's to report, as for any operation.
      if (variables.errors) return;
      for (const node of found) {
        const values = getDirectiveValues(directive, { directives: [node] }, variables.coerced);
        if (values?.['if'] === false) continue;
        const initialCount = values?.['initialCount'];
        if (typeof initialCount === 'number' && initialCount < 0) {
          throw new BadUserInputError(`@stream's initialCount must be 0 or more (got ${initialCount})`, 'initialCount');
        }
      }
    },
  };
}

function streamDirectives(document: DocumentNode): DirectiveNode[] {
  const found: DirectiveNode[] = [];
  visit(document, {
    Directive(node) {
      if (node.name.value === 'stream') found.push(node);
    },
  });
  return found;
}

function useRefuseUnreadableIncrementalDelivery(): Plugin {
  return {
    onExecute({ args }) {
      // The document first: it is looked up once per document, the Accept header is parsed per request.
      if (!isIncrementalDocument(args.document)) return;
      const request = (args.contextValue as { request?: Request }).request;
      if (!request || acceptsIncremental(request.headers.get('accept'))) return;
      throw new IncrementalDeliveryNotAcceptedError();
    },
  };
}

/** Documents come from yoga's document cache, so the same object recurs: each is scanned once. */
const incrementalDocuments = new WeakMap<DocumentNode, boolean>();

/** usesIncrementalDelivery, remembered per document object: what per-request hooks ask. */
export function isIncrementalDocument(document: DocumentNode): boolean {
  let incremental = incrementalDocuments.get(document);
  if (incremental === undefined) incrementalDocuments.set(document, (incremental = usesIncrementalDelivery(document)));
  return incremental;
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
