/**
 * Reads an Accept header the way yoga 5 does when it picks how to write a result
 * (graphql-yoga/cjs/plugins/result-processor/accept.js), so that what the gateway decides before
 * executing matches what yoga can send after: no Accept means `*\/*`; every whitespace character is
 * dropped and the rest lower-cased; ranges are split on `,` and parameters on `;`; a range whose
 * first parameter containing `charset=` is not exactly `charset=utf-8` is skipped; `type/subtype`
 * is split on `/` and a `*` on the range's side matches anything. Yoga ignores q-values; here a range
 * with a q of zero (`q=0`, `q=0.0`, …) is read too, as the client refusing that type (RFC 9110 §12.4.2).
 */

/** One media range yoga would consider. */
interface MediaRange {
  readonly type: string | undefined;
  readonly subtype: string | undefined;
  /** The range carries `q=0`: the client says it cannot take what it names. */
  readonly refused: boolean;
}

const ZERO_Q = /^q=0(?:\.0*)?$/;

/**
 * Parsed headers by their text: a request's Accept is read by several hooks (acceptable answers,
 * incremental delivery, subscriptions), and clients send the same few headers again and again. Short
 * headers only, and few of them (emptied whole when full), so hostile ones cannot grow it: at most
 * about 256 × 256 characters and their ranges.
 */
const parsed = new Map<string, readonly MediaRange[]>();
const PARSED_MAX_ENTRIES = 256;
const PARSED_MAX_LENGTH = 256;

function mediaRanges(accept: string | null): readonly MediaRange[] {
  const key = accept ?? '';
  const known = parsed.get(key);
  if (known !== undefined) return known;
  const ranges = parseMediaRanges(accept);
  if (key.length <= PARSED_MAX_LENGTH) {
    if (parsed.size >= PARSED_MAX_ENTRIES) parsed.clear();
    parsed.set(key, ranges);
  }
  return ranges;
}

function parseMediaRanges(accept: string | null): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const range of (accept || '*/*').replace(/\s/g, '').toLowerCase().split(',')) {
    const [mediaType = '', ...parameters] = range.split(';');
    const charset = parameters.find((parameter) => parameter.includes('charset=')) ?? 'charset=utf-8';
    if (charset !== 'charset=utf-8') continue;
    const [type, subtype] = mediaType.split('/');
    ranges.push({ type, subtype, refused: parameters.some((parameter) => ZERO_Q.test(parameter)) });
  }
  return ranges;
}

/**
 * Whether yoga would write `mediaType` (e.g. `text/event-stream`) for this Accept, and the client has
 * not refused it: some range matches it as yoga matches (so this is never true where yoga would not
 * use that type), and of the most specific matching ranges (`text/event-stream` over `text/*` over
 * `*\/*`) none says `q=0`. Linear in the header's length, whatever it holds.
 */
export function acceptsMediaType(accept: string | null, mediaType: string): boolean {
  const [wantedType, wantedSubtype] = mediaType.split('/');
  let best = -1;
  let refused = false;
  for (const range of mediaRanges(accept)) {
    const matches = (range.type === '*' || range.type === wantedType) && (range.subtype === '*' || range.subtype === wantedSubtype);
    if (!matches) continue;
    const specificity = (range.type === '*' ? 0 : 2) + (range.subtype === '*' ? 0 : 1);
    if (specificity > best) {
      best = specificity;
      refused = range.refused;
    } else if (specificity === best) refused ||= range.refused;
  }
  return best >= 0 && !refused;
}
