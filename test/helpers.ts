import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';

import bs58check from 'bs58check';

import type { LedgerAccount } from '../src/ledger/account.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const fixture = (...parts: string[]): string => join(ROOT, 'fixtures', ...parts);
/** The real mainnet staking ledger of 2021 (2,989 accounts), gzip-compressed; see fixtures/README.md. */
export const REAL_LEDGER = fixture('ledger', 'mainnet-2021-staking-ledger-jwJXdYz.json.gz');
/** Real mainnet ledger hashes (as archive dumps print them), to name archived test ledgers by. */
export const LEDGER_HASHES = [
  'jwtL47nyjgCexDufj4YvsvG3CnQTUoFx3DWqw9agMYbABy4mGyf',
  'jxV4SS44wHUVrGEucCsfxLisZyUC5QddsiokGH3kz5xm2hJWZ25',
  'jxt6GQM3CvK1nBYxQpSLhGxsFc9VydTnVdNfUsardf1TEFwpK7K',
] as const;

/** A fresh directory, removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'minapay-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** Every account of a ledger read in batches (readLedger), in order. */
export async function collectAccounts(batches: AsyncIterable<readonly LedgerAccount[]>): Promise<LedgerAccount[]> {
  return (await collect(batches)).flat();
}

/** The fields that do not depend on where an account sat in its file. */
export function withoutIndex(accounts: readonly LedgerAccount[]): Omit<LedgerAccount, 'index'>[] {
  return accounts.map(({ index: _index, ...rest }) => rest);
}

const PALLAS_P = 28948022309329048855892746252171976963363056481941560715954676764349967630337n;

/**
 * Euler's criterion, independent of the Legendre symbol minapay computes in
 * its Pasta module: value^((p-1)/2) mod p is 1 for a non-zero square, p-1
 * for a non-square, 0 for 0 (as -1, 0, 1).
 */
export function eulerCriterion(value: bigint): -1 | 0 | 1 {
  let [base, exponent, result] = [value % PALLAS_P, (PALLAS_P - 1n) / 2n, 1n];
  while (exponent > 0n) {
    if (exponent & 1n) result = (result * base) % PALLAS_P;
    base = (base * base) % PALLAS_P;
    exponent >>= 1n;
  }
  return result === PALLAS_P - 1n ? -1 : result === 0n ? 0 : 1;
}

/** Is x^3 + 5 a square mod p, so that x is a point's x? (Euler's criterion.) */
export function isPallasX(x: bigint): boolean {
  return eulerCriterion(x ** 3n + 5n) >= 0;
}

/** A B62 key with a valid checksum and version bytes whose x is the given value (on the curve or not). */
export function publicKeyWithX(x: bigint): string {
  const payload = Uint8Array.from([0xcb, 0x01, 0x01, ...Array.from({ length: 32 }, (_, byte) => Number((x >> BigInt(8 * byte)) & 0xffn)), 0x00]);
  return bs58check.encode(payload);
}

/** A key that passes every check but the curve's: no signer can pay it. */
export function offCurvePublicKey(): string {
  let x = 1000n;
  while (isPallasX(x)) x += 1n;
  return publicKeyWithX(x);
}
