import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { meros } from 'meros/browser';
import type { GatewayError } from './errors.js';

/** One payload of an answer in parts: the first `data`, or one deferred fragment's. */
export interface Part<T> {
  /** The first payload's data, or a deferred fragment's merged at its path (top level here). */
  readonly data: Partial<T>;
  readonly errors: readonly GatewayError[];
  readonly label: string | undefined;
}

interface Payload {
  data?: Record<string, unknown> | null;
  errors?: GatewayError[];
  incremental?: { data?: Record<string, unknown> | null; errors?: GatewayError[]; label?: string; path?: (string | number)[] }[];
  hasNext?: boolean;
}

/** A refusal before anything ran (401, 406, …): its HTTP status and GraphQL errors if it sent any. */
export class RefusedError extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly GatewayError[],
  ) {
    super(`the gateway refused the request (HTTP ${status})`);
    this.name = 'RefusedError';
  }
}

/**
 * POSTs a typed document asking for `multipart/mixed` and yields each part as it arrives
 * (docs/live-and-defer.md "Incremental delivery"): the eager fields first, then each `@defer` fragment
 * when Braze has answered. Deferred fragments here sit at the top level (path []), so their data is
 * simply more root fields.
 */
export async function* fetchInParts<T, V>(
  url: string,
  headers: Record<string, string>,
  document: TypedDocumentNode<T, V>,
  variables: V,
  signal?: AbortSignal,
): AsyncGenerator<Part<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'multipart/mixed, application/graphql-response+json', ...headers },
    body: JSON.stringify({ query: print(document), variables }),
    ...(signal ? { signal } : {}),
  });
  const parts = await meros<Payload>(response);
  if (parts instanceof Response) {
    // Not multipart: a refusal, or a plain JSON answer (a gateway without @defer would send one).
    const body = (await parts.json().catch(() => ({}))) as Payload;
    if (!response.ok) throw new RefusedError(response.status, body.errors ?? []);
    yield { data: (body.data ?? {}) as Partial<T>, errors: body.errors ?? [], label: undefined };
    return;
  }
  for await (const part of parts) {
    if (!part.json) continue;
    const payload = part.body;
    if (payload.data !== undefined || payload.errors) yield { data: (payload.data ?? {}) as Partial<T>, errors: payload.errors ?? [], label: undefined };
    for (const increment of payload.incremental ?? []) {
      yield { data: (increment.data ?? {}) as Partial<T>, errors: increment.errors ?? [], label: increment.label };
    }
  }
}
