import type { SimulatedAnswer, SimulationInput } from '../../data/endpoint.js';
import { SIMULATED_CAMPAIGNS, simulateCampaignSeries } from './campaigns.js';
import { fnv1a } from './rhythm.js';

const DAY_MS = 86_400_000;
/** Braze "stores send analytics for 14 days after the send". */
export const SEND_RETENTION_DAYS = 14;

/**
 * The day a simulated send went out: within the 14 days before `now`, chosen by its id, so that any
 * send id of an API campaign has numbers in demo mode (Braze offers no list of sends to pick from).
 */
export function simulatedSendDay(sendId: string, now: number): number {
  return (Math.floor(now / DAY_MS) - (fnv1a(`send\u0000${sendId}`) % SEND_RETENTION_DAYS)) * DAY_MS;
}

/** Every number of `value` times `factor` (revenue kept to cents, counts whole), the rest as it is. */
function scaled(value: unknown, factor: number, key = ''): unknown {
  if (typeof value === 'number') return key === 'revenue' ? Math.round(value * factor * 100) / 100 : Math.round(value * factor);
  if (Array.isArray(value)) return value.map((entry) => scaled(entry, factor));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([name, entry]) => [name, scaled(entry, factor, name)]));
  return value;
}

/**
 * GET /sends/data_series: a send of an API campaign, per day, in the shape of the campaign's series
 * (Braze's page gives both the same fields). The campaign's simulated days, scaled to the send's
 * share of them: most on the day of the send, trailing after it, nothing before it, and nothing
 * once Braze no longer keeps it (14 days after the send). A campaign that is not an API campaign is
 * refused, as Braze says the endpoint is "for API campaigns only" (its answer is not documented).
 */
export function simulateSendSeries(input: SimulationInput): SimulatedAnswer {
  const sendId = input.params.get('send_id') ?? '';
  if (sendId === '') return { status: 400, body: { message: 'Invalid request', errors: ['send_id is required'] } };
  const campaign = SIMULATED_CAMPAIGNS.find((candidate) => candidate.id === input.params.get('campaign_id'));
  if (campaign && !campaign.isApiCampaign) return { status: 400, body: { message: 'Invalid campaign_id: not an API campaign' } };
  const series = simulateCampaignSeries(input);
  if (series.status !== 200) return series;
  const sentOn = simulatedSendDay(sendId, input.now);
  const share = 0.05 + (fnv1a(`share\u0000${sendId}`) % 20) / 100;
  const { data } = series.body as { data: readonly { readonly time: string }[] };
  return {
    status: 200,
    body: {
      message: 'success',
      data: data.map((point) => {
        const day = Math.round((Date.parse(`${point.time}T00:00:00Z`) - sentOn) / DAY_MS);
        const factor = day < 0 || day >= SEND_RETENTION_DAYS ? 0 : share / (1 + day);
        return { ...(scaled(point, factor) as object), time: point.time };
      }),
    },
  };
}
