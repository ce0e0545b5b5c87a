import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import pg from 'pg';

import { withArchiveConnection } from '../../src/blocks/archive-connection.js';
import { readBlocksFile } from '../../src/blocks/file.js';
import { MinapayError } from '../../src/errors.js';
import { archiveChain, POOL } from '../blocks/archive-chain.js';
import { createTestArchive, ENGINES, seedBlocks, SERVER_URL } from '../blocks/archive-db.js';
import { tempDir } from '../helpers.js';
import { runCli, runCliProcess } from './run.js';

/**
 * The test chain forked at global slot 100 (its blocks' slot since genesis less their slot since the hard fork): its epoch
 * 0, cut into 100-slot epochs, is slots 100-199. EPOCH_ARGS names it in the 2021 era, which supercharges, as the chain's
 * 1440 MINA block at height 18 needs; BERKELEY_ARGS names the same slots in an era that does not.
 */
const EPOCH_ARGS = ['--era', '2021', '--era-start-slot', '100', '--slots-per-epoch', '100', '--epoch', '0'];
const BERKELEY_ARGS = ['--era', 'berkeley', '--era-start-slot', '100', '--era-start-time', '2024-06-05T00:00:00Z', '--slots-per-epoch', '100', '--epoch', '0'];
const needsServer = SERVER_URL === null ? 'needs a PostgreSQL server (MINAPAY_TEST_DATABASE_URL) to cancel a statement' : false;
/** PGlite has one session, which its socket's clients share: a lock held by a second session needs the server. */
const needsSecondSession = SERVER_URL === null ? 'needs a second session, on a PostgreSQL server (MINAPAY_TEST_DATABASE_URL)' : false;
const CSV_HEADER =
  'height,stateHash,globalSlotSinceGenesis,globalSlotSinceHardFork,creator,winner,coinbaseReceiver,coinbase,feeTransferToReceiver,feeTransferViaCoinbase';
/** Where the archive is: PGlite in this process served on a socket, or the PostgreSQL server when there is one. */
const WHERE = { pglite: 'PGlite served on a socket', postgresql: 'the PostgreSQL server' } as const;

describe('minapay blocks', () => {
  for (const engine of ENGINES)
    it(`writes the pool's final blocks as a blocks file, refuses a pending epoch or a gap, writing nothing: a process reading ${WHERE[engine]}`, async (t) => {
      const archive = await createTestArchive(engine);
      try {
        await seedBlocks(archive, archiveChain());
        const dir = tempDir();
        const output = join(dir, 'blocks.json');
        const base = ['blocks', '--archive-db', archive.url, '--pool', POOL, ...EPOCH_ARGS];
        const result = await runCliProcess(t, [...base, '--min-confirmations', '20', '--output', output]);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stderr, /3 blocks by the pool, rewards 2881\.300000000 MINA; best tip height 40, epoch final with 21 confirmations/);
        assert.deepEqual(
          (await readBlocksFile(output)).map((b) => b.height),
          [12, 15, 18],
        );

        // The other runs in this process, through the same wire protocol.
        const csv = await runCli([...base, '--min-confirmations', '20', '--format', 'csv']);
        assert.equal(csv.stdout.split('\n')[0], CSV_HEADER);

        const pendingOutput = join(dir, 'pending.json');
        const pending = await runCli([...base, '--output', pendingOutput]);
        assert.equal(pending.code, 75);
        assert.match(pending.stderr, /not final yet.*21 of 290 confirmations/);
        assert.equal(existsSync(pendingOutput), false);

        await archive.exec(`UPDATE blocks SET parent_id = NULL WHERE state_hash = '3NKheight11'`);
        const gap = await runCli([...base, '--min-confirmations', '20', '--output', pendingOutput]);
        assert.equal(gap.code, 65);
        assert.match(gap.stderr, /chain breaks below block 3NKheight11/);
        assert.equal(existsSync(pendingOutput), false);
      } finally {
        await archive.close();
      }
    });

  it('writes an archive state hash that a spreadsheet would run as a formula as plain text in --format csv', async () => {
    const archive = await createTestArchive();
    try {
      await seedBlocks(archive, archiveChain());
      await archive.exec(`UPDATE blocks SET state_hash = '=cmd|'' /C calc''!A0' WHERE state_hash = '3NKheight12'`);
      const result = await runCli(['blocks', '--archive-db', archive.url, '--pool', POOL, ...EPOCH_ARGS, '--min-confirmations', '20', '--format', 'csv']);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout.split('\n')[1]!, /^12,'=cmd\|' \/C calc'!A0,120,/);
    } finally {
      await archive.close();
    }
  });

  it('learns the era from the archive: its fork with no --era, and refuses an --era that starts elsewhere', async () => {
    const archive = await createTestArchive();
    try {
      await seedBlocks(archive, archiveChain());
      // On devnet the table knows Berkeley only by name: the archive's fork at slot 100 is its start.
      const base = ['blocks', '--archive-db', archive.url, '--pool', POOL, '--min-confirmations', '20', '--slots-per-epoch', '100', '--epoch', '0'];
      const learned = await runCli([...base, '--network', 'devnet', '--supercharge-factor', '2']);
      assert.equal(learned.code, 0, learned.stderr);
      assert.match(learned.stderr, /^epoch 0 of era berkeley \(slots 100-199\) from archive /);
      const elsewhere = await runCli([...base, '--era', '2021']);
      assert.equal(elsewhere.code, 65);
      assert.match(elsewhere.stderr, /the chain forked at global slot 100, but --era 2021 starts at 0 \[ERA_MISMATCH\]/);
    } finally {
      await archive.close();
    }
  });

  it("refuses a block whose coinbase the epoch's era does not pay: supercharged after Berkeley, or 720,000 MINA", async () => {
    const archive = await createTestArchive();
    try {
      await seedBlocks(archive, archiveChain());
      const output = join(tempDir(), 'blocks.json');
      const base = ['blocks', '--archive-db', archive.url, '--pool', POOL, '--min-confirmations', '20', '--output', output];
      const berkeley = await runCli([...base, ...BERKELEY_ARGS]);
      assert.equal(berkeley.code, 65, berkeley.stderr);
      assert.match(
        berkeley.stderr,
        /^minapay: archive \S+: block 3NKheight18 at height 18 has a coinbase of 1440\.000000000 MINA, which era berkeley does not pay /,
      );
      assert.match(berkeley.stderr, / \(0\.000000000, 720\.000000000 MINA\) \[BLOCKS_INVALID\]\n$/);
      await archive.exec(
        `UPDATE internal_commands SET fee = '720000000000000' WHERE id IN (SELECT internal_command_id FROM blocks_internal_commands bic
           JOIN blocks b ON b.id = bic.block_id WHERE b.state_hash = '3NKheight12') AND command_type = 'coinbase'`,
      );
      const huge = await runCli([...base, ...EPOCH_ARGS]);
      assert.equal(huge.code, 65, huge.stderr);
      assert.match(
        huge.stderr,
        /block 3NKheight12 at height 12 has a coinbase of 720000\.000000000 MINA, which era 2021 does not pay \(0\.0+, 720\.0+, 1440\.0+ MINA\)/,
      );
      assert.equal(existsSync(output), false);
    } finally {
      await archive.close();
    }
  });

  it('names an unreachable archive without its password, with its own exit code', async () => {
    const result = await runCli(['blocks', '--pool', POOL, ...EPOCH_ARGS], { env: { MINAPAY_ARCHIVE_DB: 'postgres://payout:s3cret-pw@127.0.0.1:9/archive' } });
    assert.equal(result.code, 69);
    assert.match(result.stderr, /archive payout@127\.0\.0\.1:9\/archive: cannot connect/);
    assert.doesNotMatch(result.stderr, /s3cret/);
  });

  it('refuses an --archive-db that is not a postgres:// URL as a usage error, without quoting it', async () => {
    for (const url of [
      'postgres://[::1',
      'postgres://payout:s3cret-pw@host:99999/archive',
      'postgres://%ZZ:s3cret-pw@host/archive',
      'http://host/archive',
      'archive',
    ]) {
      const result = await runCli(['blocks', '--archive-db', url, '--pool', POOL, ...EPOCH_ARGS]);
      assert.equal(result.code, 64, url);
      assert.equal(
        result.stderr,
        'minapay: --archive-db (or $MINAPAY_ARCHIVE_DB) must be a postgres:// URL, such as postgres://user@host:5432/archive [USAGE]\n',
      );
    }
    const zero = await runCli(['blocks', '--archive-db', 'postgres://payout@127.0.0.1:9/archive', '--pool', POOL, ...EPOCH_ARGS, '--db-timeout', '0']);
    assert.equal(zero.code, 64);
    assert.match(zero.stderr, /--db-timeout must be a whole number from 1 to 2147483, not 0 \[USAGE\]/);
  });

  it('gives up on a server that accepts the connection but never answers after --db-timeout, with the try-later exit 75', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const started = Date.now();
      const result = await runCli([
        'blocks',
        '--archive-db',
        `postgres://payout@127.0.0.1:${port}/archive`,
        '--pool',
        POOL,
        ...EPOCH_ARGS,
        '--db-timeout',
        '1',
      ]);
      assert.equal(result.code, 75, result.stderr);
      assert.equal(
        result.stderr,
        `minapay: archive payout@127.0.0.1:${port}/archive: no connection within --db-timeout 1 s; try again later [ARCHIVE_TIMEOUT]\n`,
      );
      assert.ok(Date.now() - started < 10_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('fails a query that waits on a locked table after --db-timeout, exit 75, and writes nothing', { skip: needsSecondSession }, async () => {
    const archive = await createTestArchive('postgresql');
    const holder = new pg.Client({ connectionString: archive.url });
    try {
      await seedBlocks(archive, archiveChain());
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE blocks IN ACCESS EXCLUSIVE MODE');
      const output = join(tempDir(), 'blocks.json');
      const result = await runCli([
        'blocks',
        '--archive-db',
        archive.url,
        '--pool',
        POOL,
        ...EPOCH_ARGS,
        '--min-confirmations',
        '20',
        '--db-timeout',
        '1',
        '--output',
        output,
      ]);
      assert.equal(result.code, 75, result.stderr);
      assert.match(
        result.stderr,
        /^minapay: archive \S+: a query took longer than --db-timeout 1 s \(a locked table, or a busy server\); try again later \[ARCHIVE_TIMEOUT\]\n$/,
      );
      assert.equal(existsSync(output), false);
    } finally {
      // The lock goes before the schema is dropped, or the drop would wait on it.
      await holder.end().catch(() => undefined);
      await archive.close();
    }
  });

  it('turns a statement the server cancels at --db-timeout into ARCHIVE_TIMEOUT', { skip: needsServer }, async () => {
    const slow = withArchiveConnection(SERVER_URL!, 1, (client) => client.query('SELECT pg_sleep(5)'));
    await assert.rejects(slow, (error: unknown) => error instanceof MinapayError && error.code === 'ARCHIVE_TIMEOUT' && /--db-timeout 1 s/.test(error.message));
  });
});
