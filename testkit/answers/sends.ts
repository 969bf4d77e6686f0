import type { SimulatedAnswer, SimulationInput } from '../../src/data/endpoint.js';
import { dailyPoints } from './series.js';

/**
 * The fake Braze's default answer for /sends/data_series: `length` days ending with the day of
 * `ending_at`; day i (from 1) has unique_recipients 2·i, revenue i + 0.25, conversions i,
 * conversions_by_send_time i, conversions1 2·i, and messages for ios_push only, one variation named
 * (not identified: Braze's page gives sends a `variation_name` and no `variation_api_id`)
 * `Variant of <send_id>`: sent 3·i, delivered 3·i, undelivered 0, delivery_failed 0, direct_opens i,
 * total_opens 2·i, bounces 0, body_clicks i, revenue i + 0.25, unique_recipients 2·i, conversions i.
 */
export function fakeSendSeries(query: Readonly<Record<string, string>>): Record<string, unknown> {
  const sendId = query['send_id'] ?? '';
  const data = dailyPoints(query, (i) => ({
    messages: {
      ios_push: [
        {
          variation_name: `Variant of ${sendId}`,
          sent: 3 * i,
          delivered: 3 * i,
          undelivered: 0,
          delivery_failed: 0,
          direct_opens: i,
          total_opens: 2 * i,
          bounces: 0,
          body_clicks: i,
          revenue: i + 0.25,
          unique_recipients: 2 * i,
          conversions: i,
          conversions_by_send_time: i,
        },
      ],
    },
    conversions_by_send_time: i,
    conversions: i,
    conversions1: 2 * i,
    unique_recipients: 2 * i,
    revenue: i + 0.25,
  }));
  return { message: 'success', data };
}

export const SEND_ANSWERS: Readonly<Record<string, (input: SimulationInput) => SimulatedAnswer>> = {
  '/sends/data_series': ({ params }) => ({ status: 200, body: fakeSendSeries(Object.fromEntries(params)) }),
};
