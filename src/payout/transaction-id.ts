import bs58check from 'bs58check';

import { base58CheckPayload, publicKeyPoint } from '../protocol/keys.js';
import { MAX_MEMO_BYTES, type PaymentData, type PaymentSignature } from './signed-file.js';

/**
 * A payment's transaction ID, which the daemon's `transactionStatus(payment:)`
 * and `pooledUserCommands(ids:)` take and `sendPayment` returns as
 * `payment { id }`: base64 of the Bin_prot serialization of the signed
 * command with its version tag (MM src/lib/mina_base/signed_command.ml,
 * `Codable.Make_base64 (Stable.Latest.With_top_version_tag)`). The hash is
 * not an ID: the daemon rebuilds the command from the ID and hashes it.
 * mina-signer hashes these same bytes (signature replaced by a dummy) but
 * does not export them, so they are written here.
 */
export function paymentId(payment: { readonly data: PaymentData; readonly signature: PaymentSignature }): string {
  return signedCommandId(paymentCommand(payment));
}

/** The fields of a signed payment in the order and form the chain serializes them. */
export interface SignedCommand {
  readonly fee: bigint;
  /** Compressed public keys: x (32 bytes, little-endian) then isOdd. */
  readonly feePayer: Uint8Array;
  readonly nonce: bigint;
  readonly validUntil: bigint;
  /** The memo's 34 bytes on chain (kind, length, content, zero padding). */
  readonly memo: Uint8Array;
  readonly receiver: Uint8Array;
  readonly amount: bigint;
  readonly signer: Uint8Array;
  readonly signature: { readonly r: bigint; readonly s: bigint };
}

/** Signed_command.Stable.V2 is the version of today's signed commands. */
export const SIGNED_COMMAND_VERSION = 2;
/** Signed_command_memo: a kind byte, a length byte and 32 bytes of content. */
export const MEMO_BYTES = 2 + MAX_MEMO_BYTES;
/** The memo kind of a memo that holds bytes (the other kind holds a digest). */
const MEMO_KIND_BYTES = 0x01;
/** Bin_prot's constructor tags: `Since_genesis` of a global slot and `Payment` of a command body are the first of their variants. */
const SINCE_GENESIS_TAG = 0;
const PAYMENT_TAG = 0;
const FIELD_BYTES = 32;

export function signedCommandId(command: SignedCommand): string {
  const out: number[] = [];
  writeInt(out, BigInt(SIGNED_COMMAND_VERSION));
  writeInt(out, BigInt.asIntN(64, command.fee));
  out.push(...command.feePayer);
  writeInt(out, BigInt.asIntN(32, command.nonce));
  out.push(SINCE_GENESIS_TAG);
  writeInt(out, BigInt.asIntN(32, command.validUntil));
  writeNat0(out, command.memo.length);
  out.push(...command.memo);
  out.push(PAYMENT_TAG, ...command.receiver);
  writeInt(out, BigInt.asIntN(64, command.amount));
  out.push(...command.signer);
  writeLittleEndian(out, command.signature.r, FIELD_BYTES);
  writeLittleEndian(out, command.signature.s, FIELD_BYTES);
  return Buffer.from(out).toString('base64');
}

function paymentCommand({ data, signature }: { readonly data: PaymentData; readonly signature: PaymentSignature }): SignedCommand {
  const sender = publicKeyPoint(data.from);
  return {
    fee: BigInt(data.fee),
    feePayer: sender,
    nonce: BigInt(data.nonce),
    validUntil: BigInt(data.validUntil),
    memo: memoBytes(data.memo),
    receiver: publicKeyPoint(data.to),
    amount: BigInt(data.amount),
    signer: sender,
    signature: { r: BigInt(signature.field), s: BigInt(signature.scalar) },
  };
}

/** A text memo as the chain holds it; its length was checked at signing. */
function memoBytes(memo: string): Uint8Array {
  const text = Buffer.from(memo, 'utf8');
  const bytes = new Uint8Array(MEMO_BYTES);
  bytes.set([MEMO_KIND_BYTES, text.length]);
  bytes.set(text, 2);
  return bytes;
}

/** A memo's base58check version byte (MinaProtocol/mina src/lib/base58_check/version_bytes.ml, `user_command_memo`). */
const MEMO_VERSION_BYTE = 0x14;

/** A text memo as the daemon's GraphQL shows it: base58check of version 0x14 and the memo's 34 bytes. */
export function encodedMemo(memo: string): string {
  return bs58check.encode(Uint8Array.from([MEMO_VERSION_BYTE, ...memoBytes(memo)]));
}

/** The text of a memo the daemon shows (encodedMemo's inverse); null for one that holds no text (a digest) or is malformed. */
export function memoText(encoded: string): string | null {
  const payload = base58CheckPayload(encoded);
  if (payload === null || payload.length !== 1 + MEMO_BYTES || payload[0] !== MEMO_VERSION_BYTE || payload[1] !== MEMO_KIND_BYTES) return null;
  const length = payload[2]!;
  if (length > MAX_MEMO_BYTES) return null;
  return Buffer.from(payload.subarray(3, 3 + length)).toString('utf8');
}

/**
 * Bin_prot's variable-length integer (write_int, write_int32, write_int64):
 * 0..127 as one byte; otherwise a code byte for the smallest signed width
 * that holds the value (0xff: 8 bits, negative only; 0xfe: 16; 0xfd: 32;
 * 0xfc: 64), then the value little-endian. Unsigned 32- and 64-bit values
 * are written as the signed integers of the same bits.
 */
function writeInt(out: number[], value: bigint): void {
  if (value >= 0n && value < 0x80n) out.push(Number(value));
  else if (value >= -0x80n && value < 0n) writeCoded(out, 0xff, value, 1);
  else if (value >= -0x8000n && value < 0x8000n) writeCoded(out, 0xfe, value, 2);
  else if (value >= -0x8000_0000n && value < 0x8000_0000n) writeCoded(out, 0xfd, value, 4);
  else writeCoded(out, 0xfc, value, 8);
}

/** Bin_prot's length prefix (Nat0): 0..127 as one byte, then 0xfe with 16 bits or 0xfd with 32. */
function writeNat0(out: number[], value: number): void {
  if (value < 0x80) out.push(value);
  else if (value < 0x1_0000) writeCoded(out, 0xfe, BigInt(value), 2);
  else writeCoded(out, 0xfd, BigInt(value), 4);
}

function writeCoded(out: number[], code: number, value: bigint, bytes: number): void {
  out.push(code);
  writeLittleEndian(out, BigInt.asUintN(bytes * 8, value), bytes);
}

function writeLittleEndian(out: number[], value: bigint, bytes: number): void {
  for (let i = 0; i < bytes; i += 1) out.push(Number((value >> BigInt(8 * i)) & 0xffn));
}
