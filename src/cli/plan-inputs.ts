import type { BlockRecord } from '../blocks/block.js';
import { readBlocksFile } from '../blocks/file.js';
import { MinapayError } from '../errors.js';
import { sha256File } from '../io/sha256.js';
import { poolDelegators, type PoolDelegators } from '../ledger/delegators.js';
import { readOverridesFile } from '../payout/overrides.js';
import { computePlan, type DelegatorTerms, type Plan, type PlanSettings } from '../payout/plan.js';
import { planDocument, type PlanDocument, type PlanInputs } from '../payout/plan-file.js';
import { epochSlots, type Era, type SlotRange } from '../protocol/eras.js';
import type { CliContext } from './context.js';
import { ledgerAccounts } from './ledger-source.js';

/** The pool's terms for an epoch: everything of PlanSettings that is not read from a file. */
export type PlanTerms = Pick<PlanSettings, 'commission' | 'fees' | 'minPayout' | 'txFee' | 'feePayer'>;

/** Everything a plan is computed from; `payout plan` takes it from options, `payout verify` from a plan.json. */
export interface PlanRequest {
  readonly network: string;
  readonly ledger: string;
  readonly blocks: string;
  readonly overrides: string | undefined;
  readonly pools: readonly string[];
  readonly epoch: number;
  readonly era: Era;
  readonly terms: PlanTerms;
  readonly carriedIn: ReadonlyMap<string, bigint>;
  readonly carriedFrom: PlanInputs['carriedFrom'];
}

export interface ComputedPlan {
  readonly document: PlanDocument;
  readonly plan: Plan;
  readonly blocks: readonly BlockRecord[];
  readonly delegation: PoolDelegators;
  /** Accounts the overrides name that have no line in the plan: a typo, or a delegator who left. */
  readonly unusedOverrides: readonly string[];
}

/** Reads and hashes the inputs, checks that they belong together, and computes the plan document. */
export async function computePlanDocument(request: PlanRequest, context: CliContext, quiet: boolean): Promise<ComputedPlan> {
  const slots = epochSlots(request.era, request.epoch);
  const { name, accounts } = ledgerAccounts(request.ledger, context, quiet);
  const [delegation, ledgerHash, blocks, blocksHash, overrides, overridesHash] = await Promise.all([
    poolDelegators(accounts, request.pools, name),
    sha256File(request.ledger),
    readBlocksFile(request.blocks),
    sha256File(request.blocks),
    request.overrides === undefined ? new Map<string, DelegatorTerms>() : readOverridesFile(request.overrides),
    request.overrides === undefined ? null : sha256File(request.overrides),
  ]);
  checkPoolsDelegated(delegation, request.ledger);
  checkBlocksOfPool(blocks, request, slots);
  const settings: PlanSettings = {
    ...request.terms,
    pools: delegation.pools,
    overrides,
    baseCoinbase: request.era.coinbase,
    superchargeFactor: request.era.superchargeFactor,
    carriedIn: request.carriedIn,
  };
  const plan = computePlan(delegation.delegators, blocks, settings);
  const inputs: PlanInputs = {
    ledger: {
      path: request.ledger,
      sha256: ledgerHash,
      accounts: delegation.accounts,
      delegators: delegation.delegators.length,
      totalStake: delegation.totalStake,
    },
    blocks: { path: request.blocks, sha256: blocksHash, count: blocks.length },
    overrides: request.overrides === undefined || overridesHash === null ? null : { path: request.overrides, sha256: overridesHash },
    carriedFrom: request.carriedFrom,
  };
  const document = planDocument(
    { network: request.network, epoch: request.epoch, pools: delegation.pools, era: request.era, slots, inputs, settings },
    blocks,
    plan,
  );
  const planned = new Set(plan.lines.map((line) => line.pk));
  return { document, plan, blocks, delegation, unusedOverrides: [...overrides.keys()].filter((pk) => !planned.has(pk)) };
}

/** A pool key nobody delegates to is a typo, or a ledger of another pool. */
function checkPoolsDelegated(delegation: PoolDelegators, ledger: string): void {
  const delegated = new Set(delegation.delegators.map((d) => d.delegate));
  const idle = delegation.pools.find((pool) => !delegated.has(pool));
  if (idle !== undefined)
    throw new MinapayError(
      'PLAN_LEDGER_MISMATCH',
      `${ledger}: no account delegates to pool key ${idle}: is the key right, and is this the pool's staking ledger?`,
    );
}

/** Every block must be the pool's, and in the epoch being paid. */
function checkBlocksOfPool(blocks: readonly BlockRecord[], request: PlanRequest, slots: SlotRange): void {
  const pools = new Set(request.pools);
  for (const block of blocks) {
    const where = `${request.blocks}: block ${block.stateHash} at height ${block.height}`;
    if (!pools.has(block.creator)) throw new MinapayError('BLOCKS_INVALID', `${where} was produced by ${block.creator}, not by a pool key`);
    if (block.globalSlotSinceGenesis < slots.first || block.globalSlotSinceGenesis > slots.last) {
      throw new MinapayError(
        'BLOCKS_INVALID',
        `${where} is at slot ${block.globalSlotSinceGenesis}, outside epoch ${request.epoch} of era ${request.era.name} (slots ${slots.first}-${slots.last})`,
      );
    }
  }
}
