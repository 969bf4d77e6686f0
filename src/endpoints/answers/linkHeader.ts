import { invalidAnswer } from './answerFields.js';
import { truncate } from '../../observability/redact.js';

/**
 * Braze's cursor-paged lists (`/events`, `/custom_attributes`) name their next page in a `Link` header
 * (RFC 8288): `<https://anna.braze.com/custom_attributes/?cursor=c2tpcDo1MA==>; rel="next"`, with a
 * `rel="prev"` link beside it past the first page, and no `next` on the last. This module reads that
 * header, as untrusted as the body: only the `cursor` of the `next` link is taken, and only when the
 * link is to the same list; the link itself is never followed.
 *
 * The host of the link is not checked: the next page is asked of the configured Braze with that
 * cursor, so no host a header names is ever contacted. Braze's own links name a dashboard host
 * (`anna.braze.com` in the example of Braze's MCP server, `braze_mcp/utils/http.py`), not the REST
 * host the call went to, so a same-host rule would refuse Braze itself.
 */

/** One link of a Link header: its target as written, and its parameters by lower-case name (the first of a name counts, RFC 8288 §3). */
export interface LinkValue {
  readonly target: string;
  readonly params: ReadonlyMap<string, string>;
}

/** A header longer than this is no list of page links: refused unread. */
export const MAX_LINK_HEADER_CHARS = 8_192;
/** Braze's cursors are short base64 (`c2tpcDo1MA==`, "skip:50"); a longer one is not sent back. */
export const MAX_CURSOR_CHARS = 512;

const TCHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

/**
 * A Link header's links, or undefined when it is not one (RFC 8288 §3: `<target>` and `;`-separated
 * parameters, links separated by commas, empty list elements allowed as RFC 9110 §5.6.1 says).
 */
export function parseLinkHeader(header: string): LinkValue[] | undefined {
  if (header.length > MAX_LINK_HEADER_CHARS) return undefined;
  const links: LinkValue[] = [];
  let at = 0;
  const skipSpace = (): void => {
    while (header[at] === ' ' || header[at] === '\t') at++;
  };
  const token = (): string => {
    const start = at;
    while (at < header.length && TCHAR.test(header[at] ?? '')) at++;
    return header.slice(start, at);
  };
  /** A quoted-string's text (RFC 9110 §5.6.4), `at` on its opening quote; undefined when it never closes or holds a control character. */
  const quoted = (): string | undefined => {
    let value = '';
    at++;
    while (at < header.length) {
      let char = header[at] ?? '';
      if (char === '"') {
        at++;
        return value;
      }
      if (char === '\\') char = header[++at] ?? '';
      if (char === '' || isControl(char)) return undefined;
      value += char;
      at++;
    }
    return undefined;
  };
  for (;;) {
    skipSpace();
    if (at >= header.length) return links;
    if (header[at] === ',') {
      at++;
      continue;
    }
    if (header[at] !== '<') return undefined;
    const close = header.indexOf('>', at);
    if (close < 0) return undefined;
    const target = header.slice(at + 1, close);
    // A URI reference has no spaces, controls or angle brackets.
    if ([...target].some((char) => char === ' ' || char === '\t' || char === '<' || isControl(char))) return undefined;
    at = close + 1;
    const params = new Map<string, string>();
    for (;;) {
      skipSpace();
      if (header[at] !== ';') break;
      at++;
      skipSpace();
      const name = token().toLowerCase();
      if (name === '') return undefined;
      skipSpace();
      let value = '';
      if (header[at] === '=') {
        at++;
        skipSpace();
        const read = header[at] === '"' ? quoted() : token();
        if (read === undefined) return undefined;
        value = read;
      }
      if (!params.has(name)) params.set(name, value);
    }
    if (at < header.length && header[at] !== ',') return undefined;
    links.push({ target, params });
  }
}

/** A control character, tab excepted (it may separate words in a header). */
function isControl(char: string): boolean {
  const code = char.charCodeAt(0);
  return (code < 0x20 && char !== '\t') || code === 0x7f;
}

/** Whether a link's `rel` (space-separated relation types, any case) names `relation`. */
function hasRelation(link: LinkValue, relation: string): boolean {
  return (link.params.get('rel') ?? '').toLowerCase().split(/[ \t]+/).includes(relation);
}

/** The decoded `cursor` values of a target's query, '+' kept as sent (a base64 cursor may hold one). */
function cursorsOf(url: URL): string[] | undefined {
  const cursors: string[] = [];
  for (const part of url.search.slice(1).split('&')) {
    const equals = part.indexOf('=');
    const name = equals < 0 ? part : part.slice(0, equals);
    if (name !== 'cursor') continue;
    try {
      cursors.push(decodeURIComponent(equals < 0 ? '' : part.slice(equals + 1)));
    } catch {
      return undefined;
    }
  }
  return cursors;
}

/**
 * The cursor of the page after this one, from the `Link` header of a page of the list at `path`, or
 * null when the header names no `next` page (the last page; also when there is no header at all).
 * UpstreamInvalidResponseError when the header is not a Link header, when its next link is to another
 * path, has no single non-empty cursor of at most MAX_CURSOR_CHARS printable characters, or when
 * several next links disagree: reading on from such a header could skip or repeat pages unnoticed.
 */
export function nextPageCursor(header: string | undefined, path: string): string | null {
  if (header === undefined || header.trim() === '') return null;
  const links = parseLinkHeader(header);
  if (links === undefined) throw invalidAnswer(`Braze's Link header is not a list of links ("${truncate(header, 120)}")`);
  const cursors = new Set<string>();
  for (const link of links.filter((candidate) => hasRelation(candidate, 'next'))) {
    let url: URL;
    try {
      // Relative to the page asked for, as RFC 8288 §3.2 resolves a target; the host is not used (see above).
      url = new URL(link.target, `https://braze.invalid${path}`);
    } catch {
      throw invalidAnswer(`Braze's next page link is not a URL ("${truncate(link.target, 120)}")`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidAnswer(`Braze's next page link is not an HTTP URL ("${truncate(link.target, 120)}")`);
    if (url.pathname.replace(/\/+$/, '') !== path) throw invalidAnswer(`Braze's next page link is to ${truncate(url.pathname, 120)}, not to ${path}`);
    const found = cursorsOf(url);
    const cursor = found?.length === 1 ? found[0] : undefined;
    if (cursor === undefined || cursor === '' || cursor.length > MAX_CURSOR_CHARS || !/^[\u0021-\u007e]+$/.test(cursor)) {
      throw invalidAnswer(`Braze's next page link has no usable cursor ("${truncate(link.target, 120)}")`);
    }
    cursors.add(cursor);
  }
  if (cursors.size > 1) throw invalidAnswer(`Braze's Link header names ${cursors.size} different next pages`);
  return cursors.values().next().value ?? null;
}
