import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrazeClient, createBrazeDispatcher } from '../src/braze/client.js';
import { loadConfig } from '../src/config/index.js';
import { createLogger } from '../src/observability/logger.js';
import { type FakeBraze, startFakeBraze } from '../testkit/fakeBraze.js';

/**
 * A Braze call's deadline lasts as long as the call, not BRAZE_TIMEOUT_MS after it: a timer left
 * running after every call fires for calls long finished (an abort, a DOMException and an event
 * each). Seen at the network edge: the signal each HTTP request is sent with.
 */
const TIMEOUT_MS = 150;

describe('the deadline of a Braze call', () => {
  let braze: FakeBraze;
  let agent: ReturnType<typeof createBrazeDispatcher>;
  const sent: AbortSignal[] = [];
  let client: BrazeClient;

  beforeAll(async () => {
    braze = await startFakeBraze();
    const config = loadConfig({ BRAZE_REST_ENDPOINT: braze.url.href, BRAZE_API_KEY: 'deadline-test-key-0123456789abcdef', AUTH_TOKENS: 'deadline-test-token-0123', BRAZE_TIMEOUT_MS: String(TIMEOUT_MS) });
    agent = createBrazeDispatcher(config.upstream);
    const recording: Dispatcher = agent.compose((dispatch) => (options, handler) => {
      // dispatcher.request passes its options, signal included, down to every interceptor.
      const { signal } = options as Dispatcher.DispatchOptions & { signal?: AbortSignal };
      if (signal) sent.push(signal);
      return dispatch(options, handler);
    });
    if (config.braze.mode !== 'live') throw new Error('expected a live Braze configuration');
    client = new BrazeClient({ ...config.braze, dispatcher: recording, policy: config.upstream, logger: createLogger({ level: 'silent' }) });
  });
  afterAll(async () => {
    await agent?.close();
    await braze?.close();
  });

  const call = (signal?: AbortSignal) =>
    client.call(
      {
        path: '/events/data_series',
        params: new URLSearchParams({ event: 'purchase', length: '2', unit: 'day', ending_at: '2024-03-10T00:00:00Z' }),
        bucket: 'export',
        permission: 'events.data_series',
        parse: (text) => (JSON.parse(text) as { data: unknown[] }).data.length,
      },
      signal,
    );

  it('is over when the call is: its signal is never aborted after the answer, with or without a request signal', async () => {
    sent.length = 0;
    expect(await call(new AbortController().signal)).toBe(2);
    expect(await call()).toBe(2);
    expect(sent).toHaveLength(2);
    await sleep(TIMEOUT_MS * 3);
    expect(sent.map((signal) => signal.aborted)).toEqual([false, false]);
  });

  it('still ends a call that Braze does not answer in time, as UPSTREAM_TIMEOUT', async () => {
    braze.handleRaw(() => undefined); // never answers
    try {
      await expect(call(new AbortController().signal)).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    } finally {
      braze.respond((c) => ({ body: { message: 'success', data: [c.query, c.query] } }));
    }
  });

  it('still stops a call whose GraphQL request went away', async () => {
    braze.handleRaw(() => undefined);
    const request = new AbortController();
    try {
      const pending = call(request.signal);
      setTimeout(() => request.abort(), 20);
      await expect(pending).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    } finally {
      braze.respond((c) => ({ body: { message: 'success', data: [c.query, c.query] } }));
    }
  });
});
