/**
 * Exact decimal numbers as strings ("1234.56"), for money: Braze sends revenue as JSON numbers, and
 * summing those as floats drifts (0.1 + 0.2 is 0.30000000000000004). Values are written in plain
 * notation (never an exponent) and summed as scaled BigInts, so a total is exact to the last digit.
 */

/** Plain decimal notation: an optional minus, digits, optionally a point and more digits. */
const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * A JSON number as the decimal it stands for, in plain notation. `String(n)` is the shortest text that
 * reads back as the same double (what Braze most likely wrote); exponent forms (1e+21, 1e-7) are
 * expanded, so the result always matches the `Decimal` scalar.
 */
export function decimalFromNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`${value} is not a finite number`);
  const text = String(value);
  const exponent = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exponent) return normalise(text);
  const [, sign = '', whole = '', fraction = '', power = '0'] = exponent;
  // Move the point `power` places through the digits, padding with zeros where it passes their end.
  const digits = whole + fraction;
  const point = whole.length + Number(power);
  const shifted =
    point <= 0 ? `0.${'0'.repeat(-point)}${digits}` : point >= digits.length ? digits + '0'.repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return normalise(sign + shifted);
}

/** The exact sum of decimals in plain notation; "0" for none. Throws RangeError on anything else. */
export function sumDecimals(values: readonly string[]): string {
  const parsed = values.map(parseDecimal);
  const scale = Math.max(0, ...parsed.map((d) => d.scale));
  let total = 0n;
  for (const { units, scale: own } of parsed) total += units * 10n ** BigInt(scale - own);
  return format(total, scale);
}

/** Orders two decimals in plain notation exactly (no float rounding): negative, zero or positive as `a` is below, equal to or above `b`. */
export function compareDecimals(a: string, b: string): number {
  const [x, y] = [parseDecimal(a), parseDecimal(b)];
  const scale = Math.max(x.scale, y.scale);
  const difference = x.units * 10n ** BigInt(scale - x.scale) - y.units * 10n ** BigInt(scale - y.scale);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** A decimal as an integer count of 10^-scale units: "12.34" is 1234 at scale 2. */
interface ScaledDecimal {
  readonly units: bigint;
  readonly scale: number;
}

function parseDecimal(text: string): ScaledDecimal {
  const match = PLAIN_DECIMAL.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a decimal in plain notation`);
  const [, sign = '', whole = '', fraction = ''] = match;
  const magnitude = BigInt(whole + fraction);
  return { units: sign === '-' ? -magnitude : magnitude, scale: fraction.length };
}

function format(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return normalise(`${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`);
}

/** One way to write each value: no leading zeros, no trailing fraction zeros, no "-0". */
function normalise(text: string): string {
  const match = PLAIN_DECIMAL.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a decimal in plain notation`);
  const [, sign = '', whole = '', fraction = ''] = match;
  const trimmedWhole = whole.replace(/^0+(?=\d)/, '');
  const trimmedFraction = fraction.replace(/0+$/, '');
  const body = trimmedFraction === '' ? trimmedWhole : `${trimmedWhole}.${trimmedFraction}`;
  return body === '0' ? '0' : sign + body;
}
