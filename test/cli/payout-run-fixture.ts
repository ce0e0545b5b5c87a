import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Client from 'mina-signer';

import { createTestArchive, type SeedBlock, seedBlocks, type TestArchive } from '../blocks/archive-db.js';
import { LEDGER_HASHES, tempDir } from '../helpers.js';
import { keyFile } from '../payout/key-files.js';
import { StandInDaemon } from '../payout/stand-in-daemon.js';
import { runCli } from './run.js';

/**
 * Everything `payout run` reads, for tests: a pool of delegators with its
 * staking ledger of epoch 1 in a ledger archive, an archive database whose
 * best chain runs through epoch 1 (slots 100-199 of the Berkeley era cut
 * into 100-slot epochs: heights 10-19, the pool's blocks at 12 and 15) into
 * epoch 2, a stand-in daemon with the sender funded, the sender's key file,
 * and a config file naming them all.
 */
export const MINA = 1_000_000_000n;
const client = new Client({ network: 'mainnet' });

export interface RunWorld {
  readonly pool: string;
  readonly delegators: readonly string[];
  readonly sender: { readonly publicKey: string; readonly privateKey: string };
  readonly daemon: StandInDaemon;
  readonly archive: TestArchive;
  readonly journal: string;
  readonly ledgers: string;
  readonly config: string;
  /** The epoch 1 directory of the pool in the journal. */
  readonly epochDir: string;
  close(): Promise<void>;
}

/** Era and finality settings that make the small chain work: 100-slot epochs from slot 0, final at 5 blocks, payments at 3. */
const ERA = { era: 'berkeley', 'era-start-slot': 0, 'era-start-time': '2024-06-05T00:00:00Z', 'slots-per-epoch': 100 };

export async function runWorld(options: { delegators?: number; tipHeight?: number; config?: Record<string, unknown> } = {}): Promise<RunWorld> {
  const pool = client.genKeys().publicKey;
  const sender = client.genKeys();
  const delegators = Array.from({ length: options.delegators ?? 4 }, () => client.genKeys().publicKey);
  const dir = tempDir();
  const ledgers = join(dir, 'ledgers');
  const ledgerFile = join(dir, 'ledger.json');
  writeFileSync(
    ledgerFile,
    JSON.stringify([
      { pk: pool, balance: '1000', delegate: pool },
      ...delegators.map((pk, index) => ({ pk, balance: `${1000 + index * 250}.5`, delegate: pool })),
    ]),
  );
  const archived = await runCli(['ledger', 'archive', ledgerFile, '--dir', ledgers, '--epoch', '1', '--ledger-hash', LEDGER_HASHES[0], '--quiet']);
  assert.equal(archived.code, 0, archived.stderr);
  const archive = await createTestArchive('pglite');
  await seedBlocks(archive, chain(pool, delegators, options.tipHeight ?? 25));
  const daemon = await new StandInDaemon({ network: 'mainnet', accounts: { [sender.publicKey]: { balance: 100_000n * MINA, nonce: 7n } } }).start();
  const journal = join(dir, 'journal');
  const config = join(dir, 'minapay.json');
  writeFileSync(
    config,
    JSON.stringify({
      pool: [pool],
      journal,
      archive: ledgers,
      'archive-db': archive.url,
      graphql: daemon.url,
      'key-file': keyFile(`${sender.privateKey}\n`),
      commission: '0.05',
      memo: 'minapay run',
      'epoch-confirmations': 5,
      'min-confirmations': 3,
      'rebroadcast-backoff': 0,
      ...ERA,
      ...options.config,
    }),
  );
  return {
    pool,
    delegators,
    sender,
    daemon,
    archive,
    journal,
    ledgers,
    config,
    epochDir: join(journal, 'mainnet', pool, 'epoch-1'),
    async close() {
      await daemon.stop();
      await archive.close();
    },
  };
}

/** Heights 1 to `tip` at ten slots each, canonical to height 20; the pool produced 12 and 15, won by its first two delegators. */
function chain(pool: string, delegators: readonly string[], tip: number): SeedBlock[] {
  const other = client.genKeys().publicKey;
  const blocks: SeedBlock[] = [];
  for (let height = 1; height <= tip; height += 1) {
    const ours = height === 12 || height === 15;
    const winner = height === 12 ? delegators[0]! : delegators[1 % delegators.length]!;
    blocks.push({
      height,
      slot: height * 10,
      stateHash: `3NKrun${height}`,
      parent: height === 1 ? null : `3NKrun${height - 1}`,
      creator: ours ? pool : other,
      winner: ours ? winner : other,
      status: height <= 20 ? 'canonical' : 'pending',
      commands: [{ type: 'coinbase', receiver: ours ? pool : other, fee: 720n * MINA }],
    });
  }
  return blocks;
}

/** `minapay payout run` of the world's config; `extra` adds options. */
export const runArgs = (world: RunWorld, ...extra: string[]) => ['--config', world.config, 'payout', 'run', '--last-finished', ...extra];
