import bs58check from 'bs58check';

import { legendreSymbol } from './pasta/pasta-module.js';
import { PALLAS_P } from './pasta/parameters.js';

/**
 * Mina public keys ("B62q...") are base58check of
 *   0xcb (public-key version) | 0x01 (public-key struct version)
 *   | 0x01 (field version) | x (32 bytes, little-endian) | isOdd (1 byte)
 * (MinaProtocol/mina src/lib/base58_check/version_bytes.ml; o1js curve-bigint.ts).
 */
const PUBLIC_KEY_VERSION_BYTE = 0xcb;
const STRUCT_VERSION = 0x01;
const FIELD_VERSION = 0x01;
const PAYLOAD_LENGTH = 36;

/** Cheap structural check used for every account: prefix, length, alphabet. */
const PUBLIC_KEY_SHAPE = /^B62[1-9A-HJ-NP-Za-km-z]{52}$/;

export function hasPublicKeyShape(text: string): boolean {
  return PUBLIC_KEY_SHAPE.test(text);
}

/** The Pallas curve is y^2 = x^3 + 5 over that field. */
const PALLAS_B = 5n;

/**
 * Full check for keys that matter (pool keys and accounts that will be paid):
 * shape, base58check checksum, version bytes, a field-sized x that is the
 * x of a curve point (else no signer can pay it). Returns why the key is
 * not well formed, or null when it is.
 */
export function publicKeyProblem(text: string): string | null {
  const point = checkedKeyPoint(text);
  return typeof point === 'string' ? point : null;
}

/** A public key's point as Mina compresses it: x, and whether y is odd. */
export interface KeyPoint {
  readonly x: bigint;
  readonly isOdd: boolean;
}

/** The point of a well-formed public key (publicKeyProblem's checks), or why the key is not one. */
export function checkedKeyPoint(text: string): KeyPoint | string {
  const checked = checkedPublicKey(text);
  return typeof checked === 'string' ? checked : pointOf(checked);
}

/** The point of a well-formed public key; throws, naming the key and its problem, for any other. */
export function keyPoint(text: string): KeyPoint {
  return pointOf(wellFormedKey(text));
}

function pointOf(key: DecodedKey): KeyPoint {
  return { x: key.x, isOdd: key.payload[35] === 1 };
}

/** A public key's base58check payload and the x it holds. */
interface DecodedKey {
  readonly payload: Uint8Array;
  readonly x: bigint;
}

/** A well-formed public key decoded (publicKeyProblem's checks), or why the key is not one. */
function checkedPublicKey(text: string): DecodedKey | string {
  if (!hasPublicKeyShape(text)) return 'is not a B62 public key (55 base58 characters starting with B62)';
  const payload = base58CheckPayload(text);
  if (payload === null) return 'has a bad base58check checksum';
  if (payload.length !== PAYLOAD_LENGTH) return 'has the wrong length for a public key';
  if (payload[0] !== PUBLIC_KEY_VERSION_BYTE || payload[1] !== STRUCT_VERSION || payload[2] !== FIELD_VERSION) {
    return 'is not a public key (wrong version bytes)';
  }
  const x = littleEndianToBigInt(payload.subarray(3, 35));
  if (x >= PALLAS_P) return 'has an x coordinate outside the field';
  const isOdd = payload[35];
  if (isOdd !== 0 && isOdd !== 1) return 'has an invalid parity byte';
  if (legendreSymbol((((x * x) % PALLAS_P) * x + PALLAS_B) % PALLAS_P) < 0) return 'is not a point of the Pallas curve';
  return { payload, x };
}

/** A well-formed public key decoded; throws, naming the key and its problem, for any other. */
function wellFormedKey(text: string): DecodedKey {
  const checked = checkedPublicKey(text);
  if (typeof checked === 'string') throw new Error(`${text} ${checked}`);
  return checked;
}

/** The payload of a base58check string, or null when its checksum does not hold. */
export function base58CheckPayload(text: string): Uint8Array | null {
  try {
    return bs58check.decode(text);
  } catch {
    return null;
  }
}

/**
 * x (32 bytes, little-endian) then isOdd (1 byte) of a well-formed public key:
 * how a compressed public key is serialized inside a transaction.
 */
export function publicKeyPoint(text: string): Uint8Array {
  // The payload the checks read, not a second decoding of the text.
  return wellFormedKey(text).payload.subarray(3, PAYLOAD_LENGTH);
}

const LEDGER_HASH_VERSION_BYTE = 0x05;
const LEDGER_HASH_PAYLOAD_LENGTH = 34;

/**
 * Ledger hashes ("j...") are base58check of
 *   0x05 (ledger-hash version) | 0x01 (field version) | the root (32 bytes, little-endian)
 * (MinaProtocol/mina src/lib/base58_check/version_bytes.ml). Archive file names carry them, so
 * only a well-formed one is accepted. Returns why it is not, or null.
 */
export function ledgerHashProblem(text: string): string | null {
  if (!/^j[1-9A-HJ-NP-Za-km-z]{50}$/.test(text)) return 'is not a ledger hash (51 base58 characters starting with j)';
  const payload = base58CheckPayload(text);
  if (payload === null) return 'has a bad base58check checksum';
  if (payload.length !== LEDGER_HASH_PAYLOAD_LENGTH || payload[0] !== LEDGER_HASH_VERSION_BYTE || payload[1] !== FIELD_VERSION) {
    return 'is not a ledger hash (wrong version bytes)';
  }
  if (littleEndianToBigInt(payload.subarray(2)) >= PALLAS_P) return 'has a root outside the field';
  return null;
}

export function littleEndianToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] as number);
  return value;
}
