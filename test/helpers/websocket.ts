import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client, type Sink } from 'graphql-ws';
import WebSocket from 'ws';
import type { TestGateway } from './gateway.js';
import { streamOf, type LiveStream } from './live.js';

/** The gateway's GraphQL endpoint as a ws:// URL. */
export function wsUrl(gateway: TestGateway): string {
  return gateway.url.href.replace(/^http/, 'ws');
}

/**
 * A graphql-ws client (one socket, every operation multiplexed on it) that sends `authorization` in
 * connectionParams (the gateway's credential unless told otherwise), lazy (the socket opens with the
 * first operation), without retries: a closed socket must show as an error.
 */
export function wsClient(gateway: TestGateway, authorization: string | undefined = gateway.authHeaders['authorization'], options: { onClosed?: (code: number, reason: string) => void } = {}): Client {
  return createClient({
    url: wsUrl(gateway),
    webSocketImpl: WebSocket,
    connectionParams: authorization !== undefined ? { authorization } : {},
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => options.onClosed?.((event as { code: number }).code, String((event as { reason: unknown }).reason)) },
  });
}

/** One operation on a graphql-ws client, as LiveStream does for graphql-sse. */
export function wsSubscribe<T = Record<string, unknown>>(client: Client, query: string, variables: Record<string, unknown> = {}): LiveStream<T> {
  return streamOf<T>(
    (sink) => client.subscribe<T>({ query, variables }, sink as Sink<FormattedExecutionResult<T>>),
    (error) => new Error(JSON.stringify(error instanceof Array ? error : describe(error))),
  );
}

/** A CloseEvent (what graphql-ws's client reports a closed socket with) as text. */
function describe(error: unknown): unknown {
  if (error !== null && typeof error === 'object' && 'code' in error) return { code: (error as { code: unknown }).code, reason: String((error as { reason?: unknown }).reason) };
  return error;
}

/** A raw socket speaking graphql-transport-ws by hand: every message received, and how it closed. */
export interface RawWebSocket {
  readonly socket: WebSocket;
  readonly messages: Record<string, unknown>[];
  /** The close code and reason, once closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  /** Resolves with the first message received that `match` accepts (waiting for it). */
  next(match: (message: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
}

/** Opens a raw socket (resolves once open, or rejects with the upgrade's refusal status). */
export function openRawWebSocket(gateway: TestGateway, options: { headers?: Record<string, string>; protocol?: string } = {}): Promise<RawWebSocket> {
  const socket = new WebSocket(wsUrl(gateway), options.protocol ?? 'graphql-transport-ws', { headers: options.headers ?? {} });
  const messages: Record<string, unknown>[] = [];
  const listeners = new Set<() => void>();
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as Record<string, unknown>);
    listeners.forEach((listener) => listener());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_request, response) => {
      reject(new UpgradeRefused(response.statusCode ?? 0));
      socket.terminate();
    });
    socket.once('error', reject);
    socket.once('open', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      resolve({
        socket,
        messages,
        closed,
        send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
        next: (match, timeoutMs = 10_000) =>
          new Promise((found, failed) => {
            const check = (): void => {
              const hit = messages.find(match);
              if (hit === undefined) return;
              listeners.delete(check);
              clearTimeout(timer);
              found(hit);
            };
            const timer = setTimeout(() => {
              listeners.delete(check);
              failed(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages).slice(0, 500)}`));
            }, timeoutMs);
            listeners.add(check);
            check();
          }),
      });
    });
  });
}

/** An upgrade the gateway answered with an HTTP status instead of 101. */
export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with ${status}`);
  }
}

/** Opens a raw socket and sends connection_init with `authorization` (the gateway's credential by default), waiting for the ack. */
export async function openAcknowledged(gateway: TestGateway, authorization: string | undefined = gateway.authHeaders['authorization']): Promise<RawWebSocket> {
  const raw = await openRawWebSocket(gateway);
  raw.send({ type: 'connection_init', payload: authorization !== undefined ? { authorization } : {} });
  await raw.next((message) => message['type'] === 'connection_ack');
  return raw;
}
