import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Client from 'mina-signer';

import { createTestArchive, type SeedBlock, seedBlocks, SERVER_URL, type TestArchive } from '../blocks/archive-db.js';
import { LEDGER_HASHES, tempDir } from '../helpers.js';
import { StandInDaemon } from '../payout/stand-in-daemon.js';
import { runCli } from './run.js';

/**
 * Everything `payout run` reads, for tests: a pool of delegators with its
 * staking ledger of epoch 1 in a ledger archive, an archive database whose
 * best chain runs through epoch 1 (slots 200-299 of the Berkeley era cut
 * into 100-slot epochs from slot 100, where the seeded archive's fork
 * starts: heights 5-9, the pool's blocks at 6 and 8) into
 * epoch 2, a stand-in daemon with the sender funded, the sender's key file,
 * and a config file naming them all. The chain is short: every row costs
 * the archive (PGlite) a query.
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

/** Era and finality settings that make the small chain work: 100-slot epochs from slot 100, final at 5 blocks, payments at 3. */
const ERA = { era: 'berkeley', 'era-start-slot': 100, 'era-start-time': '2024-06-05T00:00:00Z', 'slots-per-epoch': 100 };

/**
 * `dir` (default: a fresh one) holds the world's files; give one made at the top of the test file when the world is made in
 * a suite's before hook, since a directory made there is removed as soon as the hook ends.
 */
export async function runWorld(options: { dir?: string; delegators?: number; config?: Record<string, unknown> } = {}): Promise<RunWorld> {
  const pool = client.genKeys().publicKey;
  const sender = client.genKeys();
  const delegators = Array.from({ length: options.delegators ?? 4 }, () => client.genKeys().publicKey);
  const dir = options.dir ?? tempDir();
  const ledgers = join(dir, 'ledgers');
  const ledgerFile = join(dir, 'ledger.json');
  writeFileSync(
    ledgerFile,
    JSON.stringify([
      { pk: pool, balance: '1000', delegate: pool },
      ...delegators.map((pk, index) => ({ pk, balance: `${1000 + index * 250}.5`, delegate: pool })),
    ]),
  );
  const archived = await runCli(['ledger', 'archive', ledgerFile, '--archive', ledgers, '--epoch', '1', '--ledger-hash', LEDGER_HASHES[0], '--quiet']);
  assert.equal(archived.code, 0, archived.stderr);
  // The PostgreSQL server when there is one (.ci/run): starting PGlite costs seconds of CPU.
  const archive = await createTestArchive(SERVER_URL === null ? 'pglite' : 'postgresql');
  await seedBlocks(archive, chain(pool, delegators));
  const daemon = await new StandInDaemon({ network: 'mainnet', accounts: { [sender.publicKey]: { balance: 100_000n * MINA, nonce: 7n } } }).start();
  const journal = join(dir, 'journal');
  const config = join(dir, 'minapay.json');
  const keyFile = join(dir, 'sender.key');
  writeFileSync(keyFile, `${sender.privateKey}\n`, { mode: 0o600 });
  writeFileSync(
    config,
    JSON.stringify({
      pool: [pool],
      journal,
      archive: ledgers,
      'archive-db': archive.url,
      graphql: daemon.url,
      'key-file': keyFile,
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

/**
 * Heights 1 to 14 at twenty slots each from slot 120 (epoch 1's last block, 9, has 5 blocks above it), canonical to height 10;
 * the pool produced 6 and 8, won by its first two delegators. Only the pool's blocks carry their coinbase: no one reads others'.
 */
function chain(pool: string, delegators: readonly string[]): SeedBlock[] {
  const other = client.genKeys().publicKey;
  const blocks: SeedBlock[] = [];
  for (let height = 1; height <= 14; height += 1) {
    const ours = height === 6 || height === 8;
    const winner = height === 6 ? delegators[0]! : delegators[1 % delegators.length]!;
    blocks.push({
      height,
      slot: 100 + height * 20,
      stateHash: `3NKrun${height}`,
      parent: height === 1 ? null : `3NKrun${height - 1}`,
      creator: ours ? pool : other,
      winner: ours ? winner : other,
      status: height <= 10 ? 'canonical' : 'pending',
      commands: ours ? [{ type: 'coinbase', receiver: pool, fee: 720n * MINA }] : [],
    });
  }
  return blocks;
}

/** `minapay payout run` of the world's config; `extra` adds options. */
export const runArgs = (world: RunWorld, ...extra: string[]) => ['--config', world.config, 'payout', 'run', '--last-finished', ...extra];
