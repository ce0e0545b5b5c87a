/**
 * The one reader of whole numbers that come from outside: nanomina, nonces,
 * slots, epochs, counts. Files and daemons write them as decimal digits in a
 * string (JSON numbers lose precision past 2^53), and some formats allow a
 * small JSON number too. Anything else (a sign, a point, an exponent, a
 * value past `max`) is null, for the caller to name in its own error.
 */
const DIGITS = /^\d+$/;

/** Decimal digits, at most `max`. Refused by length before BigInt, which takes seconds on millions of digits. */
export function wholeNumberFromText(text: string, max: bigint): bigint | null {
  if (!DIGITS.test(text)) return null;
  const significant = text.replace(/^0+/, '');
  if (significant.length > max.toString().length) return null;
  const value = BigInt(significant === '' ? '0' : significant);
  return value <= max ? value : null;
}

/** Decimal digits in a string, or a JSON number that is a safe whole number; at most `max`. */
export function wholeNumberFrom(value: unknown, max: bigint): bigint | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 && BigInt(value) <= max ? BigInt(value) : null;
  return typeof value === 'string' ? wholeNumberFromText(value, max) : null;
}

/** As wholeNumberFrom, for counts and positions that fit a JavaScript number: at most `max`, by default 2^53 - 1. */
export function safeWholeNumber(value: unknown, max = Number.MAX_SAFE_INTEGER): number | null {
  const whole = wholeNumberFrom(value, BigInt(max));
  return whole === null ? null : Number(whole);
}
