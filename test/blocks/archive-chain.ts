import type { ArchiveQuery } from '../../src/blocks/archive.js';
import type { SeedBlock } from './archive-db.js';

/** A small archive: one chain through an epoch, seeded by the archive and blocks-command tests. */
export const MINA = 1_000_000_000n;
export const POOL = 'B62qrMi68WSSWpmb3Yfp7ztzAFx6gUyF26VAzPNgYEoYKRASRj2pqZK';
const OTHER_PRODUCER = 'B62qoGasCeX5M5HyK95AKLh6eXK92tBgAfkVJPuS8A8NkATuMjRxSbF';
export const DELEGATOR_A = 'B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1';
export const DELEGATOR_B = 'B62qpR8BVdV86jgnzCzHebvAcSVnKb4yWigJBrUWmdDUZy1qsHtHUrG';
export const DELEGATOR_C = 'B62qnx5hKBFHZFUFjpEXzh2du8wRegCHrp3kL17gY7qxMBFQcBycJM5';
const OTHER_DELEGATOR = 'B62qj1zaXZxuRGzYfuq2KBSWvoei73uGZw4yqzRNTW6xiff5TGy6VJe';
const SNARK_WORKER = 'B62qrzgDHmFmnuq6HSLBd7kERXepvfKcoBqTRS4JcBCMETcdFk4rwG9';

/** Heights 10-19 (slots 100-199) make the epoch; the pool produced 12, 15 and 18 in it, and 5 and 22 outside it. */
export const EPOCH: ArchiveQuery['slots'] = { first: 100, last: 199 };

const POOL_BLOCKS: Record<number, Pick<SeedBlock, 'winner' | 'commands'>> = {
  5: { winner: DELEGATOR_A, commands: [{ type: 'coinbase', receiver: POOL, fee: 720n * MINA }] },
  12: {
    winner: DELEGATOR_A,
    commands: [
      { type: 'coinbase', receiver: POOL, fee: 720n * MINA },
      { type: 'fee_transfer', receiver: POOL, fee: 500_000_000n },
      { type: 'fee_transfer', receiver: SNARK_WORKER, fee: 100_000_000n },
      { type: 'fee_transfer_via_coinbase', receiver: SNARK_WORKER, fee: 200_000_000n },
      { type: 'fee_transfer', receiver: POOL, fee: 9n * MINA, status: 'failed' },
    ],
  },
  15: {
    winner: DELEGATOR_C,
    commands: [
      { type: 'coinbase', receiver: DELEGATOR_B, fee: 720n * MINA },
      { type: 'fee_transfer', receiver: DELEGATOR_B, fee: MINA },
      { type: 'fee_transfer', receiver: POOL, fee: 2n * MINA },
    ],
  },
  18: { winner: DELEGATOR_A, commands: [{ type: 'coinbase', receiver: POOL, fee: 1440n * MINA }] },
  22: { winner: DELEGATOR_C, commands: [{ type: 'coinbase', receiver: POOL, fee: 720n * MINA }] },
};

/** Heights 1-40 at ten slots each: canonical up to 25, pending above, and an orphaned rival of block 15. */
export function archiveChain(): SeedBlock[] {
  const chain: SeedBlock[] = [];
  for (let height = 1; height <= 40; height++) {
    const pool = POOL_BLOCKS[height];
    chain.push({
      height,
      slot: height * 10,
      stateHash: `3NKheight${height}`,
      parent: height === 1 ? null : `3NKheight${height - 1}`,
      creator: pool === undefined ? OTHER_PRODUCER : POOL,
      winner: pool?.winner ?? OTHER_DELEGATOR,
      status: height <= 25 ? 'canonical' : 'pending',
      commands: pool?.commands ?? [{ type: 'coinbase', receiver: OTHER_PRODUCER, fee: 720n * MINA }],
    });
    if (height === 15) {
      chain.push({
        height,
        slot: 151,
        stateHash: '3NKorphan15',
        parent: '3NKheight14',
        creator: POOL,
        winner: DELEGATOR_C,
        status: 'orphaned',
        commands: [{ type: 'coinbase', receiver: POOL, fee: 720n * MINA }],
      });
    }
  }
  return chain;
}
