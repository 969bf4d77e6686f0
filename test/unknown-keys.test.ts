import { describe, expect, it } from 'vitest';
import { defaultResponder } from '../testkit/fakeBraze.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';

/**
 * Keys Braze adds to its answers (its API drifting from its docs): never an error, the values the
 * gateway knows exact, and each answer fresh from Braze counted once per unknown key path in
 * braze_gateway_upstream_unknown_keys_total{endpoint} and named in a debug line at most once a minute
 * per endpoint. An answer from the cache is not counted again. Through the real server and the fake
 * Braze over HTTP.
 */
const { braze, gateway } = useGatewayWithFakeBraze({ CACHE_ENABLED: 'true' });

const AT = '2024-03-10T00:00:00Z';
const LINE = 'Braze answered with keys the gateway does not know';
/** A value Braze put under a new key: it must reach no response, log or metric. */
const SECRET_VALUE = 'zz-value-of-a-new-key';

/** A /kpis/dau/data_series answer of `length` days ending at `endingAt`, with a new key at the top and in each point. */
function dauWithNewKeys(query: Readonly<Record<string, string>>): unknown {
  const length = Number(query['length']);
  const end = Date.parse(query['ending_at'] ?? AT);
  const data = Array.from({ length }, (_, index) => ({
    time: new Date(end - (length - 1 - index) * 86_400_000).toISOString().slice(0, 10),
    dau: 100 + index,
    dau_by_platform: { ios: SECRET_VALUE },
  }));
  return { message: 'success', data, sampling: SECRET_VALUE };
}

async function unknownKeysMetric(): Promise<Record<string, number>> {
  const text = await (await fetch(new URL('/metrics', gateway.url))).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^braze_gateway_upstream_unknown_keys_total\{endpoint="([^"]*)"\} (\S+)$/gm)) counts[match[1]!] = Number(match[2]);
  return counts;
}

const lines = (): Record<string, unknown>[] =>
  gateway.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line['msg'] === LINE || line['message'] === LINE);

describe('keys Braze adds to an answer', () => {
  it('are no error, change no value, are counted per endpoint and named once a minute; a cached answer is not counted again', async () => {
    braze.respond((call) => (call.path === '/kpi/dau/data_series' ? { body: dauWithNewKeys(call.query) } : defaultResponder(call)));
    const ask = (length: number) => gateway.query<{ kpiSeries: { points: { date: string; value: number }[] } }>(`{ kpiSeries(kpi: DAILY_ACTIVE_USERS, length: ${length}, endingAt: "${AT}") { points { date value } } }`);

    const first = await ask(3);
    expect(first.errors).toEqual([]);
    expect(first.data?.kpiSeries.points).toEqual([
      { date: '2024-03-08', value: 100 },
      { date: '2024-03-09', value: 101 },
      { date: '2024-03-10', value: 102 },
    ]);
    expect(first.body).not.toContain(SECRET_VALUE);
    expect(braze.calls).toHaveLength(1);
    // Two paths unknown: `sampling` and `data[].dau_by_platform` (named once for three points).
    expect(await unknownKeysMetric()).toEqual({ '/kpi/dau/data_series': 2 });
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ level: 'debug', endpoint: '/kpi/dau/data_series', keys: ['data[].dau_by_platform', 'sampling'] });

    // The same series again: from the cache, not Braze; nothing more is counted.
    const again = await ask(3);
    expect(again.data).toEqual(first.data);
    expect(braze.calls).toHaveLength(1);
    expect(await unknownKeysMetric()).toEqual({ '/kpi/dau/data_series': 2 });

    // Another window: a new answer from Braze, counted; its line waits for the minute to pass.
    const longer = await ask(5);
    expect(longer.errors).toEqual([]);
    expect(braze.calls).toHaveLength(2);
    expect(await unknownKeysMetric()).toEqual({ '/kpi/dau/data_series': 4 });
    expect(lines()).toHaveLength(1);

    // An answer with only documented keys is counted nowhere.
    const sessions = await gateway.query(`{ sessionSeries(length: 2, endingAt: "${AT}") { total } }`);
    expect(sessions.errors).toEqual([]);
    expect(await unknownKeysMetric()).toEqual({ '/kpi/dau/data_series': 4 });
    expect(gateway.logs.join('\n')).not.toContain(SECRET_VALUE);
  });

  it('in a nested answer too: a new key in a campaign series channel entry is named by its path, the values beside it exact', async () => {
    braze.respond((call) =>
      call.path === '/campaigns/data_series'
        ? {
            body: {
              message: 'success',
              data: [{ time: '2024-03-10', unique_recipients: 5, messages: { email: [{ variation_api_id: 'v-1', sent: 9, opens: 4, amp_opens: 2 }] } }],
            },
          }
        : defaultResponder(call),
    );
    const result = await gateway.query<Record<string, unknown>>(
      `{ campaign(id: "c-unknown-keys") { series(length: 1, endingAt: "${AT}") { points { uniqueRecipients channels { variationId ... on EmailStats { sent opens } } } } } }`,
    );
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ campaign: { series: { points: [{ uniqueRecipients: 5, channels: [{ variationId: 'v-1', sent: 9, opens: 4 }] }] } } });
    expect((await unknownKeysMetric())['/campaigns/data_series']).toBe(1);
    expect(lines().at(-1)).toMatchObject({ endpoint: '/campaigns/data_series', keys: ['data[].messages.*[].amp_opens'] });
  });
});
