import bs58check from 'bs58check';

import type { PaymentData, PaymentSignature } from '../../src/payout/signed-file.js';
import { MEMO_BYTES, SIGNED_COMMAND_VERSION, type SignedCommand } from '../../src/payout/transaction-id.js';

/**
 * Reads a transaction ID back the way the daemon does (Signed_command.of_base64:
 * base64, the version tag, then Bin_prot), written independently of
 * minapay's writer so that the stand-in daemon checks it rather than
 * echoing it. Throws on anything that is not a version-2 signed payment.
 */
export function readSignedCommand(id: string): SignedCommand {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(id) || id.length % 4 !== 0) throw new Error('not base64');
  const reader = new BinProtReader(Buffer.from(id, 'base64'));
  if (reader.int() !== BigInt(SIGNED_COMMAND_VERSION)) throw new Error('not a version 2 signed command');
  const fee = BigInt.asUintN(64, reader.int());
  const feePayer = reader.bytes(33);
  const nonce = BigInt.asUintN(32, reader.int());
  if (reader.byte() !== 0) throw new Error('valid_until is not Since_genesis');
  const validUntil = BigInt.asUintN(32, reader.int());
  const memoLength = Number(reader.int());
  if (memoLength !== MEMO_BYTES) throw new Error(`memo of ${memoLength} bytes`);
  const memo = reader.bytes(memoLength);
  if (reader.byte() !== 0) throw new Error('not a payment');
  const receiver = reader.bytes(33);
  const amount = BigInt.asUintN(64, reader.int());
  const signer = reader.bytes(33);
  const signature = { r: reader.littleEndian(32), s: reader.littleEndian(32) };
  reader.end();
  return { fee, feePayer, nonce, validUntil, memo, receiver, amount, signer, signature };
}

/** The command as mina-signer's JSON payment, to verify and hash it; only text memos (minapay writes no other kind). */
export function commandPayment(command: SignedCommand): { data: PaymentData; signature: PaymentSignature } {
  if (command.memo[0] !== 0x01) throw new Error('not a text memo');
  return {
    data: {
      to: publicKeyText(command.receiver),
      from: publicKeyText(command.feePayer),
      amount: command.amount.toString(),
      fee: command.fee.toString(),
      nonce: command.nonce.toString(),
      memo: Buffer.from(command.memo.subarray(2, 2 + command.memo[1]!)).toString('utf8'),
      validUntil: command.validUntil.toString(),
    },
    signature: { field: command.signature.r.toString(), scalar: command.signature.s.toString() },
  };
}

function publicKeyText(point: Uint8Array): string {
  return bs58check.encode(Uint8Array.from([0xcb, 0x01, 0x01, ...point]));
}

class BinProtReader {
  private position = 0;

  constructor(private readonly buffer: Buffer) {}

  byte(): number {
    if (this.position >= this.buffer.length) throw new Error('ends early');
    return this.buffer[this.position++]!;
  }

  bytes(count: number): Uint8Array {
    if (this.position + count > this.buffer.length) throw new Error('ends early');
    this.position += count;
    return Uint8Array.from(this.buffer.subarray(this.position - count, this.position));
  }

  littleEndian(count: number): bigint {
    return this.bytes(count).reduceRight((value, byte) => (value << 8n) | BigInt(byte), 0n);
  }

  /** Bin_prot's variable-length signed integer. */
  int(): bigint {
    const first = this.byte();
    if (first < 0x80) return BigInt(first);
    const width = { 255: 1, 254: 2, 253: 4, 252: 8 }[first];
    if (width === undefined) throw new Error(`bad integer code ${first}`);
    return BigInt.asIntN(width * 8, this.littleEndian(width));
  }

  end(): void {
    if (this.position !== this.buffer.length) throw new Error('has bytes after the command');
  }
}
