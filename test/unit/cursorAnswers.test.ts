import { describe, expect, it } from 'vitest';
import { bodyCodec } from '../../src/data/cache.js';
import type { AnswerHeaders, Endpoint } from '../../src/data/endpoint.js';
import type { CursorCall, CursorPage } from '../../src/endpoints/answers/cursorPages.js';
import { customAttributeExportEndpoint } from '../../src/endpoints/customAttributeExport.js';
import { eventExportEndpoint } from '../../src/endpoints/eventExport.js';
import { eventListEndpoint } from '../../src/endpoints/eventList.js';
import { EXPORT_PAGE_SIZE, SIMULATED_ATTRIBUTES, SIMULATED_EVENT_DETAILS, simulatedCursor } from '../../src/endpoints/simulated/exports.js';

/**
 * An endpoint whose parser reads a header (the Link naming a list's next page) keeps that header with
 * Braze's body in a store of text (Redis): an answer read back is parsed from both, as strictly as the
 * answer Braze gave, and anything else stored under its key (forged, another version's) is a miss.
 */
const NOW = Date.parse('2024-03-12T10:00:00Z');

/** Either list, as what the codec sees: pages of entries with a name. */
type CursorEndpoint = Endpoint<CursorCall, CursorPage<{ readonly name: string }>>;

describe.each([
  ['eventExport', eventExportEndpoint as CursorEndpoint, SIMULATED_EVENT_DETAILS.length],
  ['customAttributeExport', customAttributeExportEndpoint as CursorEndpoint, SIMULATED_ATTRIBUTES.length],
] as const)('%s in a shared cache', (_, endpoint, total) => {
  const call: CursorCall = { cursor: simulatedCursor(50) };
  const { body, headers = {} } = endpoint.simulate({ params: endpoint.searchParams(call), now: NOW });
  const text = JSON.stringify(body);
  const answer = endpoint.parse(text, call, headers);
  const codec = bodyCodec(endpoint.parse, call, endpoint.headers);
  const stored = codec.encode({ answer, fetchedAt: new Date(NOW), body: text, headers });

  it('names the Link header as what its parser reads, and the simulated page has one (prev and next)', () => {
    expect(endpoint.headers).toEqual(['link']);
    expect(headers['link']).toBe(`</${endpoint.path.slice(1)}?cursor=${encodeURIComponent(simulatedCursor(0))}>; rel="prev",</${endpoint.path.slice(1)}?cursor=${encodeURIComponent(simulatedCursor(100))}>; rel="next"`);
    expect(answer.next).toBe(simulatedCursor(100));
  });

  it('is stored as the headers its parser reads beside the body, and read back to the same answer, next page included', () => {
    expect(JSON.parse(stored ?? '')).toEqual({ headers: { link: headers['link'] }, body: text });
    expect(codec.decode(stored)).toEqual(answer);
  });

  it('keeps only the headers its parser reads', () => {
    const withOthers: AnswerHeaders = { ...headers, 'set-cookie': 'x=1' };
    expect(JSON.parse(codec.encode({ answer, fetchedAt: new Date(NOW), body: text, headers: withOthers }) ?? '')).toEqual({ headers: { link: headers['link'] }, body: text });
  });

  it('the last page is stored without a Link and read back as the last page', () => {
    const last: CursorCall = { cursor: simulatedCursor(Math.floor((total - 1) / EXPORT_PAGE_SIZE) * EXPORT_PAGE_SIZE) };
    const page = endpoint.simulate({ params: endpoint.searchParams(last), now: NOW });
    const lastText = JSON.stringify(page.body);
    const lastCodec = bodyCodec(endpoint.parse, last, endpoint.headers);
    const lastStored = lastCodec.encode({ answer: endpoint.parse(lastText, last, page.headers), fetchedAt: new Date(NOW), body: lastText, headers: page.headers });
    expect(JSON.parse(lastStored ?? '')).toEqual({ headers: { link: page.headers?.['link'] }, body: lastText });
    expect(page.headers?.['link']).not.toContain('rel="next"');
    expect(lastCodec.decode(lastStored)?.next).toBeNull();
  });

  it.each([
    ['the body alone (no headers)', () => text],
    ['not JSON', () => 'nope'],
    ['a list', () => JSON.stringify([{ link: '' }, text])],
    ['no body', () => JSON.stringify({ headers: {} })],
    ['a body that is no string', () => JSON.stringify({ headers: {}, body: JSON.parse(text) as unknown })],
    ['headers that are a list', () => JSON.stringify({ headers: [headers['link']], body: text })],
    ['a header the parser does not read', () => JSON.stringify({ headers: { ...headers, other: 'x' }, body: text })],
    ['a header that is no string', () => JSON.stringify({ headers: { link: 5 }, body: text })],
    ['a Link to another list', () => JSON.stringify({ headers: { link: '</users/export/ids?cursor=abc>; rel="next"' }, body: text })],
    ['a garbage Link', () => JSON.stringify({ headers: { link: 'garbage' }, body: text })],
    ['a value that is no text', () => 5],
  ])('%s: a miss', (_name, forged) => {
    expect(codec.decode(forged())).toBeUndefined();
  });
});

describe('an endpoint whose parser reads no header', () => {
  it('is stored as the body alone, as before', () => {
    const text = JSON.stringify({ message: 'success', events: ['a', 'b'] });
    const codec = bodyCodec(eventListEndpoint.parse, { page: 0 }, eventListEndpoint.headers);
    expect(eventListEndpoint.headers).toBeUndefined();
    expect(codec.encode({ answer: ['a', 'b'], fetchedAt: new Date(NOW), body: text, headers: { link: 'x' } })).toBe(text);
    expect(codec.decode(text)).toEqual(['a', 'b']);
  });
});
