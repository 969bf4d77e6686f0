import { describe, expect, it } from 'vitest';
import { MAX_CURSOR_CHARS, MAX_LINK_HEADER_CHARS, nextPageCursor, parseLinkHeader } from '../../src/endpoints/answers/linkHeader.js';
import { UpstreamInvalidResponseError } from '../../src/errors/gatewayErrors.js';

const links = (header: string) => parseLinkHeader(header)?.map(({ target, params }) => ({ target, params: Object.fromEntries(params) }));

describe('parseLinkHeader (RFC 8288 §3)', () => {
  it("reads Braze's forms: relative targets with prev and next (its docs), an absolute target (its MCP server's example)", () => {
    expect(links('</catalogs/all_restaurants/items?cursor=c2tpcDow>; rel="prev",</catalogs/all_restaurants/items?cursor=c2tpcDoxMDA=>; rel="next"')).toEqual([
      { target: '/catalogs/all_restaurants/items?cursor=c2tpcDow', params: { rel: 'prev' } },
      { target: '/catalogs/all_restaurants/items?cursor=c2tpcDoxMDA=', params: { rel: 'next' } },
    ]);
    expect(links('<https://anna.braze.com/custom_attributes/?cursor=c2tpcDo1MA==>; rel="next"')).toEqual([
      { target: 'https://anna.braze.com/custom_attributes/?cursor=c2tpcDo1MA==', params: { rel: 'next' } },
    ]);
  });

  it('takes tokens and quoted strings, spaces and tabs, empty list elements, parameters without value; the first of a name counts', () => {
    expect(links(' , <a>;rel=next ;\ttitle="x \\"y\\", z";hreflang ,, <b> ; REL="prev next"; rel=other ,')).toEqual([
      { target: 'a', params: { rel: 'next', title: 'x "y", z', hreflang: '' } },
      { target: 'b', params: { rel: 'prev next' } },
    ]);
    expect(links('')).toEqual([]);
  });

  it.each([
    ['no angle brackets', 'https://braze.com/events?cursor=x; rel="next"'],
    ['an unclosed target', '</events?cursor=x; rel="next"'],
    ['a space in the target', '</events?cursor=a b>; rel="next"'],
    ['a control character in the target', '</events?cursor=a\u0001>; rel="next"'],
    ['an unclosed quoted string', '</events>; rel="next'],
    ['a control character in a quoted string', '</events>; rel="ne\u0000xt"'],
    ['a parameter without a name', '</events>; ="next"'],
    ['text after a link', '</events>; rel="next" trailing'],
    ['two links without a comma', '</a>; rel="prev" </b>; rel="next"'],
    ['longer than the bound', `</events?cursor=${'a'.repeat(MAX_LINK_HEADER_CHARS)}>; rel="next"`],
  ])('refuses %s', (_, header) => {
    expect(parseLinkHeader(header)).toBeUndefined();
  });
});

describe('nextPageCursor', () => {
  const invalid = (message: string) => new UpstreamInvalidResponseError(message);

  it('no header, an empty one, or one without a next link: the last page', () => {
    expect(nextPageCursor(undefined, '/events')).toBeNull();
    expect(nextPageCursor('  ', '/events')).toBeNull();
    expect(nextPageCursor('</events?cursor=c2tpcDow>; rel="prev"', '/events')).toBeNull();
  });

  it('the cursor of the next link, whatever host it names (never contacted), with or without a trailing slash', () => {
    expect(nextPageCursor('</events?cursor=c2tpcDow>; rel="prev",</events?cursor=c2tpcDoxMDA=>; rel="next"', '/events')).toBe('c2tpcDoxMDA=');
    expect(nextPageCursor('<https://anna.braze.com/custom_attributes/?cursor=c2tpcDo1MA==>; rel="next"', '/custom_attributes')).toBe('c2tpcDo1MA==');
    expect(nextPageCursor('<https://evil.example/events?cursor=abc>; rel=next', '/events')).toBe('abc');
    expect(nextPageCursor('<//evil.example/events?cursor=abc>; rel="NEXT"', '/events')).toBe('abc');
    // Relative to the page asked for (RFC 8288 §3.2).
    expect(nextPageCursor('<?cursor=abc>; rel="next"', '/events')).toBe('abc');
  });

  it('decodes the cursor as sent: percent-escapes undone, a + kept (base64 has them), other parameters ignored', () => {
    expect(nextPageCursor('</events?cursor=c2tp%2BcDo%3D&x=1>; rel="next"', '/events')).toBe('c2tp+cDo=');
    expect(nextPageCursor('</events?a=b&cursor=ab+c/d=>; rel="next"', '/events')).toBe('ab+c/d=');
    // The same next page named twice is one next page.
    expect(nextPageCursor('</events?cursor=abc>; rel="next", </events?cursor=abc>; rel="next"', '/events')).toBe('abc');
  });

  it.each([
    ['garbage', 'garbage', 'Braze\'s Link header is not a list of links ("garbage")'],
    ['a link to another list', '</users/export/ids?cursor=abc>; rel="next"', "Braze's next page link is to /users/export/ids, not to /events"],
    ['a link to a path below the list', '</events/list?cursor=abc>; rel="next"', "Braze's next page link is to /events/list, not to /events"],
    ['a javascript: target', '<javascript:alert(1)>; rel="next"', 'Braze\'s next page link is not an HTTP URL ("javascript:alert(1)")'],
    ['a file: target', '<file:///events?cursor=abc>; rel="next"', 'Braze\'s next page link is not an HTTP URL ("file:///events?cursor=abc")'],
    ['no cursor', '</events?page=2>; rel="next"', 'Braze\'s next page link has no usable cursor ("/events?page=2")'],
    ['an empty cursor', '</events?cursor=>; rel="next"', 'Braze\'s next page link has no usable cursor ("/events?cursor=")'],
    ['two cursors', '</events?cursor=a&cursor=b>; rel="next"', 'Braze\'s next page link has no usable cursor ("/events?cursor=a&cursor=b")'],
    ['a malformed escape', '</events?cursor=%E0%A4%A>; rel="next"', 'Braze\'s next page link has no usable cursor ("/events?cursor=%E0%A4%A")'],
    ['a cursor with a space', '</events?cursor=a%20b>; rel="next"', 'Braze\'s next page link has no usable cursor ("/events?cursor=a%20b")'],
    ['a cursor past the bound', `</events?cursor=${'a'.repeat(MAX_CURSOR_CHARS + 1)}>; rel="next"`, undefined],
    ['next links that disagree', '</events?cursor=a>; rel="next", </events?cursor=b>; rel="next"', "Braze's Link header names 2 different next pages"],
  ])('refuses %s with UPSTREAM_INVALID_RESPONSE', (_, header, message) => {
    expect(() => nextPageCursor(header, '/events')).toThrow(UpstreamInvalidResponseError);
    if (message) expect(() => nextPageCursor(header, '/events')).toThrow(invalid(message));
  });

  it('a cursor of exactly the bound is taken', () => {
    const cursor = 'a'.repeat(MAX_CURSOR_CHARS);
    expect(nextPageCursor(`</events?cursor=${cursor}>; rel="next"`, '/events')).toBe(cursor);
  });
});
