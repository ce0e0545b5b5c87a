import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { join } from 'node:path';

import Client from 'mina-signer';

import { readArchiveBlocks, readCommandsOnChain, type ArchiveQuery } from '../../src/blocks/archive.js';
import { readSendLog } from '../../src/payout/send-log.js';
import type { ArchiveChain } from '../../src/payout/send.js';
import { paymentViews } from '../../src/payout/status.js';
import { MinapayError, type ErrorCode } from '../../src/errors.js';
import { archiveChain, DELEGATOR_A, DELEGATOR_B, DELEGATOR_C, EPOCH, MINA, POOL } from './archive-chain.js';
import { tempDir } from '../helpers.js';
import { failure, FUNDS, sendOnce, sender, signedFixture } from '../payout/send-fixture.js';
import { StandInDaemon } from '../payout/stand-in-daemon.js';
import { createTestArchive, ENGINES, seedBlocks, type Engine, type SeedBlock, type TestArchive } from './archive-db.js';

async function withArchive(engine: Engine, test: (archive: TestArchive) => Promise<void>): Promise<void> {
  const archive = await createTestArchive(engine);
  try {
    await seedBlocks(archive, archiveChain());
    await test(archive);
  } finally {
    await archive.close();
  }
}

const query = (fields: Partial<ArchiveQuery> = {}): ArchiveQuery => ({ pools: [POOL], slots: EPOCH, minConfirmations: 20, allowPending: false, ...fields });
const failsWith = (code: ErrorCode, text: RegExp) => (error: unknown) => error instanceof MinapayError && error.code === code && text.test(error.message);

for (const engine of ENGINES)
  describe(`readArchiveBlocks on ${engine}`, () => {
    it("reads the pool's blocks on the best chain in the epoch with their reward parts, leaving out orphans, failed commands and other epochs", () =>
      withArchive(engine, async (archive) => {
        const result = await readArchiveBlocks(archive.client, query());
        assert.deepEqual(result.bestTip, { height: 40, stateHash: '3NKheight40' });
        assert.equal(result.epochConfirmations, 21);
        assert.equal(result.final, true);
        assert.deepEqual(
          result.blocks.map((b) => [
            b.height,
            b.stateHash,
            b.globalSlotSinceGenesis,
            b.globalSlotSinceHardFork,
            b.winner,
            b.coinbaseReceiver,
            b.coinbase,
            b.feeTransferToReceiver,
            b.feeTransferViaCoinbase,
          ]),
          [
            [12, '3NKheight12', 120, 20, DELEGATOR_A, POOL, 720n * MINA, 500_000_000n, 200_000_000n],
            [15, '3NKheight15', 150, 50, DELEGATOR_C, DELEGATOR_B, 720n * MINA, MINA, 0n],
            [18, '3NKheight18', 180, 80, DELEGATOR_A, POOL, 1440n * MINA, 0n, 0n],
          ],
        );
        for (const block of result.blocks) assert.equal(block.creator, POOL);
      }));

    it('refuses an epoch whose last block has too few confirmations, and reads it with --allow-pending', () =>
      withArchive(engine, async (archive) => {
        await assert.rejects(readArchiveBlocks(archive.client, query({ minConfirmations: 30 })), failsWith('EPOCH_NOT_FINAL', /21 of 30 confirmations/));
        const pending = await readArchiveBlocks(archive.client, query({ minConfirmations: 30, allowPending: true }));
        assert.equal(pending.final, false);
        assert.equal(pending.blocks.length, 3);
        await assert.rejects(
          readArchiveBlocks(archive.client, query({ slots: { first: 390, last: 489 } })),
          failsWith('EPOCH_NOT_FINAL', /best tip at height 40/),
        );
      }));

    it('refuses an archive whose chain breaks at a missing parent before the epoch starts', () =>
      withArchive(engine, async (archive) => {
        await archive.exec(`UPDATE blocks SET parent_id = NULL WHERE state_hash = '3NKheight11'`);
        await assert.rejects(
          readArchiveBlocks(archive.client, query()),
          failsWith('ARCHIVE_GAP', /below block 3NKheight11 at height 11 .*before the start of the epoch/),
        );
      }));

    it('refuses a chain that skips heights, and a canonical block that is not an ancestor of the tip', () =>
      withArchive(engine, async (archive) => {
        await archive.exec(`UPDATE blocks SET parent_id = (SELECT id FROM blocks WHERE state_hash = '3NKheight17') WHERE state_hash = '3NKheight19'`);
        await assert.rejects(readArchiveBlocks(archive.client, query()), failsWith('ARCHIVE_GAP', /3NKheight17 .* heights are missing/));
        await archive.exec(`UPDATE blocks SET parent_id = (SELECT id FROM blocks WHERE state_hash = '3NKheight18') WHERE state_hash = '3NKheight19'`);
        await archive.exec(`UPDATE blocks SET chain_status = 'canonical' WHERE state_hash = '3NKorphan15'`);
        await assert.rejects(readArchiveBlocks(archive.client, query()), failsWith('ARCHIVE_GAP', /3NKorphan15 .* not an ancestor of the best tip/));
      }));

    it('with trustParentLinks, follows the links past labels that disagree, reporting each such block once, and still refuses a gap', () =>
      withArchive(engine, async (archive) => {
        await archive.exec(`UPDATE blocks SET chain_status = 'orphaned' WHERE state_hash IN ('3NKheight15', '3NKheight19')`);
        await archive.exec(`UPDATE blocks SET chain_status = 'canonical' WHERE state_hash = '3NKorphan15'`);
        await assert.rejects(
          readArchiveBlocks(archive.client, query()),
          failsWith('ARCHIVE_GAP', /3NKheight19 at height 19 is on the best chain but marked orphaned/),
        );
        const trusted = await readArchiveBlocks(archive.client, query({ trustParentLinks: true }));
        assert.deepEqual(
          trusted.blocks.map((b) => b.stateHash),
          ['3NKheight12', '3NKheight15', '3NKheight18'],
        );
        assert.deepEqual(
          trusted.labelDisagreements.map((d) => [d.stateHash, d.height]),
          [
            ['3NKheight19', 19],
            ['3NKheight15', 15],
            ['3NKorphan15', 15],
          ],
        );
        await archive.exec(`UPDATE blocks SET parent_id = (SELECT id FROM blocks WHERE state_hash = '3NKheight17') WHERE state_hash = '3NKheight19'`);
        await assert.rejects(readArchiveBlocks(archive.client, query({ trustParentLinks: true })), failsWith('ARCHIVE_GAP', /heights are missing/));
      }));

    it('reads the pre-Berkeley schema too: internal_commands.type, BIGINT fees, no statuses', () =>
      withArchive(engine, async (archive) => {
        await archive.exec(`DELETE FROM blocks_internal_commands WHERE status = 'failed'`);
        await archive.exec('ALTER TABLE internal_commands RENAME COLUMN command_type TO type');
        await archive.exec('ALTER TABLE internal_commands ALTER COLUMN fee TYPE bigint USING fee::bigint');
        await archive.exec('ALTER TABLE blocks_internal_commands DROP COLUMN status');
        const result = await readArchiveBlocks(archive.client, query());
        assert.deepEqual(
          result.blocks.map((b) => [b.height, b.coinbase, b.feeTransferToReceiver, b.feeTransferViaCoinbase]),
          [
            [12, 720n * MINA, 500_000_000n, 200_000_000n],
            [15, 720n * MINA, MINA, 0n],
            [18, 1440n * MINA, 0n, 0n],
          ],
        );
      }));

    it('answers an empty list for a pool without blocks in a final epoch, and names a database that is not an archive', async () => {
      await withArchive(engine, async (archive) => {
        const result = await readArchiveBlocks(archive.client, query({ pools: [DELEGATOR_B] }));
        assert.deepEqual(result.blocks, []);
        assert.equal(result.final, true);
      });
      const empty = await createTestArchive(engine);
      try {
        await assert.rejects(readArchiveBlocks(empty.client, query()), failsWith('ARCHIVE_GAP', /holds no blocks/));
        await empty.exec('DROP TABLE blocks CASCADE');
        await assert.rejects(readArchiveBlocks(empty.client, query()), failsWith('ARCHIVE_INVALID', /is this a Mina archive database/));
      } finally {
        await empty.close();
      }
    });
  });

/** The fixture plan's two payments, signed from nonce 4, that the archive shows in a block the daemon no longer holds. */
const signed = signedFixture();

for (const engine of ENGINES)
  describe(`readCommandsOnChain on ${engine}: the archive as a second source of payments`, () => {
    it('finds the payments of a block the daemon no longer holds, by ancestry (not a side branch): final or failed by their depth there', async () => {
      const daemon = await new StandInDaemon({ network: 'mainnet', accounts: { [sender.publicKey]: { balance: FUNDS, nonce: 4n } } }).start();
      const logPath = join(tempDir(), 'send-log.jsonl');
      await sendOnce(daemon.url, signed, logPath);
      // The payments went into a block long ago: the daemon's frontier has moved on and no longer shows it.
      daemon.includePool();
      daemon.frontierLength = 1;
      daemon.addEmptyBlocks(30);
      const archive = await createTestArchive(engine);
      try {
        await seedBlocks(archive, archiveWithPayments());
        const chain: ArchiveChain = { commandsOnChain: (from, hashes, nonces) => readCommandsOnChain(archive.client, { sender: from, hashes, nonces }) };
        const stopped = failure(await sendOnce(daemon.url, signed, logPath, { archive: chain }));
        assert.equal(stopped.code, 'PAYMENT_REJECTED');
        const views = paymentViews({ sender: signed.sender, payments: signed.payments, supplementOf: new Map() }, await readSendLog(logPath));
        assert.deepEqual(
          views.map((view) => [view.status, view.block?.height, view.depth, view.reason, view.settled]),
          [
            ['final', '2', 15, null, true],
            ['failed', '2', 15, 'Amount_insufficient_to_create_account', true],
          ],
        );
        const sources = (await readSendLog(logPath)).flatMap((record) => ('source' in record ? [record.source] : []));
        assert.deepEqual(sources, ['archive', 'archive']);
      } finally {
        await archive.close();
        await daemon.stop();
      }
    });
  });

/**
 * Heights 1-17 on one chain (tip 17): block 2 holds payment 4 applied and
 * payment 5 failed, 15 deep (final at the default confirmations); an
 * orphaned rival of block 2 holds payment 5 applied, which must not count.
 */
function archiveWithPayments(): SeedBlock[] {
  const producer = new Client({ network: 'mainnet' }).genKeys().publicKey;
  const [four, five] = signed.payments;
  const command = (payment: typeof four, status: 'applied' | 'failed') => ({
    hash: payment!.hash,
    feePayer: sender.publicKey,
    receiver: payment!.data.to,
    nonce: payment!.nonce,
    amount: BigInt(payment!.data.amount),
    fee: BigInt(payment!.data.fee),
    status,
    ...(status === 'failed' ? { failureReason: 'Amount_insufficient_to_create_account' } : {}),
  });
  const blocks: SeedBlock[] = [];
  for (let height = 1; height <= 17; height += 1) {
    blocks.push({
      height,
      slot: height * 10,
      stateHash: `3NKpay${height}`,
      parent: height === 1 ? null : `3NKpay${height - 1}`,
      creator: producer,
      winner: producer,
      status: height <= 2 ? 'canonical' : 'pending',
      userCommands: height === 2 ? [command(four, 'applied'), command(five, 'failed')] : [],
    });
    if (height === 2) {
      blocks.push({
        height,
        slot: 21,
        stateHash: '3NKpayOrphan2',
        parent: '3NKpay1',
        creator: producer,
        winner: producer,
        status: 'orphaned',
        userCommands: [command(five, 'applied')],
      });
    }
  }
  return blocks;
}
