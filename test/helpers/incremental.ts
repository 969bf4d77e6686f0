import { createClient } from 'graphql-sse';
import { meros } from 'meros/browser';

/** One payload of an incremental response, as a client reads it. */
export interface Payload {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  incremental?: {
    data?: Record<string, unknown> | null;
    items?: unknown[];
    path: (string | number)[];
    label?: string;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  }[];
  hasNext?: boolean;
  extensions?: Record<string, unknown>;
}

/** A payload and when it was read (ms since the request was sent). */
export interface Received {
  readonly payload: Payload;
  readonly atMs: number;
}

/**
 * POSTs `query` with `Accept: multipart/mixed` and reads the parts with meros, the multipart reader
 * Relay, urql and graphql-tools use, calling `onPayload` as each one arrives.
 */
export async function readMultipart(
  url: URL,
  query: string,
  { headers = {}, variables, onPayload }: { headers?: Record<string, string>; variables?: Record<string, unknown>; onPayload?: (payload: Payload) => void } = {},
): Promise<{ status: number; contentType: string | null; received: Received[] }> {
  const sentAt = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'multipart/mixed', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const parts = await meros<Payload>(response);
  if (parts instanceof Response) throw new Error(`not a multipart answer: ${response.status} ${await parts.text()}`);
  const received: Received[] = [];
  for await (const part of parts) {
    if (!part.json) throw new Error(`a part that is not JSON: ${part.body}`);
    received.push({ payload: part.body, atMs: performance.now() - sentAt });
    onPayload?.(part.body);
  }
  return { status: response.status, contentType: response.headers.get('content-type'), received };
}

/**
 * Runs `query` over text/event-stream with graphql-sse's client in its distinct-connections mode (one
 * POST per operation, the mode yoga serves), collecting every payload.
 */
export async function readEventStream(
  url: URL,
  query: string,
  { headers = {}, onPayload }: { headers?: Record<string, string>; onPayload?: (payload: Payload) => void } = {},
): Promise<Received[]> {
  const client = createClient({ url: url.href, headers, retryAttempts: 0 });
  const sentAt = performance.now();
  const received: Received[] = [];
  try {
    // Its types describe single results; incremental payloads arrive as they are.
    for await (const result of client.iterate({ query })) {
      const payload = result as unknown as Payload;
      received.push({ payload, atMs: performance.now() - sentAt });
      onPayload?.(payload);
    }
  } finally {
    client.dispose();
  }
  return received;
}

/** A promise opened from outside: Braze answers held until a test says. */
export function gate(): { readonly opened: Promise<void>; open(): void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open: () => open() };
}
