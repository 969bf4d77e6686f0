import { createRemoteJWKSet, customFetch, type FetchImplementation, type JWTVerifyGetKey } from 'jose';

/** Longest a JWKS fetch may take, headers and body together; then the requests waiting on it get 401. */
export const JWKS_TIMEOUT_MS = 5_000;
/** Largest JWKS answer read (a real one is a few KB): past it, the fetch fails without reading further. */
export const JWKS_MAX_BYTES = 1024 * 1024;
/** After a failed fetch, no other for this long: requests that need the set are refused at once meanwhile. */
export const JWKS_RETRY_AFTER_FAILURE_MS = 5_000;
/** After a good fetch, a token with an unknown `kid` makes no other fetch for this long (jose's default). */
export const JWKS_COOLDOWN_MS = 30_000;
/** A fetched set is used this long, then fetched again (jose's default): a key removed from the JWKS is trusted up to this long. */
export const JWKS_CACHE_MAX_AGE_MS = 600_000;

/** Why the JWKS could not be read; the message says what it did (never the URL, which may carry a secret). */
export class JwksUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JwksUnavailableError';
  }
}

export interface RemoteKeySetOptions {
  /** The fetch that reaches the JWKS (tests may count or fault it); default the global fetch. */
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

/**
 * The keys of the JWKS at `url`, as jose's remote key set reads them (fetched on first use, one fetch
 * at a time, cached JWKS_CACHE_MAX_AGE_MS, fetched again for an unknown `kid` at most every
 * JWKS_COOLDOWN_MS, redirects not followed), through a fetch that bounds what a JWKS can cost: jose
 * reads the whole answer into memory however large (one of 100 MB took the process 410 MiB up; an endless one
 * grows until the 5 s timeout), and fetches again for every request while the JWKS fails.
 */
export function remoteKeySet(url: URL, options: RemoteKeySetOptions = {}): JWTVerifyGetKey {
  return createRemoteJWKSet(url, {
    timeoutDuration: JWKS_TIMEOUT_MS,
    cooldownDuration: JWKS_COOLDOWN_MS,
    cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
    [customFetch]: boundedJwksFetch(options),
  });
}

/**
 * A fetch for jose that accepts only a 200 whose body is at most JWKS_MAX_BYTES (decompressed) of JSON
 * with a `keys` list, read as it arrives and abandoned as soon as it is more; and that, for JWKS_RETRY_AFTER_FAILURE_MS after any failure (timeouts included), fails at once
 * without asking.
 */
export function boundedJwksFetch({ fetch: fetchImpl = fetch, now = () => Date.now() }: RemoteKeySetOptions = {}): FetchImplementation {
  let failedAt: number | undefined;
  return async (url, init) => {
    const since = failedAt === undefined ? Number.POSITIVE_INFINITY : now() - failedAt;
    if (since >= 0 && since < JWKS_RETRY_AFTER_FAILURE_MS) {
      throw new JwksUnavailableError(`the last JWKS fetch failed ${Math.round(since)} ms ago; none is made for ${JWKS_RETRY_AFTER_FAILURE_MS} ms after a failure`);
    }
    try {
      const response = await fetchImpl(url, init);
      const text = await readJwks(response);
      failedAt = undefined;
      return new Response(text, { status: 200, headers: { 'content-type': 'application/json' } });
    } catch (error) {
      failedAt = now();
      throw error;
    }
  };
}

/** The body of a JWKS answer, checked: a 200, at most JWKS_MAX_BYTES, JSON with a `keys` list (jose checks each key). */
async function readJwks(response: Response): Promise<string> {
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new JwksUnavailableError(`the JWKS answered HTTP ${response.status}, not 200`);
  }
  if (Number(response.headers.get('content-length')) > JWKS_MAX_BYTES) {
    await response.body?.cancel();
    throw new JwksUnavailableError(`the JWKS answer is larger than ${JWKS_MAX_BYTES} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const reader = response.body?.getReader();
  for (let chunk = await reader?.read(); chunk !== undefined && !chunk.done; chunk = await reader?.read()) {
    bytes += chunk.value.byteLength;
    if (bytes > JWKS_MAX_BYTES) {
      await reader?.cancel();
      throw new JwksUnavailableError(`the JWKS answer is larger than ${JWKS_MAX_BYTES} bytes`);
    }
    chunks.push(chunk.value);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let keys: unknown;
  try {
    keys = (JSON.parse(text) as { keys?: unknown } | null)?.keys;
  } catch {
    throw new JwksUnavailableError('the JWKS answer is not JSON');
  }
  if (!Array.isArray(keys)) throw new JwksUnavailableError('the JWKS answer has no "keys" list');
  return text;
}
