import { add, multiply, negate, ONE, ZERO, type Rational } from './rational.js';

/**
 * The daemon's own chance that one account wins one slot, computed exactly
 * as the block producer does (MinaProtocol/mina src/lib/consensus/vrf/consensus_vrf.ml,
 * `Threshold.is_satisfied`, with src/lib/snarky_taylor `Exp.params` and
 * `Exp.Unchecked.one_minus_exp`): not 1 - (1/4)^alpha in floating point, but
 *
 *   x = floor(2^P * stake / total) / 2^P                (alpha cut to P bits)
 *   p = x + sum for i = 1..N of (-1)^(i+1) * (c_i / 2^P) * x^i
 *   c_1 = floor(2^P * (L - 1)),  c_i = floor(2^P * L^i / i!) for i > 1
 *   L = |ln(1/4)| = 1.386..., from a 100-term series
 *
 * (the linear coefficient L exceeds 1, so its whole part, 1, is kept apart
 * and only its fraction is in fixed point), where N and P come from fitting
 * the series into the 255-bit field: N = 11, P = 20. All of
 * it is done here in exact integer and rational arithmetic, so the result is
 * the daemon's threshold to the last bit: an account wins a slot when its VRF
 * output over 2^253 is at most p.
 */

/** f = 3/4 of slots filled: the base of the exponential is 1 - f. */
const BASE = { num: 1n, den: 4n };
/** Bits of the Pasta base field in which the series must fit. */
const FIELD_SIZE_IN_BITS = 255;
/** Terms of the series for log(base) (snarky_taylor `log ~terms:100`). */
const LOG_TERMS = 100;

export interface ThresholdParams {
  /** Bits of precision the series promises (snarky_taylor `total_precision`). */
  readonly totalPrecision: number;
  /** Bits kept of alpha and of each coefficient (`per_term_precision`). */
  readonly perTermPrecision: number;
  readonly terms: number;
  /** The whole part of the linear coefficient L, added as x times it. */
  readonly linearTermWholePart: bigint;
  /** c_i for i = 1..terms, fixed point with perTermPrecision bits; odd i add, even i subtract. */
  readonly coefficients: readonly bigint[];
}

/** The daemon's threshold: an exact fraction numerator / 2^denominatorBits. */
export interface Threshold {
  /** floor(2^P * stake / total): 0 means the account can never win a slot. */
  readonly truncatedAlpha: bigint;
  readonly numerator: bigint;
  readonly denominatorBits: number;
}

let cachedParams: ThresholdParams | undefined;

/** snarky_taylor `Exp.params ~base:(1/4) ~field_size_in_bits:255`, computed once. */
export function thresholdParams(): ThresholdParams {
  cachedParams ??= deriveParams();
  return cachedParams;
}

/** True when an account holding `stake` of `totalCurrency` can never win a slot: its truncated alpha is 0. */
export function underThresholdFloor(stake: bigint, totalCurrency: bigint): boolean {
  return stake << BigInt(thresholdParams().perTermPrecision) < totalCurrency;
}

/** The daemon's per-slot winning threshold for an account holding `stake` of `totalCurrency`. */
export function daemonThreshold(stake: bigint, totalCurrency: bigint): Threshold {
  const { perTermPrecision: bits, terms, linearTermWholePart, coefficients } = thresholdParams();
  const truncatedAlpha = (stake << BigInt(bits)) / totalCurrency;
  // With X = truncatedAlpha, term i is c_i * X^i / 2^(bits * (i + 1)) and the
  // whole linear part is w * X / 2^bits; bring all to 2^(bits * (terms + 1)).
  let numerator = (linearTermWholePart * truncatedAlpha) << BigInt(bits * terms);
  let power = 1n;
  for (let i = 1; i <= terms; i++) {
    power *= truncatedAlpha;
    const term = ((coefficients[i - 1] as bigint) * power) << BigInt(bits * (terms - i));
    numerator += i % 2 === 1 ? term : -term;
  }
  return { truncatedAlpha, numerator, denominatorBits: bits * (terms + 1) };
}

function deriveParams(): ThresholdParams {
  const absLogBase = negate(logSeries(BASE, LOG_TERMS));
  let best: Omit<ThresholdParams, 'coefficients' | 'linearTermWholePart'> | undefined;
  for (let k = 0; ; k++) {
    // One term more than the error bound asks, for the linear term's whole part.
    const terms = termsNeeded(absLogBase, k) + 1;
    const perTermPrecision = ceilLog2(terms) + k;
    if (terms * perTermPrecision + perTermPrecision >= FIELD_SIZE_IN_BITS) break;
    best = { totalPrecision: k, perTermPrecision, terms };
  }
  if (best === undefined) throw new Error('no precision fits the field');
  const linearTermWholePart = absLogBase.num / absLogBase.den;
  const coefficients: bigint[] = [];
  let power = ONE;
  let factorial = 1n;
  for (let i = 1; i <= best.terms; i++) {
    power = multiply(power, absLogBase);
    factorial *= BigInt(i);
    const coefficient = { num: power.num, den: power.den * factorial };
    const fraction = i === 1 ? { num: coefficient.num - linearTermWholePart * coefficient.den, den: coefficient.den } : coefficient;
    coefficients.push((fraction.num << BigInt(best.perTermPrecision)) / fraction.den);
  }
  return { ...best, linearTermWholePart, coefficients };
}

/** log(x) by its Taylor series around 1: (x-1) - (x-1)^2/2 + (x-1)^3/3 - ..., `terms` terms. */
function logSeries(x: Rational, terms: number): Rational {
  const a = { num: x.num - x.den, den: x.den };
  let sum = ZERO;
  let power = ONE;
  for (let i = 1; i <= terms; i++) {
    power = multiply(power, a);
    const term = { num: power.num, den: power.den * BigInt(i) };
    sum = add(sum, i % 2 === 0 ? negate(term) : term);
  }
  return sum;
}

/** The least n with n! / L^(n+1) > 2^k (snarky_taylor `terms_needed`, as written there). */
function termsNeeded(absLogBase: Rational, k: number): number {
  const bound = 1n << BigInt(k);
  let factorial = 1n;
  let power = absLogBase; // L^(n+1)
  for (let n = 0; ; n++) {
    if (n > 0) {
      factorial *= BigInt(n);
      power = multiply(power, absLogBase);
    }
    // factorial / (power.num / power.den) > bound
    if (factorial * power.den > bound * power.num) return n;
  }
}

/** The least i with 2^i >= n. */
function ceilLog2(n: number): number {
  let i = 0;
  while (2 ** i < n) i++;
  return i;
}
