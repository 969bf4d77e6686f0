import { afterEach, describe, expect, it } from 'vitest';
import { defaultResponder } from '../testkit/fakeBraze.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';

// Event counts as every other count series has them: SafeInt values and totals (53-bit), a `date` on
// DAY points; the legacy Int fields (`count`, `total`) fail alone past 2,147,483,647.
const { braze, gateway } = useGatewayWithFakeBraze({ BRAZE_RETRY_BASE_MS: '5', BRAZE_RETRY_MAX_MS: '10' });
afterEach(() => braze.respond(defaultResponder));

const BIG = 3_000_000_000;

function answerDays(counts: readonly number[]): void {
  braze.respond(() => ({ body: { message: 'success', data: counts.map((count, index) => ({ time: `2024-03-0${8 + index}`, count })) } }));
}

describe('eventSeries values', () => {
  it('a count past GraphQL Int is read: `value` and `sum` carry it, DAY points have their date', async () => {
    answerDays([BIG, 5]);
    const result = await gateway.query('{ eventSeries(event: "app_open", length: 2, endingAt: "2024-03-09T12:00:00Z") { sum points { time date value } } }');
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({
      eventSeries: {
        sum: BIG + 5,
        points: [
          { time: '2024-03-08T00:00:00.000Z', date: '2024-03-08', value: BIG },
          { time: '2024-03-09T00:00:00.000Z', date: '2024-03-09', value: 5 },
        ],
      },
    });
    expect(braze.calls).toHaveLength(1);
  });

  it('the Int fields fail alone with RESULT_OUT_OF_RANGE past 2,147,483,647; the SafeInt ones beside them still answer', async () => {
    answerDays([BIG, 5]);
    const result = await gateway.query('{ total: eventSeries(event: "app_open", length: 2, endingAt: "2024-03-09T12:00:00Z") { sum total } count: eventSeries(event: "app_open", length: 2, endingAt: "2024-03-09T12:00:00Z") { points { count } } }');
    expect(result.errors.map((error) => [error.path, error.extensions?.['code']])).toEqual([
      [['total', 'total'], 'RESULT_OUT_OF_RANGE'],
      [['count', 'points', 0, 'count'], 'RESULT_OUT_OF_RANGE'],
    ]);
    // `total` and `count` are non-null: the error nulls their series, not the response.
    expect(result.data).toEqual({ total: null, count: null });
    // Within Int, the legacy fields answer as before.
    answerDays([7, 5]);
    const small = await gateway.query('{ eventSeries(event: "small", length: 2, endingAt: "2024-03-09T12:00:00Z") { total sum points { count value } } }');
    expect(small.errors).toEqual([]);
    expect(small.data).toEqual({ eventSeries: { total: 12, sum: 12, points: [{ count: 7, value: 7 }, { count: 5, value: 5 }] } });
  });

  it('HOUR points have no date', async () => {
    braze.respond(() => ({ body: { message: 'success', data: [{ time: '2024-03-09T11:00:00Z', count: 2 }] } }));
    const result = await gateway.query('{ eventSeries(event: "hourly", length: 1, unit: HOUR, endingAt: "2024-03-09T11:30:00Z") { points { time date value } } }');
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({ eventSeries: { points: [{ time: '2024-03-09T11:00:00.000Z', date: null, value: 2 }] } });
  });
});
