import type { BlockRecord } from '../../src/blocks/block.js';
import type { Delegator } from '../../src/ledger/delegators.js';
import type { PlanSettings } from '../../src/payout/plan.js';
import { rational } from '../../src/protocol/rational.js';

/** Inputs of computePlan for the plan tests: a pool key, a burn address, plain settings, blocks and delegators. */

export const MINA = 1_000_000_000n;
export const POOL = 'B62qpool';
export const BURN = 'B62qburn';

/** The pool's settings with no rule switched on: 5% commission, fees shared, no carry, free payments. */
export const planSettings = (fields: Partial<PlanSettings> = {}): PlanSettings => ({
  pools: [POOL],
  commission: rational(5n, 100n),
  overrides: new Map(),
  fees: 'share',
  baseCoinbase: 720n * MINA,
  superchargeFactor: 1,
  burnAddress: BURN,
  selfPayTo: null,
  minPayout: 0n,
  txFee: 0n,
  feePayer: 'pool',
  carriedIn: new Map(),
  ...fields,
});

let height = 0;
/** A block of the pool at the next height (and slot 1000 + height), with no fees unless given. */
export const poolBlock = (winner: string, coinbase: bigint, fields: Partial<BlockRecord> = {}): BlockRecord => {
  height += 1;
  return {
    height,
    stateHash: `3N${height}`,
    globalSlotSinceGenesis: 1000 + height,
    globalSlotSinceHardFork: 1000 + height,
    creator: POOL,
    winner,
    coinbaseReceiver: POOL,
    coinbase,
    feeTransferToReceiver: 0n,
    feeTransferViaCoinbase: 0n,
    ...fields,
  };
};

export const untimed = (pk: string, balance: bigint): Delegator => ({ index: 0, pk, delegate: POOL, balance, timing: null });

/** Sums computed in the tests, not by the plan. */
export const sumOf = <T>(items: readonly T[], field: (item: T) => bigint) => items.reduce((total, item) => total + field(item), 0n);
