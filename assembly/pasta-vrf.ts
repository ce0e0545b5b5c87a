/**
 * The post-Berkeley consensus VRF of Mina, evaluated in WebAssembly, and the
 * Kimchi Poseidon hash it is built on (for payout commitments too); the
 * legacy Poseidon hash and the scalar multiplications that check a signed
 * payment's Schnorr signature; the Legendre symbol that tells whether a
 * public key's x is that of a point of the curve.
 *
 * Compiled by `npm run build:wasm` (AssemblyScript) into
 * src/protocol/pasta/vrf-wasm.ts. The module knows the Pallas base field p
 * and the algorithms; every other constant (Poseidon round constants and MDS,
 * the group map's parameters, the hash prefixes, the 2-adic root of unity)
 * is written by src/protocol/pasta/vrf-engine.ts into `parameters()` and
 * converted by `setup()`, so that each has one source, documented there.
 *
 * Field elements are 8 little-endian 32-bit limbs in Montgomery form (R = 2^256),
 * 32 bytes of linear memory each, handled through pointers; inside the
 * Poseidon permutation, 9 limbs of 29 bits (see `permute`). Arithmetic is not
 * constant-time: the key is evaluated on the operator's own machine.
 */

import {
  fromNarrowLimbs,
  M,
  mdsRowNarrow,
  mul,
  mulNarrow,
  mdsRowPair,
  mulPair,
  NARROW_BYTES,
  P0,
  P1,
  P2,
  P3,
  P4,
  P5,
  P6,
  P7,
  PAIR_BYTES,
  squareNarrow,
  squarePair,
  storeReduced,
  sumNarrow,
  toNarrowLimbs,
} from './montgomery';

const FE = 32;
/** Input and output between JavaScript and the module (see the layout in vrf-engine.ts). */
const IO = memory.data(16 * FE, 16);
/** Raw parameters written by JavaScript before setup(). */
const PARAMETER_COUNT = 386;
const PARAMETERS = memory.data(PARAMETER_COUNT * FE, 16);
// Parameter slots (raw, standard form).
const PARAM_ROUND_CONSTANTS = 0; // 55 rounds x 3
const PARAM_MDS = 165; // 3 x 3, row major
const PARAM_TWO_ADIC_ROOT = 174;
const PARAM_PROJECTION_Z = 175;
const PARAM_CONIC_C = 176;
const PARAM_U = 177;
const PARAM_U_OVER_2 = 178;
const PARAM_SQRT_EXPONENT = 179; // (t - 1) / 2 with p - 1 = 2^32 t: an exponent, not converted
const PARAM_INVERSE_EXPONENT = 180; // p - 2: an exponent, not converted
const PARAM_MESSAGE_PREFIX = 181;
const PARAM_OUTPUT_PREFIX = 182;
const PARAM_PROJECTION_Y = 183;
const PARAM_ENDOMORPHISM_BETA = 184;
const PARAM_LEGACY_ROUND_CONSTANTS = 185; // the initial ones, then 63 rounds, x 3
const PARAM_LEGACY_MDS = 377; // 3 x 3, row major

const ROUNDS = 55;
const LEGACY_ROUNDS = 63;
const TWO_ADICITY = 32;

/** Poseidon's parameters, in the narrow form the permutation runs in (see `permute`). */
const RC = memory.data(ROUNDS * 3 * <i32>NARROW_BYTES, 16);
const MDS = memory.data(9 * <i32>NARROW_BYTES, 16);
const LEGACY_RC = memory.data((LEGACY_ROUNDS + 1) * 3 * <i32>NARROW_BYTES, 16);
const LEGACY_MDS = memory.data(9 * <i32>NARROW_BYTES, 16);
/** Kimchi's, in the pair form of two permutations side by side, both lanes the same (see `permutePair`). */
const RC_PAIR = memory.data(ROUNDS * 3 * <i32>PAIR_BYTES, 16);
const MDS_PAIR = memory.data(9 * <i32>PAIR_BYTES, 16);
/** Parameters in Montgomery form. */
const ROOT = memory.data(FE, 16);
const PROJECTION_Z = memory.data(FE, 16);
const PROJECTION_Y = memory.data(FE, 16);
const BETA = memory.data(FE, 16);
const ZERO = memory.data(FE, 16);
const CONIC_C = memory.data(FE, 16);
const U = memory.data(FE, 16);
const U_OVER_2 = memory.data(FE, 16);
const ONE = memory.data(FE, 16);
const R2 = memory.data(FE, 16);
/** Sponge states after absorbing each prefix. */
const MESSAGE_STATE = memory.data(3 * FE, 16);
const OUTPUT_STATE = memory.data(3 * FE, 16);

/**
 * The evaluating key as two signed width-5 NAF digit strings (i8, least
 * significant first), of k1 and k2 with key = k1 + k2 lambda (mod q): see
 * src/protocol/pasta/glv.ts. And the epoch seed (Montgomery form).
 */
const DIGIT_CAPACITY = 160;
const DIGITS = memory.data(2 * DIGIT_CAPACITY, 16);
let digitCount: i32 = 0;
const SEED = memory.data(FE, 16);

/** The packed message field, raw and in Montgomery form. */
const PACKED_RAW = memory.data(FE, 16);
const PACKED = memory.data(FE, 16);

/** Working space. */
const STATE = memory.data(3 * FE, 16);
const TMP = memory.data(24 * FE, 16);
/** Jacobian points (x, y, z): P, 3P, ..., 15P, then phi of each. */
const TABLE = memory.data(16 * 3 * FE, 16);
const TWICE = memory.data(3 * FE, 16);
const NEGATED = memory.data(3 * FE, 16);
const ACC = memory.data(3 * FE, 16);
const SUM = memory.data(3 * FE, 16);

@inline function tmp(i: i32): usize {
  return TMP + <usize>(i * FE);
}

export function io(): usize {
  return IO;
}

export function parameters(): usize {
  return PARAMETERS;
}

@inline function parameter(i: i32): usize {
  return PARAMETERS + <usize>(i * FE);
}

// ---------------------------------------------------------------- field

@inline function square(out: usize, a: usize): void {
  mul(out, a, a);
}

/** out = a + b mod p. */
function add(out: usize, a: usize, b: usize): void {
  let c: u64 = 0;
  let s: u64;
  s = <u64>load<u32>(a, 0) + <u64>load<u32>(b, 0);
  const t0 = s & M;
  c = s >> 32;
  s = <u64>load<u32>(a, 4) + <u64>load<u32>(b, 4) + c;
  const t1 = s & M;
  c = s >> 32;
  s = <u64>load<u32>(a, 8) + <u64>load<u32>(b, 8) + c;
  const t2 = s & M;
  c = s >> 32;
  s = <u64>load<u32>(a, 12) + <u64>load<u32>(b, 12) + c;
  const t3 = s & M;
  c = s >> 32;
  s = <u64>load<u32>(a, 16) + <u64>load<u32>(b, 16) + c;
  const t4 = s & M;
  c = s >> 32;
  s = <u64>load<u32>(a, 20) + <u64>load<u32>(b, 20) + c;
  const t5 = s & M;
  c = s >> 32;
  s = <u64>load<u32>(a, 24) + <u64>load<u32>(b, 24) + c;
  const t6 = s & M;
  c = s >> 32;
  s = <u64>load<u32>(a, 28) + <u64>load<u32>(b, 28) + c;
  const t7 = s & M;
  storeReduced(out, t0, t1, t2, t3, t4, t5, t6, t7, s >> 32);
}

/** out = a - b mod p. */
function sub(out: usize, a: usize, b: usize): void {
  let borrow: u64 = 0;
  let s: u64;
  s = <u64>load<u32>(a, 0) - <u64>load<u32>(b, 0);
  let t0 = s & M;
  borrow = (s >> 32) & 1;
  s = <u64>load<u32>(a, 4) - <u64>load<u32>(b, 4) - borrow;
  let t1 = s & M;
  borrow = (s >> 32) & 1;
  s = <u64>load<u32>(a, 8) - <u64>load<u32>(b, 8) - borrow;
  let t2 = s & M;
  borrow = (s >> 32) & 1;
  s = <u64>load<u32>(a, 12) - <u64>load<u32>(b, 12) - borrow;
  let t3 = s & M;
  borrow = (s >> 32) & 1;
  s = <u64>load<u32>(a, 16) - <u64>load<u32>(b, 16) - borrow;
  let t4 = s & M;
  borrow = (s >> 32) & 1;
  s = <u64>load<u32>(a, 20) - <u64>load<u32>(b, 20) - borrow;
  let t5 = s & M;
  borrow = (s >> 32) & 1;
  s = <u64>load<u32>(a, 24) - <u64>load<u32>(b, 24) - borrow;
  let t6 = s & M;
  borrow = (s >> 32) & 1;
  s = <u64>load<u32>(a, 28) - <u64>load<u32>(b, 28) - borrow;
  let t7 = s & M;
  borrow = (s >> 32) & 1;
  if (borrow != 0) {
    // a - b went below zero: add p back (the final carry out is dropped).
    s = t0 + P0;
    t0 = s & M;
    s = t1 + P1 + (s >> 32);
    t1 = s & M;
    s = t2 + P2 + (s >> 32);
    t2 = s & M;
    s = t3 + P3 + (s >> 32);
    t3 = s & M;
    s = t4 + (s >> 32);
    t4 = s & M;
    s = t5 + (s >> 32);
    t5 = s & M;
    s = t6 + (s >> 32);
    t6 = s & M;
    s = t7 + P7 + (s >> 32);
    t7 = s & M;
  }
  store<u32>(out, <u32>t0, 0);
  store<u32>(out, <u32>t1, 4);
  store<u32>(out, <u32>t2, 8);
  store<u32>(out, <u32>t3, 12);
  store<u32>(out, <u32>t4, 16);
  store<u32>(out, <u32>t5, 20);
  store<u32>(out, <u32>t6, 24);
  store<u32>(out, <u32>t7, 28);
}

@inline function copy(out: usize, a: usize): void {
  memory.copy(out, a, FE);
}

@inline function setZero(out: usize): void {
  memory.fill(out, 0, FE);
}

function isZero(a: usize): bool {
  return (load<u64>(a, 0) | load<u64>(a, 8) | load<u64>(a, 16) | load<u64>(a, 24)) == 0;
}

function equal(a: usize, b: usize): bool {
  return load<u64>(a, 0) == load<u64>(b, 0) && load<u64>(a, 8) == load<u64>(b, 8) && load<u64>(a, 16) == load<u64>(b, 16) && load<u64>(a, 24) == load<u64>(b, 24);
}

/** Standard form to Montgomery form. */
@inline function toMontgomery(out: usize, a: usize): void {
  mul(out, a, R2);
}

/** Montgomery form to standard form: multiply by 1. */
function fromMontgomery(out: usize, a: usize): void {
  const one = tmp(23);
  setZero(one);
  store<u32>(one, 1, 0);
  mul(out, a, one);
}

/** out = a^e, e a raw 256-bit exponent (8 little-endian limbs); out must not be a. */
function power(out: usize, a: usize, exponent: usize): void {
  copy(out, ONE);
  let started = false;
  for (let bit = 255; bit >= 0; bit--) {
    if (started) square(out, out);
    if (((load<u32>(exponent + <usize>((bit >> 5) << 2)) >> (bit & 31)) & 1) != 0) {
      mul(out, out, a);
      started = true;
    }
  }
}

/** out = 1 / a (a != 0), by Fermat: a^(p-2). */
function invert(out: usize, a: usize): void {
  const base = tmp(22);
  copy(base, a);
  power(out, base, parameter(PARAM_INVERSE_EXPONENT));
}

/**
 * out = a square root of a, the one Tonelli-Shanks finds when it starts from
 * the 2-adic root of unity 5^t (as arkworks' `sqrt` does for the daemon,
 * and o1js): the root "as computed", not normalised. Returns false when a is
 * not a square.
 */
function squareRoot(out: usize, a: usize): bool {
  if (isZero(a)) {
    setZero(out);
    return true;
  }
  const z = tmp(16);
  const w = tmp(17);
  const x = tmp(18);
  const b = tmp(19);
  const b2k = tmp(20);
  copy(z, ROOT);
  power(w, a, parameter(PARAM_SQRT_EXPONENT));
  mul(x, w, a);
  mul(b, x, w);
  let v = TWO_ADICITY;
  while (!equal(b, ONE)) {
    let k = 0;
    copy(b2k, b);
    while (!equal(b2k, ONE)) {
      square(b2k, b2k);
      k++;
      if (k == v) return false;
    }
    // w = z^(2^(v - k - 1)), z = w^2, b = b z, x = x w
    copy(w, z);
    for (let j = 1; j < v - k; j++) square(w, w);
    square(z, w);
    mul(b, b, z);
    mul(x, x, w);
    v = k;
  }
  copy(out, x);
  return true;
}

// ---------------------------------------------------------------- Poseidon: Kimchi (55 full rounds, x^7), or legacy (an initial
// round constant, 63 full rounds, x^5); width 3, rate 2. Each round is S-box, MDS, then the round's constants.

/** What converts into the narrow representation (2^266 mod p) and out of it (2^256 mod p), in narrow limbs. */
const INTO_NARROW = memory.data(<i32>NARROW_BYTES, 16);
const OUT_OF_NARROW = memory.data(<i32>NARROW_BYTES, 16);
/** The permutation's state and working space, narrow. */
const STATE_NARROW = memory.data(3 * <i32>NARROW_BYTES, 16);
const NEXT_NARROW = memory.data(3 * <i32>NARROW_BYTES, 16);
const TMP_NARROW = memory.data(3 * <i32>NARROW_BYTES, 16);

@inline function narrow(base: usize, i: i32): usize {
  return base + <usize>i * NARROW_BYTES;
}

/** out = a (Montgomery form, R = 2^256) in the narrow form (R = 2^261): a 2^5, by a product with 2^266. */
function toNarrow(out: usize, a: usize): void {
  toNarrowLimbs(out, a);
  mulNarrow(out, out, INTO_NARROW);
}

/** out = a (narrow form, below 2p) in Montgomery form with R = 2^256, below p. */
function fromNarrow(out: usize, a: usize): void {
  const t = narrow(TMP_NARROW, 2);
  mulNarrow(t, a, OUT_OF_NARROW);
  fromNarrowLimbs(out, t);
}

/**
 * The permutation, on a state in Montgomery form. It runs in the narrow
 * form of montgomery.ts (nine 29-bit limbs, R = 2^261), where a product
 * takes about half the time of `mul`, and leaves values unreduced below 8p,
 * the most a product takes: each product is below 2p, each MDS row with its
 * constant below 4p. Converting in and out costs six products of the 1,155
 * of a Kimchi permutation.
 */
function permute(state: usize, legacy: bool): void {
  for (let i = 0; i < 3; i++) toNarrow(narrow(STATE_NARROW, i), state + <usize>(i * FE));
  const x2 = narrow(TMP_NARROW, 0);
  const x4 = narrow(TMP_NARROW, 1);
  const mds = legacy ? LEGACY_MDS : MDS;
  let constants = legacy ? LEGACY_RC : RC;
  if (legacy) {
    for (let i = 0; i < 3; i++) sumNarrow(narrow(STATE_NARROW, i), narrow(STATE_NARROW, i), narrow(constants, i));
    constants += 3 * NARROW_BYTES;
  }
  const rounds = legacy ? LEGACY_ROUNDS : ROUNDS;
  for (let round = 0; round < rounds; round++) {
    // S-box: x^7 = x^4 * x^2 * x, or x^5 = x^4 * x
    for (let i = 0; i < 3; i++) {
      const s = narrow(STATE_NARROW, i);
      squareNarrow(x2, s);
      squareNarrow(x4, x2);
      if (!legacy) mulNarrow(x4, x4, x2);
      mulNarrow(s, x4, s);
    }
    // MDS, then the round's constants
    for (let i = 0; i < 3; i++) mdsRowNarrow(narrow(NEXT_NARROW, i), narrow(mds, i * 3), STATE_NARROW, narrow(constants, round * 3 + i));
    memory.copy(STATE_NARROW, NEXT_NARROW, 3 * NARROW_BYTES);
  }
  for (let i = 0; i < 3; i++) fromNarrow(state + <usize>(i * FE), narrow(STATE_NARROW, i));
}

/** Two permutations' state and working space, in pairs. */
const STATE_PAIR = memory.data(3 * <i32>PAIR_BYTES, 16);
const NEXT_PAIR = memory.data(3 * <i32>PAIR_BYTES, 16);
const TMP_PAIR = memory.data(2 * <i32>PAIR_BYTES, 16);

@inline function pair(base: usize, i: i32): usize {
  return base + <usize>i * PAIR_BYTES;
}

/** Where narrow limb `limb` of a pair's first value is (the second's is 4 bytes on): lanes [a(2t), b(2t), a(2t+1), b(2t+1)] in v128 t. */
@inline function pairLimb(pair: usize, limb: i32): usize {
  return pair + <usize>(16 * (limb >> 1) + 8 * (limb & 1));
}

/** out = the pair of the narrow values a and b, the last v128's unused lanes zero. */
function toPair(out: usize, a: usize, b: usize): void {
  for (let limb = 0; limb < <i32>NARROW_BYTES / 4; limb++) {
    store<u32>(pairLimb(out, limb), load<u32>(a + <usize>(4 * limb)));
    store<u32>(pairLimb(out, limb) + 4, load<u32>(b + <usize>(4 * limb)));
  }
  store<u64>(out + PAIR_BYTES - 8, 0);
}

/** a and b = the narrow values of the pair `from`. */
function fromPair(a: usize, b: usize, from: usize): void {
  for (let limb = 0; limb < <i32>NARROW_BYTES / 4; limb++) {
    store<u32>(a + <usize>(4 * limb), load<u32>(pairLimb(from, limb)));
    store<u32>(b + <usize>(4 * limb), load<u32>(pairLimb(from, limb) + 4));
  }
}

/**
 * The Kimchi permutation of two states at once (Montgomery form), each as
 * `permute` would leave it: the same narrow arithmetic in the two lanes of
 * 128-bit vectors (montgomery-source.ts, pairMontgomerySource), some 1.6
 * times the throughput of one permutation after another.
 */
function permutePair(stateA: usize, stateB: usize): void {
  const a = narrow(TMP_NARROW, 0);
  const b = narrow(TMP_NARROW, 1);
  for (let i = 0; i < 3; i++) {
    toNarrow(a, stateA + <usize>(i * FE));
    toNarrow(b, stateB + <usize>(i * FE));
    toPair(pair(STATE_PAIR, i), a, b);
  }
  const x2 = pair(TMP_PAIR, 0);
  const x4 = pair(TMP_PAIR, 1);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < 3; i++) {
      const s = pair(STATE_PAIR, i);
      squarePair(x2, s);
      squarePair(x4, x2);
      mulPair(x4, x4, x2);
      mulPair(s, x4, s);
    }
    for (let i = 0; i < 3; i++) mdsRowPair(pair(NEXT_PAIR, i), pair(MDS_PAIR, i * 3), STATE_PAIR, pair(RC_PAIR, round * 3 + i));
    memory.copy(STATE_PAIR, NEXT_PAIR, 3 * PAIR_BYTES);
  }
  for (let i = 0; i < 3; i++) {
    fromPair(a, b, pair(STATE_PAIR, i));
    fromNarrow(stateA + <usize>(i * FE), a);
    fromNarrow(stateB + <usize>(i * FE), b);
  }
}

/** Absorbs two field elements (one block of rate 2) into the state and permutes. */
function absorb(state: usize, a: usize, b: usize, legacy: bool): void {
  add(state, state, a);
  add(state + FE, state + FE, b);
  permute(state, legacy);
}

/** The sponge state after absorbing a prefix's field element: [prefix, 0] then the permutation. */
function prefixState(out: usize, prefix: usize, legacy: bool): void {
  setZero(out);
  setZero(out + FE);
  setZero(out + 2 * FE);
  const zero = tmp(6);
  setZero(zero);
  absorb(out, prefix, zero, legacy);
}

// ---------------------------------------------------------------- Poseidon hashes of field elements (payout commitments, signatures)

/** The sponge state after absorbing the prefix setPrefix() took: hashes with that prefix start from it. */
const PREFIX_STATE = memory.data(3 * FE, 16);
const INPUT = memory.data(FE, 16);

/** Takes a hash prefix (its field element, standard form) from io slot 0 and absorbs it once for hash(..., 1, legacy). */
export function setPrefix(legacy: i32): void {
  toMontgomery(INPUT, IO);
  prefixState(PREFIX_STATE, INPUT, legacy != 0);
}

/** The sponge `state` starts from: the prefix's, or zero. */
function startState(state: usize, prefixed: i32): void {
  if (prefixed != 0) {
    memory.copy(state, PREFIX_STATE, 3 * FE);
  } else {
    memory.fill(state, 0, 3 * FE);
  }
}

/** Adds io slot `slot` (standard form) to the state element at `at`. */
function absorbSlot(at: usize, slot: i32): void {
  toMontgomery(INPUT, IO + <usize>(slot * FE));
  add(at, at, INPUT);
}

/**
 * Poseidon (Kimchi, or legacy when `legacy` is 1) of the `count` field
 * elements (standard form) in io slots 0 to count - 1, as o1js
 * `Poseidon.update` absorbs them: padded with zeros to whole blocks of two,
 * one permutation per block (one for no input). From the zero state
 * (`Poseidon.hash`) or, when `prefixed` is 1, from the state setPrefix()
 * left, of the same kind (`Poseidon.hashWithPrefix`). The hash, the
 * state's first element, goes to io slot 0, standard form.
 */
export function hash(count: i32, prefixed: i32, legacy: i32): void {
  startState(STATE, prefixed);
  if (count == 0) permute(STATE, legacy != 0);
  for (let i = 0; i < count; i += 2) {
    absorbSlot(STATE, i);
    if (i + 1 < count) absorbSlot(STATE + FE, i + 1);
    permute(STATE, legacy != 0);
  }
  fromMontgomery(IO, STATE);
}

/** The second sponge of hashPair. */
const STATE_B = memory.data(3 * FE, 16);
/** The io slot where hashPair's second input starts, and its hash goes. */
const SECOND_INPUT = 8;

/**
 * Two Kimchi hashes of `count` field elements each (at most 8), as hash()
 * makes them, by two permutations at once (permutePair): the first input
 * in io slots 0 to count - 1, its hash to slot 0; the second from slot 8,
 * its hash to slot 8. `prefixed` as for hash(), the prefix a Kimchi one.
 */
export function hashPair(count: i32, prefixed: i32): void {
  startState(STATE, prefixed);
  startState(STATE_B, prefixed);
  if (count == 0) permutePair(STATE, STATE_B);
  for (let i = 0; i < count; i += 2) {
    absorbSlot(STATE, i);
    absorbSlot(STATE_B, SECOND_INPUT + i);
    if (i + 1 < count) {
      absorbSlot(STATE + FE, i + 1);
      absorbSlot(STATE_B + FE, SECOND_INPUT + i + 1);
    }
    permutePair(STATE, STATE_B);
  }
  fromMontgomery(IO, STATE);
  fromMontgomery(IO + <usize>(SECOND_INPUT * FE), STATE_B);
}

// ---------------------------------------------------------------- group map (Mina's Group_map for y^2 = x^3 + 5)

/** y^2 = x^3 + 5: y from x when x^3 + 5 is a square. */
function tryDecode(y: usize, x: usize): bool {
  const rhs = tmp(7);
  const five = tmp(8);
  square(rhs, x);
  mul(rhs, rhs, x);
  add(five, ONE, ONE);
  add(five, five, five);
  add(five, five, ONE);
  add(rhs, rhs, five);
  return squareRoot(y, rhs);
}

/**
 * The point Mina's group map sends t to: the three candidate x of the
 * conic construction, the first whose x^3 + 5 is a square, and its root.
 * Both of the construction's divisions are done with one inversion.
 * Returns 0, or 1 when no candidate is on the curve, 2 when a division is undefined.
 */
function groupMap(px: usize, py: usize, t: usize): i32 {
  const ct = tmp(9);
  const d1 = tmp(10);
  const d2 = tmp(11);
  const zz = tmp(12);
  const yy = tmp(13);
  const inverse = tmp(14);
  const e = tmp(15);
  // field_to_conic: d = (ct y0 + z0) / (ct t + 1); s = 2d; z = z0 - s; y = y0 - s t.
  // Over the common denominator d2: Z = z0 d2 - 2 d1, Y = y0 d2 - 2 d1 t, so z / y = Z / Y and y = Y / d2.
  mul(ct, CONIC_C, t);
  mul(d1, ct, PROJECTION_Y);
  add(d1, d1, PROJECTION_Z);
  mul(d2, ct, t);
  add(d2, d2, ONE);
  add(e, d1, d1);
  mul(zz, PROJECTION_Z, d2);
  sub(zz, zz, e);
  mul(e, e, t);
  mul(yy, PROJECTION_Y, d2);
  sub(yy, yy, e);
  mul(inverse, d2, yy);
  if (isZero(inverse)) return 2;
  invert(e, inverse);
  // 1 / Y = d2 / (d2 Y) and y = Y / d2 = Y^2 / (d2 Y)
  mul(inverse, e, d2);
  mul(zz, zz, inverse); // z / y
  square(yy, yy);
  mul(yy, yy, e); // y
  // conic_to_s: v = z / y - u / 2; candidates v, -(u + v), u + y^2
  sub(px, zz, U_OVER_2);
  if (tryDecode(py, px)) return 0;
  const v = tmp(21);
  copy(v, px);
  setZero(px);
  sub(px, px, U);
  sub(px, px, v);
  if (tryDecode(py, px)) return 0;
  square(px, yy);
  add(px, px, U);
  if (tryDecode(py, px)) return 0;
  return 1;
}

// ---------------------------------------------------------------- Pallas points, Jacobian (X, Y, Z): x = X / Z^2, y = Y / Z^3

@inline function px_(p: usize): usize {
  return p;
}
@inline function py_(p: usize): usize {
  return p + FE;
}
@inline function pz_(p: usize): usize {
  return p + 2 * FE;
}

/** out = 2 p (dbl-2009-l, a = 0). out may be p. */
function pointDouble(out: usize, p: usize): void {
  if (isZero(pz_(p))) {
    memory.copy(out, p, 3 * FE);
    return;
  }
  const a = tmp(0);
  const b = tmp(1);
  const c = tmp(2);
  const d = tmp(3);
  const e = tmp(4);
  const f = tmp(5);
  square(a, px_(p));
  square(b, py_(p));
  square(c, b);
  add(d, px_(p), b);
  square(d, d);
  sub(d, d, a);
  sub(d, d, c);
  add(d, d, d);
  add(e, a, a);
  add(e, e, a);
  square(f, e);
  // Z3 = 2 Y1 Z1 before Y1 is overwritten
  mul(pz_(out), py_(p), pz_(p));
  add(pz_(out), pz_(out), pz_(out));
  sub(px_(out), f, d);
  sub(px_(out), px_(out), d);
  sub(d, d, px_(out));
  mul(d, e, d);
  add(c, c, c);
  add(c, c, c);
  add(c, c, c);
  sub(py_(out), d, c);
}

/** out = p + q (add-2007-bl, a = 0). out may be p or q. */
function pointAdd(out: usize, p: usize, q: usize): void {
  if (isZero(pz_(p))) {
    memory.copy(out, q, 3 * FE);
    return;
  }
  if (isZero(pz_(q))) {
    memory.copy(out, p, 3 * FE);
    return;
  }
  const z1z1 = tmp(6);
  const z2z2 = tmp(7);
  const u1 = tmp(8);
  const u2 = tmp(9);
  const s1 = tmp(10);
  const s2 = tmp(11);
  const h = tmp(12);
  const i = tmp(13);
  const j = tmp(14);
  const r = tmp(15);
  const v = tmp(16);
  square(z1z1, pz_(p));
  square(z2z2, pz_(q));
  mul(u1, px_(p), z2z2);
  mul(u2, px_(q), z1z1);
  mul(s1, py_(p), pz_(q));
  mul(s1, s1, z2z2);
  mul(s2, py_(q), pz_(p));
  mul(s2, s2, z1z1);
  sub(h, u2, u1);
  sub(r, s2, s1);
  if (isZero(h)) {
    if (isZero(r)) {
      pointDouble(out, p);
    } else {
      setZero(px_(out));
      copy(py_(out), ONE);
      setZero(pz_(out));
    }
    return;
  }
  add(r, r, r);
  add(i, h, h);
  square(i, i);
  mul(j, h, i);
  mul(v, u1, i);
  // Z3 = ((Z1 + Z2)^2 - Z1Z1 - Z2Z2) H, before Z1 and Z2 may be overwritten
  add(u2, pz_(p), pz_(q));
  square(u2, u2);
  sub(u2, u2, z1z1);
  sub(u2, u2, z2z2);
  mul(pz_(out), u2, h);
  // X3 = r^2 - J - 2V
  square(u1, r);
  sub(u1, u1, j);
  sub(u1, u1, v);
  sub(px_(out), u1, v);
  // Y3 = r (V - X3) - 2 S1 J
  sub(v, v, px_(out));
  mul(v, r, v);
  mul(s1, s1, j);
  add(s1, s1, s1);
  sub(py_(out), v, s1);
}

/** acc += digit * (the table's base point), the digit odd and non-zero, below 16 in magnitude. */
function addDigit(acc: usize, table: usize, digit: i32): void {
  const entry = table + <usize>(((digit < 0 ? -digit : digit) >> 1) * 3 * FE);
  if (digit > 0) {
    pointAdd(acc, acc, entry);
    return;
  }
  copy(px_(NEGATED), px_(entry));
  sub(py_(NEGATED), ZERO, py_(entry));
  copy(pz_(NEGATED), pz_(entry));
  pointAdd(acc, acc, NEGATED);
}

/**
 * out = key * (x, y), affine in and Jacobian out, by GLV: k1 P + k2 phi(P)
 * with phi(X, Y, Z) = (beta X, Y, Z), both digit strings walked together
 * from the top (one doubling per bit of the longer half).
 */
function scaleByKey(out: usize, x: usize, y: usize): void {
  copy(px_(TABLE), x);
  copy(py_(TABLE), y);
  copy(pz_(TABLE), ONE);
  pointDouble(TWICE, TABLE);
  for (let i = 1; i < 8; i++) {
    const entry = TABLE + <usize>(i * 3 * FE);
    pointAdd(entry, entry - 3 * FE, TWICE);
  }
  const endoTable = TABLE + 8 * 3 * FE;
  for (let i = 0; i < 8; i++) {
    const entry = TABLE + <usize>(i * 3 * FE);
    const image = endoTable + <usize>(i * 3 * FE);
    mul(px_(image), BETA, px_(entry));
    copy(py_(image), py_(entry));
    copy(pz_(image), pz_(entry));
  }
  setZero(px_(out));
  copy(py_(out), ONE);
  setZero(pz_(out));
  for (let i = digitCount - 1; i >= 0; i--) {
    pointDouble(out, out);
    const d1 = <i32>load<i8>(DIGITS + <usize>i);
    if (d1 != 0) addDigit(out, TABLE, d1);
    const d2 = <i32>load<i8>(DIGITS + <usize>(DIGIT_CAPACITY + i));
    if (d2 != 0) addDigit(out, endoTable, d2);
  }
}

/** (x, y) = the affine form of a Jacobian point (not the point at infinity). */
function toAffine(x: usize, y: usize, p: usize): void {
  const zInverse = tmp(17);
  const zInverse2 = tmp(18);
  invert(zInverse, pz_(p));
  square(zInverse2, zInverse);
  mul(x, px_(p), zInverse2);
  mul(zInverse2, zInverse2, zInverse);
  mul(y, py_(p), zInverse2);
}

// ---------------------------------------------------------------- sums of multiples of points (Schnorr signature checks)

/** A point from io, Montgomery form. */
const POINT = memory.data(2 * FE, 16);

/** io slot 1 = a y of the curve point whose x is in io slot 0 (standard form); returns 1 when no point has that x, else 0. */
export function curveY(): i32 {
  toMontgomery(POINT, IO);
  if (!tryDecode(POINT + FE, POINT)) return 1;
  fromMontgomery(IO + FE, POINT + FE);
  return 0;
}

// ---------------------------------------------------------------- the Legendre symbol (public keys' curve check)

/**
 * The Legendre symbol of the element in io slot 0 (standard form, below p):
 * 1 for a non-zero square, -1 for a non-square, 0 for 0. The binary Jacobi
 * algorithm on four 64-bit limbs, a and n swapped and reduced in place: take
 * the twos out of a ((2/n) is -1 exactly when n is 3 or 5 mod 8), swap when
 * a < n (reciprocity turns the sign when both are 3 mod 4), subtract n from
 * a. n ends as gcd(a, p), which is 1 unless a was 0.
 */
export function legendre(): i32 {
  let a0 = load<u64>(IO);
  let a1 = load<u64>(IO, 8);
  let a2 = load<u64>(IO, 16);
  let a3 = load<u64>(IO, 24);
  let n0: u64 = P0 | (P1 << 32);
  let n1: u64 = P2 | (P3 << 32);
  let n2: u64 = P4 | (P5 << 32);
  let n3: u64 = P6 | (P7 << 32);
  let sign: i32 = 1;
  while ((a0 | a1 | a2 | a3) != 0) {
    if (a0 == 0) {
      // 64 twos at once: an even number, so the sign stays.
      a0 = a1;
      a1 = a2;
      a2 = a3;
      a3 = 0;
      continue;
    }
    const twos = ctz(a0);
    if (twos != 0) {
      a0 = (a0 >> twos) | (a1 << (64 - twos));
      a1 = (a1 >> twos) | (a2 << (64 - twos));
      a2 = (a2 >> twos) | (a3 << (64 - twos));
      a3 = a3 >> twos;
      const nMod8 = n0 & 7;
      if ((twos & 1) != 0 && (nMod8 == 3 || nMod8 == 5)) sign = -sign;
    }
    if (a3 < n3 || (a3 == n3 && (a2 < n2 || (a2 == n2 && (a1 < n1 || (a1 == n1 && a0 < n0)))))) {
      let t = a0;
      a0 = n0;
      n0 = t;
      t = a1;
      a1 = n1;
      n1 = t;
      t = a2;
      a2 = n2;
      n2 = t;
      t = a3;
      a3 = n3;
      n3 = t;
      if ((a0 & 3) == 3 && (n0 & 3) == 3) sign = -sign;
    }
    const b0: u64 = a0 < n0 ? 1 : 0;
    a0 = a0 - n0;
    const d1 = a1 - n1;
    const b1: u64 = a1 < n1 || d1 < b0 ? 1 : 0;
    a1 = d1 - b0;
    const d2 = a2 - n2;
    const b2: u64 = a2 < n2 || d2 < b1 ? 1 : 0;
    a2 = d2 - b1;
    a3 = a3 - n3 - b2;
  }
  return n0 == 1 && (n1 | n2 | n3) == 0 ? sign : 0;
}

/** Sets the sum to the point at infinity. */
export function clearSum(): void {
  setZero(px_(SUM));
  copy(py_(SUM), ONE);
  setZero(pz_(SUM));
}

/** Adds to the sum the scalar whose digits setKey() took times the point in io slots 0 and 1 (affine, standard form). */
export function addMultiple(): void {
  toMontgomery(POINT, IO);
  toMontgomery(POINT + FE, IO + FE);
  scaleByKey(ACC, POINT, POINT + FE);
  pointAdd(SUM, SUM, ACC);
}

/** The sum, affine, into io slots 0 and 1 (standard form); returns 1 when it is the point at infinity (nothing written), else 0. */
export function sumToAffine(): i32 {
  if (isZero(pz_(SUM))) return 1;
  toAffine(IO, IO + FE, SUM);
  fromMontgomery(IO, IO);
  fromMontgomery(IO + FE, IO + FE);
  return 0;
}

// ---------------------------------------------------------------- the VRF

/** A raw parameter in the narrow form. */
function narrowParameter(out: usize, i: i32): void {
  const montgomery = tmp(20);
  toMontgomery(montgomery, parameter(i));
  toNarrow(out, montgomery);
}

/** Converts the parameters JavaScript wrote into Montgomery form and absorbs the two prefixes. */
export function setup(): void {
  // R = 2^256 mod p and R^2 = 2^512 mod p, by doubling one; add() works on standard forms too.
  setZero(ONE);
  store<u32>(ONE, 1, 0);
  for (let i = 0; i < 256; i++) add(ONE, ONE, ONE);
  copy(R2, ONE);
  for (let i = 0; i < 256; i++) add(R2, R2, R2);
  // 2^256 mod p is ONE's value; doubled ten times, 2^266 mod p.
  toNarrowLimbs(OUT_OF_NARROW, ONE);
  const doubled = tmp(21);
  copy(doubled, ONE);
  for (let i = 0; i < 10; i++) add(doubled, doubled, doubled);
  toNarrowLimbs(INTO_NARROW, doubled);
  for (let i = 0; i < ROUNDS * 3; i++) narrowParameter(narrow(RC, i), PARAM_ROUND_CONSTANTS + i);
  for (let i = 0; i < 9; i++) narrowParameter(narrow(MDS, i), PARAM_MDS + i);
  for (let i = 0; i < ROUNDS * 3; i++) toPair(pair(RC_PAIR, i), narrow(RC, i), narrow(RC, i));
  for (let i = 0; i < 9; i++) toPair(pair(MDS_PAIR, i), narrow(MDS, i), narrow(MDS, i));
  for (let i = 0; i < (LEGACY_ROUNDS + 1) * 3; i++) narrowParameter(narrow(LEGACY_RC, i), PARAM_LEGACY_ROUND_CONSTANTS + i);
  for (let i = 0; i < 9; i++) narrowParameter(narrow(LEGACY_MDS, i), PARAM_LEGACY_MDS + i);
  toMontgomery(ROOT, parameter(PARAM_TWO_ADIC_ROOT));
  toMontgomery(PROJECTION_Z, parameter(PARAM_PROJECTION_Z));
  toMontgomery(PROJECTION_Y, parameter(PARAM_PROJECTION_Y));
  toMontgomery(BETA, parameter(PARAM_ENDOMORPHISM_BETA));
  setZero(ZERO);
  toMontgomery(CONIC_C, parameter(PARAM_CONIC_C));
  toMontgomery(U, parameter(PARAM_U));
  toMontgomery(U_OVER_2, parameter(PARAM_U_OVER_2));
  const prefix = tmp(20);
  toMontgomery(prefix, parameter(PARAM_MESSAGE_PREFIX));
  prefixState(MESSAGE_STATE, prefix, false);
  toMontgomery(prefix, parameter(PARAM_OUTPUT_PREFIX));
  prefixState(OUTPUT_STATE, prefix, false);
}

/** Where JavaScript writes the key's two digit strings (DIGIT_CAPACITY bytes each). */
export function digits(): usize {
  return DIGITS;
}

/** The key's digit strings are written: `count` digits each (the longer one's length). */
export function setKey(count: i32): void {
  digitCount = count;
}

/** Overwrites the key and every place it or its multiples passed through. */
export function clearKey(): void {
  memory.fill(DIGITS, 0, 2 * DIGIT_CAPACITY);
  digitCount = 0;
  memory.fill(TABLE, 0, 16 * 3 * FE);
  memory.fill(TWICE, 0, 3 * FE);
  memory.fill(NEGATED, 0, 3 * FE);
  memory.fill(ACC, 0, 3 * FE);
  memory.fill(TMP, 0, 24 * FE);
  memory.fill(IO, 0, 16 * FE);
}

/** Takes the epoch seed (a field element, 32 bytes little-endian) from io slot 0. */
export function setSeed(): void {
  toMontgomery(SEED, IO);
}

/**
 * Evaluates the VRF for one slot (since the hard fork) and one delegator's
 * ledger index (indexHigh: its bits 32 to 34). Writes to io, standard form:
 * slot 0 the output hash, 1 the message hash, 2-3 H, 4-5 U = key * H.
 * Returns 0, or the group map's failure (1 or 2).
 */
export function evaluate(slot: u32, indexLow: u32, indexHigh: u32): i32 {
  // The packed message field: slot * 2^35 + the 35 index bits reversed.
  const reversed: u64 = (<u64>reverseBits32(indexLow) << 3) | <u64>reverse3(indexHigh & 7);
  setZero(PACKED_RAW);
  store<u64>(PACKED_RAW, reversed | (<u64>slot << 35), 0);
  store<u32>(PACKED_RAW, slot >> 29, 8);
  toMontgomery(PACKED, PACKED_RAW);

  // H = group_map(Poseidon_MinaVrfMessage(seed, packed))
  memory.copy(STATE, MESSAGE_STATE, 3 * FE);
  absorb(STATE, SEED, PACKED, false);
  const messageHash = IO + FE;
  copy(messageHash, STATE);
  const hx = IO + 2 * FE;
  const hy = IO + 3 * FE;
  const failure = groupMap(hx, hy, messageHash);
  if (failure != 0) return failure;

  // U = key * H
  scaleByKey(ACC, hx, hy);
  const ux = IO + 4 * FE;
  const uy = IO + 5 * FE;
  toAffine(ux, uy, ACC);

  // output = Poseidon_MinaVrfOutput(seed, U.x, U.y, packed)
  memory.copy(STATE, OUTPUT_STATE, 3 * FE);
  absorb(STATE, SEED, ux, false);
  absorb(STATE, uy, PACKED, false);
  fromMontgomery(IO, STATE);
  fromMontgomery(messageHash, messageHash);
  fromMontgomery(hx, hx);
  fromMontgomery(hy, hy);
  fromMontgomery(ux, ux);
  fromMontgomery(uy, uy);
  return 0;
}

function reverseBits32(x: u32): u32 {
  let r: u32 = 0;
  for (let i = 0; i < 32; i++) r |= ((x >> i) & 1) << (31 - i);
  return r;
}

@inline function reverse3(x: u32): u32 {
  return ((x & 1) << 2) | (x & 2) | ((x >> 2) & 1);
}
