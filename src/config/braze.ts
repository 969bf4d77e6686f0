import { isLoopbackUrl } from './loopback.js';
import { parsed, type Report, type VariableReader } from './read.js';

/** Braze's REST endpoint for each instance, from Braze's "API basics" page (there is no US-09). */
export const BRAZE_INSTANCES: Readonly<Record<string, string>> = Object.freeze({
  'US-01': 'https://rest.iad-01.braze.com',
  'US-02': 'https://rest.iad-02.braze.com',
  'US-03': 'https://rest.iad-03.braze.com',
  'US-04': 'https://rest.iad-04.braze.com',
  'US-05': 'https://rest.iad-05.braze.com',
  'US-06': 'https://rest.iad-06.braze.com',
  'US-07': 'https://rest.iad-07.braze.com',
  'US-08': 'https://rest.iad-08.braze.com',
  'US-10': 'https://rest.us-10.braze.com',
  'EU-01': 'https://rest.fra-01.braze.eu',
  'EU-02': 'https://rest.fra-02.braze.eu',
  'AU-01': 'https://rest.au-01.braze.com',
  'ID-01': 'https://rest.id-01.braze.com',
  'JP-01': 'https://rest.jp-01.braze.com',
  'KR-01': 'https://rest.kr-01.braze.com',
});

/** Where upstream calls go: a real Braze, or the built-in simulator started at boot. */
export type BrazeConfig =
  | { readonly mode: 'live'; readonly endpoint: URL; readonly apiKey: string }
  | { readonly mode: 'simulated' };

export const BRAZE_API_KEY = parsed<string | undefined>('BRAZE_API_KEY', undefined, checkApiKey, { refuseQuoted: true });
export const BRAZE_REST_ENDPOINT = parsed<URL | undefined>('BRAZE_REST_ENDPOINT', undefined, parseEndpoint);
export const BRAZE_INSTANCE = parsed<URL | undefined>('BRAZE_INSTANCE', undefined, (value, report) => {
  const url = BRAZE_INSTANCES[value.toUpperCase()];
  if (url !== undefined) return new URL(url);
  report(`BRAZE_INSTANCE must be one of ${Object.keys(BRAZE_INSTANCES).join(', ')} (got "${value}")`);
  return undefined;
});

export const BRAZE_VARIABLES = [BRAZE_API_KEY, BRAZE_REST_ENDPOINT, BRAZE_INSTANCE] as const;

/** undefined when something is wrong (reported): nothing else can be decided about Braze then. */
export function readBraze(vars: VariableReader): BrazeConfig | undefined {
  const before = vars.problems.length;
  const endpointSet = vars.isSet(BRAZE_REST_ENDPOINT);
  const instanceSet = vars.isSet(BRAZE_INSTANCE);

  let endpoint: URL | undefined;
  if (endpointSet && instanceSet) vars.report('set BRAZE_REST_ENDPOINT or BRAZE_INSTANCE, not both');
  else if (endpointSet) endpoint = vars.read(BRAZE_REST_ENDPOINT);
  else if (instanceSet) endpoint = vars.read(BRAZE_INSTANCE);

  if (!vars.isSet(BRAZE_API_KEY)) {
    if (endpointSet || instanceSet) {
      // Serving simulated numbers to someone who meant to reach Braze would be worse than not starting.
      vars.report('BRAZE_API_KEY is required when BRAZE_REST_ENDPOINT or BRAZE_INSTANCE is set');
    }
    return vars.problems.length > before ? undefined : { mode: 'simulated' };
  }
  const apiKey = vars.read(BRAZE_API_KEY);
  if (!endpointSet && !instanceSet) vars.report('BRAZE_API_KEY is set, so BRAZE_REST_ENDPOINT or BRAZE_INSTANCE is required');
  if (vars.problems.length > before || endpoint === undefined || apiKey === undefined) return undefined;
  return { mode: 'live', endpoint, apiKey };
}

/**
 * Braze documents no format for REST API keys; the keys its dashboard issues are UUIDs, 36 characters
 * (32 hexadecimal digits and 4 dashes). A shorter value is a stray character or a cut paste, never a
 * key, and would have the log redactor hide its characters wherever they appear (a one-character key
 * blanked that character in every line). The key travels in an HTTP header, so only printable ASCII
 * can be sent. Quotes are refused by the reader (Braze answers 401 to a quoted key). The value itself is
 * never echoed: it is a secret.
 */
export const MIN_API_KEY_LENGTH = 32;

function checkApiKey(value: string, report: Report): string | undefined {
  if (/\s/.test(value)) report('BRAZE_API_KEY contains white space');
  else if (!/^[\x21-\x7e]+$/.test(value)) report('BRAZE_API_KEY must be printable ASCII: it is sent in an HTTP header');
  else if (value.length < MIN_API_KEY_LENGTH) {
    report(`BRAZE_API_KEY is too short to be a Braze REST API key (${value.length} of at least ${MIN_API_KEY_LENGTH} characters; the dashboard's are 36-character UUIDs)`);
  }
  else return value;
  return undefined;
}

function parseEndpoint(value: string, report: Report): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    report(`BRAZE_REST_ENDPOINT must be a URL such as https://rest.iad-01.braze.com (got "${value}")`);
    return undefined;
  }
  if (url.protocol === 'http:' && !isLoopbackUrl(url)) {
    report('BRAZE_REST_ENDPOINT must use https (http is allowed only for loopback addresses)');
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    report(`BRAZE_REST_ENDPOINT must be an http(s) URL (got protocol "${url.protocol}")`);
    return undefined;
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    report('BRAZE_REST_ENDPOINT must not carry credentials, a query or a fragment');
    return undefined;
  }
  // A path prefix is kept (a proxy in front of Braze); the trailing slash is dropped so joins are exact.
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}
