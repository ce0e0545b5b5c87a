import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after } from 'node:test';

import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';

import type { SqlClient } from '../../src/blocks/archive.js';
import { fixture, ROOT } from '../helpers.js';

const SCHEMA_SQL = readFileSync(fixture('archive', 'berkeley-schema.sql'), 'utf8');

/** The server the tests use, when there is one (`.ci/run` sets it); else embedded PGlite. */
export const SERVER_URL = process.env['MINAPAY_TEST_DATABASE_URL'] ?? null;

/** An archive schema of the test's own, on the server or in PGlite, dropped by close(). */
export interface TestArchive {
  readonly client: SqlClient;
  /** A connection URL that lands in the schema, for the CLI's own `pg` client. */
  readonly url: string;
  readonly engine: Engine;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** Embedded PGlite (served over the PostgreSQL wire protocol to other processes), or the PostgreSQL server. */
export type Engine = 'pglite' | 'postgresql';

/** The engines the archive queries run on here: always PGlite, and the server when there is one. */
export const ENGINES: readonly Engine[] = SERVER_URL === null ? ['pglite'] : ['pglite', 'postgresql'];

/** On PGlite unless the server is named: each test gets a schema of its own, on one database per test file. */
export async function createTestArchive(engine: Engine = 'pglite'): Promise<TestArchive> {
  if (engine === 'pglite') return pgliteArchive();
  if (SERVER_URL === null) throw new Error('no PostgreSQL server: MINAPAY_TEST_DATABASE_URL is not set');
  return serverArchive(SERVER_URL);
}

const schemaName = () => `minapay_test_${randomBytes(6).toString('hex')}`;

async function serverArchive(serverUrl: string): Promise<TestArchive> {
  const schema = schemaName();
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema};`);
  await client.query(SCHEMA_SQL);
  const url = new URL(serverUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    client,
    url: url.toString(),
    engine: 'postgresql',
    exec: async (sql) => void (await client.query(sql)),
    close: async () => {
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

/**
 * One PGlite per test file, started on first use (starting one takes
 * seconds), and served on a free port of 127.0.0.1 by pglite-socket so that
 * a CLI process connects to it with its own `pg` client, as to a server.
 * PGlite has a single session: the socket's clients share it, search_path
 * included, so the schema a test set is the one the CLI reads.
 */
let shared: Promise<{ db: PGlite; server: PGLiteSocketServer; url: string }> | undefined;

function sharedPglite() {
  shared ??= (async () => {
    const db = await startPglite();
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
    await server.start();
    return { db, server, url: `postgres://postgres@${server.getServerConn()}/postgres` };
  })();
  return shared;
}

// Registered when the file loads, so it belongs to the file and not to the test that first used PGlite.
after(async () => {
  if (shared === undefined) return;
  const { db, server } = await shared;
  await server.stop();
  await db.close();
});

/**
 * A fresh PGlite. Each start runs initdb (seconds of CPU); a data directory
 * dumped by a fresh PGlite of the same version starts one in a fraction of
 * that. The dump is kept under node_modules/.cache, which npm ci clears.
 */
async function startPglite(): Promise<PGlite> {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string };
  const cache = join(ROOT, 'node_modules', '.cache', 'minapay-test', `pglite-${version}-datadir.tar.gz`);
  if (existsSync(cache)) return PGlite.create({ loadDataDir: new Blob([readFileSync(cache)]) });
  const db = await PGlite.create();
  const dump = Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer());
  mkdirSync(dirname(cache), { recursive: true });
  // Written aside and renamed: a test file starting at the same time reads it whole or not at all.
  writeFileSync(`${cache}.${process.pid}.tmp`, dump);
  renameSync(`${cache}.${process.pid}.tmp`, cache);
  return db;
}

async function pgliteArchive(): Promise<TestArchive> {
  const { db, url } = await sharedPglite();
  const schema = schemaName();
  await db.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}; ${SCHEMA_SQL}`);
  return {
    client: db,
    url,
    engine: 'pglite',
    exec: async (sql) => void (await db.exec(sql)),
    close: async () => void (await db.exec(`DROP SCHEMA ${schema} CASCADE; SET search_path TO public`)),
  };
}

export interface SeedBlock {
  readonly height: number;
  readonly slot: number;
  readonly stateHash: string;
  /** State hash of the parent; null links to nothing (a hole in the archive). */
  readonly parent: string | null;
  readonly creator: string;
  readonly winner: string;
  readonly status: 'canonical' | 'orphaned' | 'pending';
  readonly commands?: readonly SeedCommand[];
  readonly userCommands?: readonly SeedUserCommand[];
}

/** A payment in a block, as the archive keeps it: the command once in user_commands, its status per block. */
export interface SeedUserCommand {
  readonly hash: string;
  readonly feePayer: string;
  readonly receiver: string;
  readonly nonce: bigint;
  readonly amount: bigint;
  readonly fee: bigint;
  readonly status?: 'applied' | 'failed';
  readonly failureReason?: string;
}

export interface SeedCommand {
  readonly type: 'coinbase' | 'fee_transfer' | 'fee_transfer_via_coinbase';
  readonly receiver: string;
  readonly fee: bigint;
  readonly status?: 'applied' | 'failed';
}

/** Inserts blocks (parents first) with their internal commands, as an archive node would; in one transaction, as a server commits each statement to disk. */
export async function seedBlocks(archive: TestArchive, blocks: readonly SeedBlock[]): Promise<void> {
  await archive.client.query('BEGIN');
  try {
    await insertBlocks(archive.client, blocks);
    await archive.client.query('COMMIT');
  } catch (error) {
    await archive.client.query('ROLLBACK');
    throw error;
  }
}

async function insertBlocks(client: SqlClient, blocks: readonly SeedBlock[]): Promise<void> {
  await client.query(`INSERT INTO snarked_ledger_hashes (value) VALUES ('jx-ledger') ON CONFLICT DO NOTHING`);
  await client.query(`INSERT INTO protocol_versions (transaction, network, patch) VALUES (3, 0, 0) ON CONFLICT DO NOTHING`);
  await client.query(
    `INSERT INTO epoch_data (seed, ledger_hash_id, total_currency, start_checkpoint, lock_checkpoint, epoch_length)
     SELECT 'seed', id, '1000000000000000000', 'start', 'lock', 1 FROM snarked_ledger_hashes WHERE value = 'jx-ledger'`,
  );
  let commandNumber = 0;
  for (const block of blocks) {
    const payers = (block.userCommands ?? []).flatMap((c) => [c.feePayer, c.receiver]);
    for (const key of [block.creator, block.winner, ...(block.commands ?? []).map((c) => c.receiver), ...payers]) {
      await client.query('INSERT INTO public_keys (value) VALUES ($1) ON CONFLICT DO NOTHING', [key]);
    }
    const { rows } = await client.query(
      `INSERT INTO blocks (state_hash, parent_id, parent_hash, creator_id, block_winner_id, last_vrf_output, snarked_ledger_hash_id,
         staking_epoch_data_id, next_epoch_data_id, min_window_density, sub_window_densities, total_currency, ledger_hash, height,
         global_slot_since_hard_fork, global_slot_since_genesis, protocol_version_id, timestamp, chain_status)
       VALUES ($1, (SELECT id FROM blocks WHERE state_hash = $2), COALESCE($2, 'missing-parent'),
         (SELECT id FROM public_keys WHERE value = $3), (SELECT id FROM public_keys WHERE value = $4), 'vrf',
         (SELECT min(id) FROM snarked_ledger_hashes), (SELECT min(id) FROM epoch_data), (SELECT min(id) FROM epoch_data),
         0, '{}', '1000000000000000000', 'jx-ledger', $5, $6, $7, (SELECT min(id) FROM protocol_versions), $8, $9)
       RETURNING id`,
      [
        block.stateHash,
        block.parent,
        block.creator,
        block.winner,
        block.height,
        block.slot - 100,
        block.slot,
        String(1_700_000_000_000 + block.slot * 180_000),
        block.status,
      ],
    );
    const blockId = (rows[0] as { id: number }).id;
    for (const [sequence, command] of (block.commands ?? []).entries()) {
      commandNumber += 1;
      const inserted = await client.query(
        `INSERT INTO internal_commands (command_type, receiver_id, fee, hash)
         VALUES ($1, (SELECT id FROM public_keys WHERE value = $2), $3, $4) RETURNING id`,
        [command.type, command.receiver, command.fee.toString(), `ic-${commandNumber}`],
      );
      await client.query(
        `INSERT INTO blocks_internal_commands (block_id, internal_command_id, sequence_no, secondary_sequence_no, status)
         VALUES ($1, $2, $3, 0, $4)`,
        [blockId, (inserted.rows[0] as { id: number }).id, sequence, command.status ?? 'applied'],
      );
    }
    for (const [sequence, command] of (block.userCommands ?? []).entries()) await insertUserCommand(client, blockId, sequence, command);
  }
}

/** A payment in a block: its user_commands row (once, whatever the blocks holding it) and its blocks_user_commands row. */
async function insertUserCommand(client: SqlClient, blockId: number, sequence: number, command: SeedUserCommand): Promise<void> {
  await client.query(
    `INSERT INTO user_commands (command_type, fee_payer_id, source_id, receiver_id, nonce, amount, fee, valid_until, memo, hash)
     SELECT 'payment', payer.id, payer.id, receiver.id, $3, $4, $5, 4294967295, 'E4YM2vTHhWEg66xpj52JErHUBU4pZ1yageL4TVDDpTTSsv8mK6YaH', $6
       FROM public_keys payer, public_keys receiver WHERE payer.value = $1 AND receiver.value = $2
     ON CONFLICT (hash) DO NOTHING`,
    [command.feePayer, command.receiver, command.nonce.toString(), command.amount.toString(), command.fee.toString(), command.hash],
  );
  await client.query(
    `INSERT INTO blocks_user_commands (block_id, user_command_id, sequence_no, status, failure_reason)
     SELECT $1, id, $2, $3, $4 FROM user_commands WHERE hash = $5`,
    [blockId, sequence, command.status ?? 'applied', command.failureReason ?? null, command.hash],
  );
}
