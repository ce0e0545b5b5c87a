import { ENDOMORPHISM_LAMBDA, PALLAS_Q } from './parameters.js';

/**
 * The scalar side of the GLV method: k = k1 + k2 * lambda (mod q) with k1
 * and k2 of about 128 bits, so that k * P = k1 * P + k2 * phi(P) takes half
 * the doublings, phi(x, y) = (beta x, y) costing one multiplication. Then
 * each half in width-5 NAF (signed odd digits, at most one non-zero digit in
 * five), which the WebAssembly module walks from the top.
 */

interface Basis {
  readonly a1: bigint;
  readonly b1: bigint;
  readonly a2: bigint;
  readonly b2: bigint;
}

let cachedBasis: Basis | undefined;

/**
 * A short basis of the lattice {(a, b) : a + b lambda = 0 mod q}, from the
 * extended Euclidean algorithm on (q, lambda) stopped at sqrt(q)
 * (Guide to Elliptic Curve Cryptography, algorithm 3.74).
 */
function basis(): Basis {
  if (cachedBasis !== undefined) return cachedBasis;
  const rows: { r: bigint; t: bigint }[] = [
    { r: PALLAS_Q, t: 0n },
    { r: ENDOMORPHISM_LAMBDA, t: 1n },
  ];
  const bound = sqrtFloor(PALLAS_Q);
  while ((rows.at(-1) as { r: bigint }).r >= bound) {
    const [previous, current] = rows.slice(-2) as [{ r: bigint; t: bigint }, { r: bigint; t: bigint }];
    const quotient = previous.r / current.r;
    rows.push({ r: previous.r - quotient * current.r, t: previous.t - quotient * current.t });
  }
  // rows[l + 1] is the first remainder below sqrt(q); rows[l] the last at or above it.
  const l = rows.length - 2;
  const [before, at, after] = [rows[l] as { r: bigint; t: bigint }, rows[l + 1] as { r: bigint; t: bigint }, rowAfter(rows)];
  const second = norm(before) <= norm(after) ? before : after;
  cachedBasis = { a1: at.r, b1: -at.t, a2: second.r, b2: -second.t };
  return cachedBasis;
}

function rowAfter(rows: { r: bigint; t: bigint }[]): { r: bigint; t: bigint } {
  const [previous, current] = rows.slice(-2) as [{ r: bigint; t: bigint }, { r: bigint; t: bigint }];
  const quotient = previous.r / current.r;
  return { r: previous.r - quotient * current.r, t: previous.t - quotient * current.t };
}

const norm = (row: { r: bigint; t: bigint }): bigint => row.r * row.r + row.t * row.t;

function sqrtFloor(n: bigint): bigint {
  let x = 1n << BigInt((n.toString(2).length + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** Rounded a / b for b > 0. */
function roundDivide(a: bigint, b: bigint): bigint {
  const twice = 2n * a + b;
  const quotient = twice / (2n * b);
  return twice < 0n && twice % (2n * b) !== 0n ? quotient - 1n : quotient;
}

/** k = k1 + k2 * lambda (mod q), |k1| and |k2| about sqrt(q). */
export function glvDecompose(k: bigint): { k1: bigint; k2: bigint } {
  const { a1, b1, a2, b2 } = basis();
  const c1 = roundDivide(b2 * k, PALLAS_Q);
  const c2 = roundDivide(-b1 * k, PALLAS_Q);
  const k1 = k - c1 * a1 - c2 * a2;
  const k2 = -c1 * b1 - c2 * b2;
  if ((((k1 + k2 * ENDOMORPHISM_LAMBDA - k) % PALLAS_Q) + PALLAS_Q) % PALLAS_Q !== 0n) throw new Error('GLV decomposition does not add up');
  return { k1, k2 };
}

/** Width-w NAF digits of k (signed), least significant first: odd digits below 2^(w-1) in magnitude, each followed by w - 1 zeros. */
export function wnaf(k: bigint, width = 5): number[] {
  const sign = k < 0n ? -1 : 1;
  let rest = k < 0n ? -k : k;
  const window = 1n << BigInt(width);
  const digits: number[] = [];
  while (rest > 0n) {
    let digit = 0n;
    if (rest & 1n) {
      digit = rest % window;
      if (digit >= window / 2n) digit -= window;
      rest -= digit;
    }
    digits.push(sign * Number(digit));
    rest >>= 1n;
  }
  return digits;
}
