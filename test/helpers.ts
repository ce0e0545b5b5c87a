import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';

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

/** The fields that do not depend on where an account sat in its file. */
export function withoutIndex(accounts: readonly LedgerAccount[]): Omit<LedgerAccount, 'index'>[] {
  return accounts.map(({ index: _index, ...rest }) => rest);
}
