import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { createTestArchive, type TestArchive } from '../blocks/archive-db.js';
import { fixture, tempDir } from '../helpers.js';
import { runCli } from './run.js';

/**
 * `minapay blocks` on a real archive dump whose labels disagree with its
 * parent links: o1-labs/Archive-Node-API's test database (fixtures/archive/
 * archive-node-api-devnet.sql), whose best tip's parent is marked orphaned.
 */

const DUMP = readFileSync(fixture('archive', 'archive-node-api-devnet.sql'), 'utf8');
/** The producer of heights 2-9 and 23-25 on the chain of parent links (heights 10-22 are the other producer's). */
const PRODUCER = 'B62qrhZ9j56NuJefZeGADuBsMvLNkyiJC6u2G88SUUz8uEbqNW3AEDv';
const OTHER_PRODUCER = 'B62qrtTgyssCJFm7Z44Hs99vDuLCmm7xZF6jbGf7xkmMg8mx4cXHZGA';
/** Height 24: the best tip's parent, marked orphaned. */
const ORPHANED_PARENT = '3NK56TD3efj9BU3DsXeRYV6vAUrNkkw2iFv2FoWet1oyFfTRmBAc';
/** Devnet software of the Mesa era (360 MINA coinbases), its chain started at slot 0: every block is in epoch 0, not final yet. */
const EPOCH_ARGS = [
  '--network',
  'devnet',
  '--era',
  'mesa',
  '--era-start-slot',
  '0',
  '--era-start-time',
  '2025-11-23T15:43:38Z',
  '--epoch',
  '0',
  '--allow-pending',
];

interface BlockJson {
  readonly height: number;
  readonly stateHash: string;
  readonly coinbase: string;
  readonly feeTransferToReceiver: string;
  readonly feeTransferViaCoinbase: string;
}

async function dumpArchive(): Promise<TestArchive> {
  const archive = await createTestArchive();
  await archive.exec(DUMP);
  return archive;
}

/** Each block's reward parts summed straight from its raw rows, in SQL: applied internal commands, fee transfers to its coinbase's receiver. */
async function rawSums(archive: TestArchive): Promise<Map<string, Omit<BlockJson, 'height' | 'stateHash'>>> {
  const { rows } = await archive.client.query(
    `SELECT b.state_hash,
            COALESCE(SUM(ic.fee::numeric) FILTER (WHERE ic.command_type = 'coinbase'), 0)::text AS coinbase,
            COALESCE(SUM(ic.fee::numeric) FILTER (WHERE ic.command_type = 'fee_transfer' AND ic.receiver_id = (
              SELECT c.receiver_id FROM blocks_internal_commands cb JOIN internal_commands c ON c.id = cb.internal_command_id
               WHERE cb.block_id = b.id AND c.command_type = 'coinbase' LIMIT 1)), 0)::text AS fee_transfer_to_receiver,
            COALESCE(SUM(ic.fee::numeric) FILTER (WHERE ic.command_type = 'fee_transfer_via_coinbase'), 0)::text AS fee_transfer_via_coinbase
       FROM blocks b
       JOIN blocks_internal_commands bic ON bic.block_id = b.id AND bic.status = 'applied'
       JOIN internal_commands ic ON ic.id = bic.internal_command_id
      GROUP BY b.id, b.state_hash`,
  );
  return new Map(
    (rows as Record<string, string>[]).map((row) => [
      row['state_hash']!,
      { coinbase: row['coinbase']!, feeTransferToReceiver: row['fee_transfer_to_receiver']!, feeTransferViaCoinbase: row['fee_transfer_via_coinbase']! },
    ]),
  );
}

describe('minapay blocks on an archive whose chain_status labels disagree with its parent links', () => {
  it('refuses it by default naming the block, and with --trust-parent-links counts the chain of links, warning once for that block', async () => {
    const archive = await dumpArchive();
    try {
      const output = join(tempDir(), 'blocks.json');
      const base = ['blocks', '--archive-db', archive.url, '--pool', PRODUCER, ...EPOCH_ARGS, '--output', output];
      const refused = await runCli(base);
      assert.equal(refused.code, 65, refused.stderr);
      assert.equal(
        refused.stderr,
        `minapay: archive: block ${ORPHANED_PARENT} at height 24 is on the best chain but marked orphaned ` +
          '(--trust-parent-links counts the chain of parent links from the best tip) [ARCHIVE_GAP]\n',
      );
      assert.equal(existsSync(output), false);

      const trusted = await runCli([...base, '--trust-parent-links']);
      assert.equal(trusted.code, 0, trusted.stderr);
      const warnings = trusted.stderr.split('\n').filter((line) => line.startsWith('minapay: warning:'));
      assert.deepEqual(warnings, [
        `minapay: warning: archive: block ${ORPHANED_PARENT} at height 24 is on the best chain but marked orphaned; its parent links were followed`,
      ]);
      assert.match(trusted.stderr, /11 blocks by the pool, rewards 4245\.746000000 MINA; best tip height 25/);
      const blocks = JSON.parse(readFileSync(output, 'utf8')) as BlockJson[];
      assert.deepEqual(
        blocks.map((b) => b.height),
        [2, 3, 4, 5, 6, 7, 8, 9, 23, 24, 25],
      );
      // Each block's reward parts are the sums of its raw rows.
      const sums = await rawSums(archive);
      for (const block of blocks) {
        const { coinbase, feeTransferToReceiver, feeTransferViaCoinbase } = block;
        assert.deepEqual({ coinbase, feeTransferToReceiver, feeTransferViaCoinbase }, sums.get(block.stateHash), `height ${block.height}`);
      }
    } finally {
      await archive.close();
    }
  });

  it('never counts two blocks of one height: a sibling of the best tip labelled canonical is left out, and named', async () => {
    const archive = await dumpArchive();
    try {
      // A second block at the tip's height 25, on the orphaned height-24 sibling (id 38), labelled canonical like the tip, from the same producer.
      await archive.exec(
        `INSERT INTO blocks (id, state_hash, parent_id, parent_hash, creator_id, block_winner_id, last_vrf_output, snarked_ledger_hash_id,
           staking_epoch_data_id, next_epoch_data_id, min_window_density, sub_window_densities, total_currency, ledger_hash, height,
           global_slot_since_hard_fork, global_slot_since_genesis, protocol_version_id, timestamp, chain_status)
         SELECT 40, '3NLzzSiblingOfTheTip', 38, state_hash, 37, 226, 'vrf', 1, 1, 40, 0, '{}', total_currency, ledger_hash,
                25, 61, 61, 1, '1763914448000', 'canonical'
           FROM blocks WHERE id = 38;
         INSERT INTO blocks_internal_commands (block_id, internal_command_id, sequence_no, secondary_sequence_no, status) VALUES (40, 33, 0, 0, 'applied');`,
      );
      const base = ['blocks', '--archive-db', archive.url, '--pool', PRODUCER, ...EPOCH_ARGS];
      assert.equal((await runCli(base)).code, 65);
      const trusted = await runCli([...base, '--trust-parent-links']);
      assert.equal(trusted.code, 0, trusted.stderr);
      const heights = (JSON.parse(trusted.stdout) as BlockJson[]).map((b) => b.height);
      assert.deepEqual(heights, [2, 3, 4, 5, 6, 7, 8, 9, 23, 24, 25]);
      assert.equal((JSON.parse(trusted.stdout) as BlockJson[]).at(-1)?.stateHash, '3NKngPyEaCp1bSk6sT5xBME3YbkhPtLF1XBhbzxaPf2Z6hAp1zUk');
      assert.equal(trusted.stderr.split('\n').filter((line) => line.startsWith('minapay: warning:')).length, 2);
      assert.match(trusted.stderr, /warning: archive: block 3NLzzSiblingOfTheTip at height 25 is marked canonical but is not an ancestor of the best tip/);
      // The other producer's blocks, heights 10 to 22, all agree with their labels.
      const other = await runCli(['blocks', '--archive-db', archive.url, '--pool', OTHER_PRODUCER, ...EPOCH_ARGS, '--trust-parent-links', '--quiet']);
      assert.deepEqual(
        (JSON.parse(other.stdout) as BlockJson[]).map((b) => b.height),
        [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22],
      );
    } finally {
      await archive.close();
    }
  });
});
