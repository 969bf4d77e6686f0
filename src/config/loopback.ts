import { isIP } from 'node:net';

/**
 * Whether a URL points at this machine, where plain http carries no secret across a network. The
 * hostname is taken as URL gives it (an IPv6 address in brackets).
 */
export function isLoopbackUrl(url: URL): boolean {
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (hostname === 'localhost') return true;
  if (isIP(hostname) === 4) return hostname.startsWith('127.');
  if (isIP(hostname) === 6) return hostname === '::1';
  return false;
}
