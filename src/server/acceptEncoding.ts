/**
 * Picks a content coding for an answer from the request's Accept-Encoding (RFC 9110 §12.5.3): codings
 * separated by `,`, each with an optional `;q=` weight from 0 to 1 (default 1); `q=0` refuses a coding;
 * `*` stands for every coding not named; names are case-insensitive. No header at all means the client
 * asked for nothing in particular: identity. Of the codings offered (in the server's order of preference),
 * the one with the highest weight wins, the server's order breaking ties; none acceptable: identity
 * (which is always allowed to be sent, even when refused: §12.5.3 lets a server do so rather than 406).
 * Linear in the header's length; a malformed element is skipped, never thrown on.
 */
export type ContentCoding = 'br' | 'gzip';

const WEIGHT = /^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

export function chooseEncoding(header: string | null, offered: readonly ContentCoding[]): ContentCoding | undefined {
  if (header === null) return undefined;
  const weights = new Map<string, number>();
  for (const element of header.toLowerCase().split(',')) {
    const [name = '', ...parameters] = element.split(';').map((part) => part.trim());
    if (!/^[a-z0-9*!#$%&'+.^_`|~-]+$/.test(name)) continue;
    let weight = 1;
    for (const parameter of parameters) {
      const match = WEIGHT.exec(parameter.replace(/\s/g, ''));
      if (match?.[1] !== undefined) weight = Number(match[1]);
      else if (parameter.startsWith('q')) weight = Number.NaN;
    }
    if (Number.isNaN(weight)) continue;
    // A coding named twice keeps its first weight, as a later duplicate is more likely noise.
    if (!weights.has(name)) weights.set(name, weight);
  }
  let chosen: ContentCoding | undefined;
  let best = 0;
  for (const coding of offered) {
    const weight = weights.get(coding) ?? weights.get('*') ?? 0;
    if (weight > best) {
      chosen = coding;
      best = weight;
    }
  }
  return chosen;
}

/** Adds `Accept-Encoding` to a Vary header's value, once. */
export function varyOnAcceptEncoding(vary: string | null): string {
  if (vary === null || vary.trim() === '') return 'Accept-Encoding';
  const names = vary.split(',').map((name) => name.trim().toLowerCase());
  return names.includes('accept-encoding') || names.includes('*') ? vary : `${vary}, Accept-Encoding`;
}
