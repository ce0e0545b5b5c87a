import { littleEndianToBigInt, publicKeyPoint } from './keys.js';
import { MINA_GENERATOR, PALLAS_P, PALLAS_Q, SIGNATURE_PREFIXES } from './pasta/parameters.js';
import { FIELD_BYTES, type PastaExports, pastaInstance, readField, writeField, writeScalar } from './pasta/pasta-module.js';
import { Poseidon } from './pasta/poseidon.js';
import { wholeNumberFromText } from './whole-number.js';

/** A payment's fields as mina-signer and the daemon's sendPayment take them: decimal strings, base58 keys, the memo as text. */
export interface PaymentFields {
  readonly to: string;
  readonly from: string;
  readonly amount: string;
  readonly fee: string;
  readonly nonce: string;
  readonly memo: string;
  readonly validUntil: string;
}

const U64_MAX = (1n << 64n) - 1n;
const U32_MAX = (1n << 32n) - 1n;
/** A memo is 34 bytes in the signed payload: 0x01, the text's length in bytes, the text (at most 32 bytes), zeros. */
const MEMO_BYTES = 34;
/** The legacy hash input packs its bits into field elements 254 bits at a time (one less than the field's size). */
const BITS_PER_FIELD = 254n;
/** The default token's id as the legacy input has it: 64 bits, the lowest set (o1js sign-legacy.ts `legacyTokenId`). */
const LEGACY_TOKEN_ID = 1n;

/**
 * Mina's check of a payment's signature (legacy Schnorr over Pallas, as
 * o1js sign-legacy.ts and signature.ts `verifyLegacy` make and check it;
 * docs/protocol.md, "Payments"): e = legacy Poseidon, under the network's
 * signature prefix, of the payment's legacy input with the signer's point
 * and r; the signature (r, s) holds when s G - e P has x = r and an even y.
 * On minapay's WebAssembly Pasta module: about 1 ms, against 6 for
 * mina-signer's BigInt verifyPayment; and an implementation apart from the
 * one that signs. One instance per thread.
 */
export class PaymentSignatureCheck {
  private readonly exports: PastaExports = pastaInstance();
  private readonly poseidon = new Poseidon('legacy');
  private readonly prefix: string;
  /** The last signer's point: a batch's payments all have one. */
  private signer: (Signer & { readonly key: string }) | null = null;

  constructor(network: keyof typeof SIGNATURE_PREFIXES) {
    this.prefix = SIGNATURE_PREFIXES[network];
  }

  /** Whether `signature` is the payment's by its `from` key; false for fields that make no payment. */
  holds(data: PaymentFields, signature: { readonly field: string; readonly scalar: string }): boolean {
    const r = wholeNumberFromText(signature.field, PALLAS_P - 1n);
    const s = wholeNumberFromText(signature.scalar, PALLAS_Q - 1n);
    const signer = this.signerPoint(data.from);
    const input = signer === null ? null : legacyPaymentInput(data, signer);
    if (r === null || s === null || signer === null || input === null) return false;
    const e = this.poseidon.hashWithPrefix(this.prefix, [...input.fields, signer.x, signer.y, r, ...input.packed]);
    // R = s G - e P: the sum of s times G and e times -P.
    this.exports.clearSum();
    this.addMultiple(s, MINA_GENERATOR.x, MINA_GENERATOR.y);
    this.addMultiple(e, signer.x, PALLAS_P - signer.y);
    if (this.exports.sumToAffine() !== 0) return false;
    const io = this.exports.io();
    return readField(this.exports, io) === r && (readField(this.exports, io + FIELD_BYTES) & 1n) === 0n;
  }

  private addMultiple(scalar: bigint, x: bigint, y: bigint): void {
    writeScalar(this.exports, scalar);
    writeField(this.exports, this.exports.io(), x);
    writeField(this.exports, this.exports.io() + FIELD_BYTES, y);
    this.exports.addMultiple();
  }

  /** The point of a public key: its x, and the y of that x whose parity the key gives; null for a key that is no point. */
  private signerPoint(key: string): Signer | null {
    if (this.signer?.key === key) return this.signer;
    const compressed = compressedKey(key);
    if (compressed === null) return null;
    writeField(this.exports, this.exports.io(), compressed.x);
    if (this.exports.curveY() !== 0) return null;
    const y = readField(this.exports, this.exports.io() + FIELD_BYTES);
    this.signer = { key, ...compressed, y: (y & 1n) === parity(compressed) ? y : PALLAS_P - y };
    return this.signer;
  }
}

/** A public key as the hash input has it (x, and the parity of y), and its point's y. */
type Signer = { readonly x: bigint; readonly isOdd: boolean; readonly y: bigint };

const checks = new Map<string, PaymentSignatureCheck>();

/** This thread's check of payment signatures on a network. */
export function paymentSignatureCheck(network: keyof typeof SIGNATURE_PREFIXES): PaymentSignatureCheck {
  const check = checks.get(network) ?? new PaymentSignatureCheck(network);
  checks.set(network, check);
  return check;
}

/** x and the parity of y of a well-formed public key (src/protocol/keys.ts); null for any other text. */
function compressedKey(key: string): { x: bigint; isOdd: boolean } | null {
  let point: Uint8Array;
  try {
    point = publicKeyPoint(key);
  } catch {
    return null;
  }
  return { x: littleEndianToBigInt(point.subarray(0, 32)), isOdd: point[32] === 1 };
}

/**
 * The legacy hash input of a payment (o1js sign-legacy.ts `toInputLegacy`,
 * Mina's `Transaction_union_payload.to_input_legacy`): the field elements
 * (fee payer's x, source's x, receiver's x), then the bits, little-endian
 * each: fee, token id, fee payer's y parity, nonce, valid until, memo; tag
 * (000, a payment), source's and receiver's y parity, token id, amount,
 * token locked (0); packed 254 bits to a field element. The fee payer and
 * source are the signer, `from`. Null when a field makes no payment.
 */
function legacyPaymentInput(data: PaymentFields, from: Signer): { fields: bigint[]; packed: bigint[] } | null {
  const to = compressedKey(data.to);
  const fee = wholeNumberFromText(data.fee, U64_MAX);
  const amount = wholeNumberFromText(data.amount, U64_MAX);
  const nonce = wholeNumberFromText(data.nonce, U32_MAX);
  const validUntil = wholeNumberFromText(data.validUntil, U32_MAX);
  const memo = memoBits(data.memo);
  if (to === null || fee === null || amount === null || nonce === null || validUntil === null || memo === null) return null;
  const bits = new BitString();
  bits
    .push(fee, 64)
    .push(LEGACY_TOKEN_ID, 64)
    .push(parity(from), 1)
    .push(nonce, 32)
    .push(validUntil, 32)
    .push(memo, MEMO_BYTES * 8);
  bits.push(0n, 3).push(parity(from), 1).push(parity(to), 1).push(LEGACY_TOKEN_ID, 64).push(amount, 64).push(0n, 1);
  return { fields: [from.x, from.x, to.x], packed: bits.fields() };
}

const parity = (key: { isOdd: boolean }): bigint => (key.isOdd ? 1n : 0n);

/** The memo's 34 bytes as a little-endian number; null for a text over 32 bytes. */
function memoBits(memo: string): bigint | null {
  const text = Buffer.from(memo, 'utf8');
  if (text.length > MEMO_BYTES - 2) return null;
  return littleEndianToBigInt(Buffer.concat([Buffer.from([0x01, text.length]), text, Buffer.alloc(MEMO_BYTES - 2 - text.length)]));
}

/** Bits appended least significant first, then cut into field elements of 254 bits (the last one shorter). */
class BitString {
  private value = 0n;
  private length = 0n;

  push(value: bigint, width: number): this {
    this.value |= value << this.length;
    this.length += BigInt(width);
    return this;
  }

  fields(): bigint[] {
    const fields: bigint[] = [];
    for (let offset = 0n; offset < this.length; offset += BITS_PER_FIELD) fields.push((this.value >> offset) & ((1n << BITS_PER_FIELD) - 1n));
    return fields;
  }
}
