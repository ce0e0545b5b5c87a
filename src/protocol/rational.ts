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
  // Both are reduced already: adding 0 (an entitlement's first share) needs no gcd.
  if (a.num === 0n) return b;
  if (b.num === 0n) return a;
  if (a.den === b.den) return reduce(a.num + b.num, a.den);
  const num = a.num * b.den + b.num * a.den;
  const den = a.den * b.den;
  // Reduced fractions whose denominators share no factor add up to a reduced fraction (Knuth, TAOCP 4.5.1).
  return gcd(a.den, b.den) === 1n ? { num, den } : reduce(num, den);
}

export function subtract(a: Rational, b: Rational): Rational {
  return add(a, negate(b));
}

/**
 * Cancelled crosswise first (Knuth, TAOCP 4.5.1): the product of the
 * cancelled reduced fractions is reduced, and each gcd has a term of one
 * fraction only, where a gcd of the whole product has terms twice as long
 * (a plan's entitlement times its commission rate: half of its
 * arithmetic's time).
 */
export function multiply(a: Rational, b: Rational): Rational {
  const aCancelled = gcd(magnitude(a.num), b.den);
  const bCancelled = gcd(magnitude(b.num), a.den);
  return { num: (a.num / aCancelled) * (b.num / bCancelled), den: (a.den / bCancelled) * (b.den / aCancelled) };
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

function magnitude(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function reduce(num: bigint, den: bigint): Rational {
  const divisor = gcd(magnitude(num), den);
  return divisor > 1n ? { num: num / divisor, den: den / divisor } : { num, den };
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Euclid's algorithm on BigInts while a term is above 2^53, then on numbers,
 * exact below it: a plan's entitlements are reduced by their stake, a
 * 57-bit total whose remainders fall below 2^53 within a few steps, and the
 * some 40 BigInt remainders (each a division and an allocation) a
 * delegator took were half of computing a plan.
 */
function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) {
    if (a <= MAX_SAFE && b <= MAX_SAFE) return BigInt(numberGcd(Number(a), Number(b)));
    const rest = a % b;
    a = b;
    b = rest;
  }
  return a;
}

function numberGcd(a: number, b: number): number {
  while (b !== 0) {
    const rest = a % b;
    a = b;
    b = rest;
  }
  return a;
}
