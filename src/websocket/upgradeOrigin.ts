/**
 * Whether a WebSocket upgrade may proceed, judged by its Origin the way CORS judges a fetch: a browser
 * sends Origin with every WebSocket handshake, and unlike a fetch nothing stops a page on any origin from
 * reading the socket once it is open (cross-site WebSocket hijacking). So an upgrade is allowed when it
 * carries no Origin (not a browser), when its Origin names the host it was sent to (the gateway's own
 * pages, same-origin as a fetch would be), or when CORS_ORIGINS allows that origin ('*': any).
 */
export function isAllowedOrigin(origin: string | undefined, host: string | undefined, allowed: '*' | readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed === '*') return true;
  if (allowed.includes(origin)) return true;
  return host !== undefined && hostOf(origin) === host.toLowerCase();
}

/** `host[:port]` of a serialized origin, lowercased; undefined for `null` and anything that is not an origin. */
function hostOf(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
