import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { readBlocksFile } from '../../src/blocks/file.js';
import { archiveChain, POOL } from '../blocks/archive-chain.js';
import { createTestArchive, seedBlocks, SERVER_URL } from '../blocks/archive-db.js';
import { tempDir } from '../helpers.js';
import { runCli } from './run.js';

/** The test chain's epoch: slots 100-199 are epoch 1 of an era of 100-slot epochs from slot 0. */
const EPOCH_ARGS = ['--era', 'berkeley', '--era-start-slot', '0', '--era-start-time', '2024-06-05T00:00:00Z', '--slots-per-epoch', '100', '--epoch', '1'];
const needsServer = SERVER_URL === null ? 'needs a PostgreSQL server (MINAPAY_TEST_DATABASE_URL); the queries themselves are tested on PGlite' : false;

describe('minapay blocks', () => {
  it("writes the pool's final blocks of an epoch as a blocks file, and refuses a pending epoch or a gap without writing", { skip: needsServer }, async () => {
    const archive = await createTestArchive();
    try {
      await seedBlocks(archive, archiveChain());
      const dir = tempDir();
      const output = join(dir, 'blocks.json');
      const base = ['blocks', '--archive-db', archive.url!, '--pool', POOL, ...EPOCH_ARGS];
      const result = await runCli([...base, '--min-confirmations', '20', '--output', output]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /3 blocks by the pool, rewards 2881\.300000000 MINA; best tip height 40, epoch final with 21 confirmations/);
      assert.deepEqual(
        (await readBlocksFile(output)).map((b) => b.height),
        [12, 15, 18],
      );

      const csv = await runCli([...base, '--min-confirmations', '20', '--format', 'csv']);
      assert.equal(
        csv.stdout.split('\n')[0],
        'height,stateHash,globalSlotSinceGenesis,globalSlotSinceHardFork,creator,winner,coinbaseReceiver,coinbase,feeTransferToReceiver,feeTransferViaCoinbase',
      );

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

  it('names an unreachable archive without its password, with its own exit code', async () => {
    const result = await runCli(['blocks', '--pool', POOL, ...EPOCH_ARGS], { env: { MINAPAY_ARCHIVE_DB: 'postgres://payout:s3cret-pw@127.0.0.1:9/archive' } });
    assert.equal(result.code, 69);
    assert.match(result.stderr, /archive payout@127\.0\.0\.1:9\/archive: cannot connect/);
    assert.doesNotMatch(result.stderr, /s3cret/);
  });
});
