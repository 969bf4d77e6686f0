import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../src/endpoints/index.js';
import { defaultResponder } from '../testkit/fakeBraze.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';

/**
 * Braze's own documented example answers of /sends/data_series, /events and /custom_attributes
 * (test/fixtures/braze-docs/, with the page, its commit and what was put in place of the page's
 * placeholders), served verbatim by the fake Braze and read back through the graph, field by field.
 */
interface DocumentedAnswer {
  readonly source: { readonly repo: string; readonly path: string; readonly commit: string; readonly section: string; readonly placeholders: string };
  readonly request: { readonly path: string; readonly query: Readonly<Record<string, string>> };
  readonly response: unknown;
}

const fixture = (name: string): DocumentedAnswer => JSON.parse(readFileSync(new URL(`fixtures/braze-docs/${name}.json`, import.meta.url), 'utf8')) as DocumentedAnswer;
const FIXTURES = ['sendSeries.ios-push', 'eventExport.without-cursor', 'customAttributeExport.without-cursor'];

const { braze, gateway } = useGatewayWithFakeBraze();
afterEach(() => braze.respond(defaultResponder));

/** The fake answers `documented`'s path with its response, verbatim; anything else as by default. */
function serve(documented: DocumentedAnswer): void {
  braze.respond((call) => (call.path === documented.request.path ? { status: 200, body: documented.response } : defaultResponder(call)));
}

describe('the documented answers of the endpoints added in issue 21', () => {
  it.each(FIXTURES)('%s names a described endpoint, its page and a full commit', (name) => {
    const documented = fixture(name);
    const endpoint = ENDPOINTS.find((candidate) => candidate.name === name.split('.')[0]);
    expect(endpoint?.path).toBe(documented.request.path);
    expect(documented.source.repo).toBe('braze-inc/braze-docs');
    expect(documented.source.path).toMatch(/^_docs\/_api\/endpoints\/export\/.+\.md$/);
    expect(documented.source.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(documented.source.placeholders.length).toBeGreaterThan(0);
  });

  it('sendSeries: the example request is the call made, and every value of the answer reaches the graph', async () => {
    const documented = fixture('sendSeries.ios-push');
    serve(documented);
    const { campaign_id: campaignId, send_id: sendId, length, ending_at: endingAt } = documented.request.query;
    const result = await gateway.query<Record<string, unknown>>(
      `query ($reps: [_Any!]!, $sendId: ID!, $length: Int!, $endingAt: DateTime) { _entities(representations: $reps) { ... on Campaign { sendSeries(sendId: $sendId, length: $length, endingAt: $endingAt) {
        points {
          date uniqueRecipients revenue conversions conversionsBySendTime conversions1 conversions1BySendTime conversions2 conversions2BySendTime conversions3 conversions3BySendTime
          channels {
            channel variationId variationName revenue uniqueRecipients conversions conversionsBySendTime conversions1 conversions1BySendTime conversions2 conversions2BySendTime conversions3 conversions3BySendTime
            ... on PushStats { sent delivered undelivered deliveryFailed directOpens totalOpens bounces bodyClicks }
            stats { name value }
          }
        }
      } } } }`,
      { reps: [{ __typename: 'Campaign', id: campaignId }], sendId, length: Number(length), endingAt },
    );
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({
      _entities: [
        {
          sendSeries: {
            points: [
              {
                date: '2014-12-10',
                uniqueRecipients: 118,
                revenue: '12.5',
                conversions: 7,
                conversionsBySendTime: 6,
                conversions1: 4,
                conversions1BySendTime: 3,
                conversions2: 2,
                conversions2BySendTime: 1,
                conversions3: 0,
                conversions3BySendTime: 0,
                channels: [
                  {
                    channel: 'ios_push',
                    variationId: null,
                    variationName: 'Variation 1',
                    revenue: '12.5',
                    uniqueRecipients: 118,
                    conversions: 7,
                    conversionsBySendTime: 6,
                    conversions1: 4,
                    conversions1BySendTime: 3,
                    conversions2: 2,
                    conversions2BySendTime: 1,
                    conversions3: 0,
                    conversions3BySendTime: 0,
                    sent: 120,
                    delivered: 115,
                    undelivered: 5,
                    deliveryFailed: 2,
                    directOpens: 14,
                    totalOpens: 31,
                    bounces: 3,
                    bodyClicks: 9,
                    stats: [
                      ['sent', '120'],
                      ['delivered', '115'],
                      ['undelivered', '5'],
                      ['delivery_failed', '2'],
                      ['direct_opens', '14'],
                      ['total_opens', '31'],
                      ['bounces', '3'],
                      ['body_clicks', '9'],
                      ['revenue', '12.5'],
                      ['unique_recipients', '118'],
                      ['conversions', '7'],
                      ['conversions_by_send_time', '6'],
                      ['conversions1', '4'],
                      ['conversions1_by_send_time', '3'],
                      ['conversions2', '2'],
                      ['conversions2_by_send_time', '1'],
                      ['conversions3', '0'],
                      ['conversions3_by_send_time', '0'],
                    ].map(([name, value]) => ({ name, value })),
                  },
                ],
              },
            ],
          },
        },
      ],
    });
    // The page's example request, its ending_at sent as the same instant in UTC.
    expect(braze.calls.map((call) => [call.path, call.query])).toEqual([
      ['/sends/data_series', { campaign_id: campaignId, send_id: sendId, length, ending_at: '2014-12-11T04:59:59Z' }],
    ]);
    expect(Date.parse(braze.calls[0]!.query['ending_at']!)).toBe(Date.parse(endingAt!));
  });

  it('eventExport: the documented event\'s details reach CustomEvent; the page has no Link header, so it is the last', async () => {
    const documented = fixture('eventExport.without-cursor');
    serve(documented);
    const result = await gateway.query('{ customEvent(name: "The event name") { name description tags includedInAnalyticsReport status } }');
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({
      customEvent: { name: 'The event name', description: 'The event description', tags: ['Tag One', 'Tag Two'], includedInAnalyticsReport: false, status: 'Active' },
    });
    expect(braze.calls.map((call) => [call.path, call.query])).toEqual([[documented.request.path, documented.request.query]]);
  });

  it('customAttributeExport: the documented attribute, every field', async () => {
    const documented = fixture('customAttributeExport.without-cursor');
    serve(documented);
    const result = await gateway.query('{ customAttributes { nodes { name dataType description tags status arrayLength } pageInfo { hasNextPage } } }');
    expect(result.errors).toEqual([]);
    expect(result.data).toEqual({
      customAttributes: {
        nodes: [{ name: 'The attribute name', dataType: 'Number', description: 'The attribute description', tags: ['Tag One', 'Tag Two'], status: 'Active', arrayLength: 100 }],
        pageInfo: { hasNextPage: false },
      },
    });
    expect(braze.calls.map((call) => [call.path, call.query])).toEqual([[documented.request.path, documented.request.query]]);
  });
});
