/**
 * Exact fractions of bigints, for the few places where a ratio must not be
 * rounded at all: the daemon's threshold series and payout entitlements.
 * Always reduced, with a positive denominator.
 */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

export const ZERO: Rational = { num: 0n, den: 1n };
export const ONE: Rational = { num: 1n, den: 1n };

export function rational(num: bigint, den = 1n): Rational {
  if (den === 0n) throw new RangeError('a fraction cannot have a zero denominator');
  return den < 0n ? reduce(-num, -den) : reduce(num, den);
}

export function add(a: Rational, b: Rational): Rational {
  return a.den === b.den ? reduce(a.num + b.num, a.den) : reduce(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function subtract(a: Rational, b: Rational): Rational {
  return add(a, negate(b));
}

export function multiply(a: Rational, b: Rational): Rational {
  return reduce(a.num * b.num, a.den * b.den);
}

export function negate(a: Rational): Rational {
  return { num: -a.num, den: a.den };
}

/** The largest integer not above the fraction. */
export function floor(a: Rational): bigint {
  const quotient = a.num / a.den;
  return a.num < 0n && quotient * a.den !== a.num ? quotient - 1n : quotient;
}

export function compare(a: Rational, b: Rational): number {
  const difference = a.num * b.den - b.num * a.den;
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** A plain decimal such as "0.08" or "1", exactly; null when the text is not one. */
export function parseDecimal(text: string): Rational | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (match === null) return null;
  const fraction = match[2] ?? '';
  return rational(BigInt(`${match[1]}${fraction}`), 10n ** BigInt(fraction.length));
}

/**
 * A rate (a commission, a burn): a plain decimal fraction from 0 to 1
 * ("0.05"), exact. Null when the text is not one.
 */
export function parseRate(text: string): Rational | null {
  const rate = parseDecimal(text.trim());
  return rate === null || compare(rate, ONE) > 0 ? null : rate;
}

/**
 * The exact decimal text of a fraction whose denominator divides a power of
 * ten (every rate parsed by parseDecimal); null for one such as 1/3.
 */
export function formatDecimal(a: Rational): string | null {
  let digits = 0;
  let scale = 1n;
  while (scale % a.den !== 0n) {
    if (digits > 40) return null;
    digits += 1;
    scale *= 10n;
  }
  const scaled = (a.num < 0n ? -a.num : a.num) * (scale / a.den);
  const text = scaled.toString().padStart(digits + 1, '0');
  const sign = a.num < 0n ? '-' : '';
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

function reduce(num: bigint, den: bigint): Rational {
  const divisor = gcd(num < 0n ? -num : num, den);
  return divisor > 1n ? { num: num / divisor, den: den / divisor } : { num, den };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
