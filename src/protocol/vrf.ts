import bs58check from 'bs58check';
import sodium from 'libsodium-wrappers-sumo';

import { MinapayError } from '../errors.js';
import { base58CheckPayload, littleEndianToBigInt } from './keys.js';
import { Probability } from './odds.js';
import { PALLAS_P, PALLAS_Q } from './pasta/parameters.js';
import { daemonThreshold, type Threshold } from './vrf-threshold.js';

/**
 * Mina's post-Berkeley consensus VRF around the evaluation itself
 * (pasta/vrf-engine.ts): decoding its inputs, truncating and encoding its
 * output, the win test against the daemon's exact threshold, and the
 * daemon's choice among several winning delegators. See docs/protocol.md,
 * "Winning-slot VRF (post-Berkeley)".
 */

/** Base58check version bytes (MinaProtocol/mina src/lib/base58_check/version_bytes.ml). */
const EPOCH_SEED_VERSION_BYTE = 0x0d;
const PRIVATE_KEY_VERSION_BYTE = 0x5a;
const VRF_TRUNCATED_OUTPUT_VERSION_BYTE = 0x15;
/** The field's own version byte inside a seed or a key. */
const FIELD_VERSION = 0x01;

/** Bits kept of the output: min(256, 255 - 2) (consensus_vrf.ml `Output.Truncated.length_in_bits`). */
export const VRF_OUTPUT_BITS = 253;
const OUTPUT_BYTES = 32;

/** An epoch seed ("2va..."): base58check of 0x0d | 0x01 | the field element, 32 bytes little-endian. */
export function decodeEpochSeed(text: string, where: string): bigint {
  const payload = base58CheckPayload(text);
  if (payload === null) throw new MinapayError('INVALID_EPOCH_SEED', `${where} ${text} is not an epoch seed (bad base58check)`);
  if (payload.length !== 2 + OUTPUT_BYTES || payload[0] !== EPOCH_SEED_VERSION_BYTE || payload[1] !== FIELD_VERSION) {
    throw new MinapayError('INVALID_EPOCH_SEED', `${where} ${text} is not an epoch seed (wrong length or version bytes)`);
  }
  const seed = littleEndianToBigInt(payload.subarray(2));
  if (seed >= PALLAS_P) throw new MinapayError('INVALID_EPOCH_SEED', `${where} ${text} is not an epoch seed (outside the field)`);
  return seed;
}

/** The seed's base58check form, as the daemon prints it. */
export function encodeEpochSeed(seed: bigint): string {
  return bs58check.encode(Uint8Array.from([EPOCH_SEED_VERSION_BYTE, FIELD_VERSION, ...littleEndianBytes(seed, OUTPUT_BYTES)]));
}

/**
 * The scalar of a private key already checked by the key loader
 * (payout/key-file.ts): 0x5a | 0x01 | 32 bytes little-endian. The message
 * names `where` only: the key itself is never in an error.
 */
export function privateKeyScalar(key: string, where: string): bigint {
  const payload = base58CheckPayload(key);
  if (payload === null || payload.length !== 2 + OUTPUT_BYTES || payload[0] !== PRIVATE_KEY_VERSION_BYTE || payload[1] !== FIELD_VERSION) {
    throw new MinapayError('KEY_INVALID', `${where}: does not hold a Mina private key`);
  }
  const scalar = littleEndianToBigInt(payload.subarray(2));
  if (scalar === 0n || scalar >= PALLAS_Q) throw new MinapayError('KEY_INVALID', `${where}: the private key is not a scalar of the Pallas curve`);
  return scalar;
}

/** The 35 bits of a ledger index, least significant first, read as a number (the packed message's low bits). */
export function reversedIndexBits(index: number, depth = 35): bigint {
  let reversed = 0n;
  const value = BigInt(index);
  for (let bit = 0; bit < depth; bit++) if ((value >> BigInt(bit)) & 1n) reversed |= 1n << BigInt(depth - 1 - bit);
  return reversed;
}

/**
 * The message's packed field: the slot as a 32-bit chunk, then each index
 * bit as a 1-bit chunk, first chunk most significant.
 */
export function packedMessage(slot: number, index: number, depth = 35): bigint {
  return (BigInt(slot) << BigInt(depth)) | reversedIndexBits(index, depth);
}

/** The output's low 253 bits (`Output.truncate`). */
export function truncateVrfOutput(output: bigint): bigint {
  return output & ((1n << BigInt(VRF_OUTPUT_BITS)) - 1n);
}

/** A truncated output as the daemon prints it ("48H..."): base58check of 0x15 | 0x20 (its length) | 32 bytes little-endian. */
export function vrfOutputBase58(truncated: bigint): string {
  return bs58check.encode(Uint8Array.from([VRF_TRUNCATED_OUTPUT_VERSION_BYTE, OUTPUT_BYTES, ...littleEndianBytes(truncated, OUTPUT_BYTES)]));
}

/** A truncated output as the archive and precomputed blocks store `last_vrf_output`: base64url of its 32 bytes. */
export function vrfOutputBase64(truncated: bigint): string {
  return `${Buffer.from(vrfOutputBytes(truncated)).toString('base64url')}=`;
}

/** The output as a fraction of 1, the number compared with the threshold. */
export function vrfOutputFraction(truncated: bigint): Probability {
  return new Probability(truncated.toString()).div(new Probability(2).pow(VRF_OUTPUT_BITS));
}

/** The threshold as a decimal fraction (exact to 40 digits). */
export function thresholdFraction(threshold: Threshold): Probability {
  return new Probability(threshold.numerator.toString()).div(new Probability(2).pow(threshold.denominatorBits));
}

/**
 * truncated / 2^253 <= numerator / 2^bits, exactly, in integers
 * (consensus_vrf.ml `Threshold.is_satisfied`).
 */
export function vrfWins(truncated: bigint, threshold: Threshold): boolean {
  return truncated << BigInt(threshold.denominatorBits) <= threshold.numerator << BigInt(VRF_OUTPUT_BITS);
}

/**
 * The largest truncated output that still wins: floor(numerator * 2^253 / 2^bits).
 * One comparison per evaluation instead of two shifts.
 */
export function winningBound(threshold: Threshold): bigint {
  return (threshold.numerator << BigInt(VRF_OUTPUT_BITS)) >> BigInt(threshold.denominatorBits);
}

/** A delegator's threshold, or null below the 2^-20 floor, where it can never win. */
export function eligibleThreshold(balance: bigint, totalCurrency: bigint): Threshold | null {
  const threshold = daemonThreshold(balance, totalCurrency);
  return threshold.truncatedAlpha === 0n ? null : threshold;
}

export interface SlotWinner {
  readonly index: number;
  readonly truncated: bigint;
}

/**
 * The delegator whose block the daemon produces when several of its
 * delegators win the same slot: proof_of_stake.ml `Vrf.check` keeps the one
 * whose Blake2b-256 digest of the truncated output (its 32 bytes) is
 * greatest as a byte string, replacing the best so far only on a strictly
 * greater digest. Equal digests mean equal outputs; then the lowest index.
 */
export async function daemonsChoice<T extends SlotWinner>(winners: readonly T[]): Promise<T> {
  if (winners.length === 0) throw new Error('no winner to choose from');
  let best: { winner: T; digest: Uint8Array } | undefined;
  for (const winner of [...winners].sort((a, b) => a.index - b.index)) {
    const digest = await blake2b256(vrfOutputBytes(winner.truncated));
    if (best === undefined || compareBytes(best.digest, digest) < 0) best = { winner, digest };
  }
  return (best as { winner: T }).winner;
}

/** Mina's `Blake2` (Digestif BLAKE2B with a 32-byte digest), here libsodium's generichash. */
export async function blake2b256(bytes: Uint8Array): Promise<Uint8Array> {
  await sodium.ready;
  return sodium.crypto_generichash(32, bytes, null);
}

/** The truncated output's 32 bytes, least significant first, as the daemon keeps them. */
export function vrfOutputBytes(truncated: bigint): Uint8Array {
  return Uint8Array.from(littleEndianBytes(truncated, OUTPUT_BYTES));
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const difference = (a[i] as number) - (b[i] as number);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

function littleEndianBytes(value: bigint, length: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  for (let i = 0; i < length; i++) {
    bytes.push(Number(rest & 0xffn));
    rest >>= 8n;
  }
  return bytes;
}
