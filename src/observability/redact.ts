/**
 * Hides secrets (the Braze REST key, client tokens) in text that leaves the process: error messages
 * and log lines. Matching whole secrets is not enough: text gets cut short ("…bad key sk-te…") and
 * proxies echo headers in other encodings, so any run of FRAGMENT_LENGTH or more characters of a
 * secret, or of its base64, base64url, hex, percent- or JSON-escaped forms, is replaced.
 */

/** Runs this long or longer are hidden; shorter ones carry too little of a secret to be worth it. */
export const FRAGMENT_LENGTH = 8;
export const REDACTED = '[REDACTED]';

export type Redact = (text: string) => string;

export function createRedactor(secrets: readonly string[]): Redact {
  const forms = secrets.filter((secret) => secret.length > 0).flatMap(encodedForms);
  if (forms.length === 0) return (text) => text;
  // A secret shorter than a fragment is matched whole.
  const length = Math.min(FRAGMENT_LENGTH, ...forms.map((form) => form.length));
  const fragments = new Set<string>();
  for (const form of forms) {
    for (let start = 0; start + length <= form.length; start++) fragments.add(form.slice(start, start + length));
  }
  return (text) => {
    let out = '';
    let copiedUpTo = 0;
    let hiddenUpTo = -1;
    for (let start = 0; start + length <= text.length; start++) {
      if (!fragments.has(text.slice(start, start + length))) continue;
      if (start > hiddenUpTo) {
        // A new hidden run: flush the clear text before it.
        out += text.slice(copiedUpTo, start) + REDACTED;
      }
      hiddenUpTo = start + length;
      copiedUpTo = hiddenUpTo;
    }
    return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
  };
}

/** The secret as it may appear in text: as is, and in every encoding a proxy or client commonly uses. */
function encodedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = new Set<string>([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  forms.add(bytes.toString('hex'));
  forms.add(bytes.toString('hex').toUpperCase());
  // Inside a longer base64 text the secret starts at any of three byte offsets, and each offset
  // encodes it differently: keep, for each, the characters that depend on the secret's bits alone.
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes, Buffer.alloc(2)]);
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    forms.add(padded.toString('base64').slice(first, end));
    forms.add(padded.toString('base64url').slice(first, end));
  }
  return [...forms].filter((form) => form.length > 0);
}

/** Cuts text to `max` characters with an ellipsis. Redact before cutting, never after: a cut can split a secret. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
