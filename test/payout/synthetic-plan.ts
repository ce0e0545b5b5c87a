import type { BlockRecord } from '../../src/blocks/block.js';
import type { Delegator } from '../../src/ledger/delegators.js';
import { planCommitment } from '../../src/payout/commitment.js';
import { computePlan, type PlanSettings } from '../../src/payout/plan.js';
import { formatPlanDocument, planDocument, readPlanDocument, type StoredPlan } from '../../src/payout/plan-file.js';
import { epochSlots, eraNamed, ERAS } from '../../src/protocol/eras.js';
import { rational } from '../../src/protocol/rational.js';
import { isPallasX, publicKeyWithX } from '../helpers.js';

const MINA = 1_000_000_000n;
const EPOCH = 5;

/** The first `count` valid public keys with x from 1000 up (even y): many distinct keys, made without a signer. */
function validKeys(count: number): string[] {
  const keys: string[] = [];
  for (let x = 1000n; keys.length < count; x++) if (isPallasX(x)) keys.push(publicKeyWithX(x));
  return keys;
}

/**
 * A plan of `delegators` lines as payout plan writes one, read back: one
 * pool key, delegators with balances from 1 to about 10,000 MINA, a block
 * every 400 slots won by one of them, 8% commission, fees paid by the pool.
 */
export function syntheticPlan(delegators: number): StoredPlan {
  const [pool, ...keys] = validKeys(delegators + 1);
  const accounts: Delegator[] = keys.map((pk, index) => ({
    index: index + 1,
    pk,
    delegate: pool!,
    balance: BigInt(1 + ((index * 7919) % 10_000)) * MINA,
    timing: null,
  }));
  const era = eraNamed(ERAS.mainnet, 'berkeley');
  const slots = epochSlots(era, EPOCH);
  const blocks: BlockRecord[] = Array.from({ length: 17 }, (_, i) => ({
    height: 400_000 + i,
    stateHash: `3NKsynthetic${i}`,
    globalSlotSinceGenesis: slots.first + 20 + i * 400,
    globalSlotSinceHardFork: slots.first - era.firstGlobalSlot! + 20 + i * 400,
    creator: pool!,
    winner: accounts[(i * 37) % accounts.length]!.pk,
    coinbaseReceiver: pool!,
    coinbase: era.coinbase,
    feeTransferToReceiver: BigInt(i) * 10_000_000n,
    feeTransferViaCoinbase: 0n,
  }));
  const settings: PlanSettings = {
    pools: [pool!],
    commission: rational(8n, 100n),
    overrides: new Map(),
    fees: 'share',
    baseCoinbase: era.coinbase,
    superchargeFactor: 1,
    burnAddress: era.burnAddress,
    selfPayTo: null,
    minPayout: 0n,
    txFee: 10_000_000n,
    feePayer: 'pool',
    carriedIn: new Map(),
  };
  const totalStake = accounts.reduce((sum, account) => sum + account.balance, 0n);
  const inputs = {
    ledger: { path: 'synthetic.json', sha256: '0'.repeat(64), accounts: delegators + 1, delegators, totalStake, totalCurrency: totalStake * 40n },
    blocks: { path: 'synthetic.blocks.json', sha256: '0'.repeat(64), count: blocks.length },
    overrides: null,
    programs: null,
    carriedFrom: null,
  };
  const plan = computePlan(accounts, blocks, settings);
  const header = { network: 'mainnet', epoch: EPOCH, pools: [pool!], era, eraLearnedFrom: 'table', slots, inputs, settings } as const;
  const document = planDocument(header, blocks, plan, planCommitment(plan.lines, EPOCH, 'mainnet'));
  return readPlanDocument(formatPlanDocument(document), 'synthetic/plan.json');
}
