import { stat } from 'node:fs/promises';

import { checkBlocksOfEra, type BlockRecord } from '../blocks/block.js';
import { parseBlocks } from '../blocks/file.js';
import { MinapayError } from '../errors.js';
import { type HashedText, readInputFile } from '../io/text-file.js';
import { poolDelegators, type PoolDelegators } from '../ledger/delegators.js';
import { fileInput, readLedger, type ReadOptions } from '../ledger/read.js';
import { type FieldHasher, poseidon } from '../protocol/pasta/poseidon.js';
import { epochSlots, type Era, type EraSource, type Network, type SlotRange } from '../protocol/eras.js';
import { planCommitment } from './commitment.js';
import { HASHING_THREAD_MIN_BYTES, HashingThread, ledgerDigestHere } from './hashing-thread.js';
import { mergeTerms, parseOverrides, parsePrograms } from './overrides.js';
import { computePlan, type DelegatorTerms, type NewAccounts, type Plan, type PlanSettings, type PlanTerms } from './plan.js';
import { planDocument, type PlanDocument, type PlanInputs } from './plan-file.js';
import type { ReportEpoch } from './report.js';

/** Everything a plan is computed from; `payout plan` takes it from options, `payout verify` from a plan.json. */
export interface PlanRequest {
  readonly network: Network;
  readonly ledger: string;
  readonly blocks: string;
  readonly overrides: string | undefined;
  readonly programs: string | undefined;
  readonly pools: readonly string[];
  readonly epoch: number;
  /** The era of the epoch, chosen once the blocks are read: they may show their fork. */
  readonly chooseEra: (blocks: readonly BlockRecord[]) => EraChoice;
  readonly terms: PlanTerms;
  readonly carriedIn: ReadonlyMap<string, bigint>;
  readonly carriedFrom: PlanInputs['carriedFrom'];
  /** Payees without an account and the choice for them, once signing has looked (absent before). */
  readonly newAccounts?: NewAccounts | null | undefined;
}

/** The era a plan is computed in, and how it was learned (plan.json records both). */
export interface EraChoice {
  readonly era: Era;
  readonly learnedFrom: EraSource | null;
}

export interface ComputedPlan {
  readonly document: PlanDocument;
  readonly plan: Plan;
  readonly blocks: readonly BlockRecord[];
  readonly delegation: PoolDelegators;
  /** Accounts the overrides name that have no line in the plan: a typo, or a delegator who left (a programs file lists accounts of every pool). */
  readonly unusedOverrides: readonly string[];
  /** What report.csv's rows of the epoch share. */
  readonly report: ReportEpoch;
}

/** How computePlanDocument reads: `hashingThreadFrom`, the ledger size (bytes) from which a second thread hashes (HASHING_THREAD_MIN_BYTES). */
export interface PlanReading extends ReadOptions {
  readonly hashingThreadFrom?: number;
  /**
   * The caller's work on the computed plan that needs no commitment (`payout
   * plan` renders report.csv), done once, while a second thread hashes the
   * commitment's leaves where there is one, else before they are hashed.
   */
  readonly whileHashing?: (plan: Plan, report: ReportEpoch) => void;
}

/**
 * Reads each input once, hashing the very bytes it parses, checks that the
 * inputs belong together, and computes the plan document. `read` reports the
 * ledger's progress and warnings. The small inputs are read and checked
 * before the ledger, so that a mistake in one fails at once, not after
 * minutes of reading a large ledger.
 */
export async function computePlanDocument(request: PlanRequest, read: PlanReading): Promise<ComputedPlan> {
  const small = await checkedSmallInputs(request);
  // Started once the small inputs are checked: its start-up on the other core made their reads and checks 10 to 20 ms
  // slower, and the ledger's first bytes need not wait for it, as the ring holds 4 MiB before the worker must take any.
  const hashing = (await fileSize(request.ledger)) >= (read.hashingThreadFrom ?? HASHING_THREAD_MIN_BYTES) ? hashingThreadIfAny() : null;
  try {
    const digest = hashing ?? ledgerDigestHere();
    const delegation = await poolDelegators(
      readLedger(fileInput(request.ledger), {
        ...read,
        onBytes: (chunk) => digest.ledgerBytes(chunk),
        ...(hashing === null ? {} : { bytesInto: () => hashing.ledgerMemory() }),
      }),
      request.pools,
      request.ledger,
    );
    // The thread is stopped once the commitment is hashed: its memory is not held while the documents are made, the plan's peak.
    return planOfInputs(request, small, delegation, digest.ledgerDigest(), {
      hasher: hashing ?? poseidon(),
      whileHashing: read.whileHashing,
      hashed: () => {
        // Awaited again below, where a failure to stop is reported.
        hashing?.stop().catch(() => undefined);
      },
    });
  } finally {
    await hashing?.stop();
  }
}

/** A hashing thread, or null where a worker cannot start: it only makes a plan faster, never a reason to fail one. */
function hashingThreadIfAny(): HashingThread | null {
  try {
    return new HashingThread();
  } catch {
    return null;
  }
}

/** The size of a file; -1 for what is not a file (a pipe) or cannot be read, which the read then reports. */
async function fileSize(path: string): Promise<number> {
  return stat(path).then(
    (stats) => (stats.isFile() ? stats.size : -1),
    () => -1,
  );
}

/** The blocks, overrides and programs, read and checked, and the era the blocks are of. */
interface SmallInputs extends EraChoice {
  readonly blocksFile: HashedText;
  readonly overridesFile: HashedText | null;
  readonly programsFile: HashedText | null;
  readonly blocks: readonly BlockRecord[];
  readonly slots: SlotRange;
  readonly overrides: ReadonlyMap<string, DelegatorTerms>;
  readonly programs: ReadonlyMap<string, DelegatorTerms>;
}

async function checkedSmallInputs(request: PlanRequest): Promise<SmallInputs> {
  const [blocksFile, overridesFile, programsFile] = await Promise.all([
    readInputFile(request.blocks, 'blocks file'),
    request.overrides === undefined ? null : readInputFile(request.overrides, 'overrides file'),
    request.programs === undefined ? null : readInputFile(request.programs, 'programs file'),
  ]);
  const blocks = parseBlocks(blocksFile.text, request.blocks);
  const { era, learnedFrom } = request.chooseEra(blocks);
  const slots = epochSlots(era, request.epoch);
  const overrides = overridesFile === null ? new Map<string, DelegatorTerms>() : parseOverrides(overridesFile.text, request.overrides!);
  const programs = programsFile === null ? new Map<string, DelegatorTerms>() : parsePrograms(programsFile.text, request.programs!);
  checkBlocksOfPool(blocks, request, era, slots);
  checkBlocksOfEra(blocks, era, request.blocks);
  return { blocksFile, overridesFile, programsFile, blocks, era, learnedFrom, slots, overrides, programs };
}

/** How planOfInputs hashes the commitment: with `hasher`, `whileHashing` beside it, and `hashed` called once it is hashed. */
interface PlanHashing {
  readonly hasher: FieldHasher;
  readonly whileHashing: PlanReading['whileHashing'];
  readonly hashed: () => void;
}

/** The plan of the checked inputs. */
function planOfInputs(request: PlanRequest, small: SmallInputs, delegation: PoolDelegators, ledgerHash: string, hashing: PlanHashing): ComputedPlan {
  const { blocksFile, overridesFile, programsFile, blocks, era, learnedFrom, slots, overrides, programs } = small;
  checkPoolsDelegated(delegation, request.ledger);
  const settings: PlanSettings = {
    ...request.terms,
    pools: delegation.pools,
    overrides: mergeTerms(programs, overrides),
    baseCoinbase: era.coinbase,
    superchargeFactor: era.superchargeFactor,
    burnAddress: era.burnAddress,
    carriedIn: request.carriedIn,
    newAccounts: request.newAccounts ?? null,
  };
  const plan = computePlan(delegation.delegators, blocks, settings);
  const inputs: PlanInputs = {
    ledger: {
      path: request.ledger,
      sha256: ledgerHash,
      accounts: delegation.accounts,
      delegators: delegation.delegators.length,
      totalStake: delegation.totalStake,
      totalCurrency: delegation.totalCurrency,
    },
    blocks: { path: request.blocks, sha256: blocksFile.sha256, count: blocks.length },
    overrides: request.overrides === undefined || overridesFile === null ? null : { path: request.overrides, sha256: overridesFile.sha256 },
    programs: request.programs === undefined || programsFile === null ? null : { path: request.programs, sha256: programsFile.sha256 },
    carriedFrom: request.carriedFrom,
    newAccounts: request.newAccounts ?? null,
  };
  const report = {
    epoch: request.epoch,
    pool: delegation.pools[0]!,
    blocksWon: blocks.length,
    feePayer: request.terms.feePayer,
    totalStake: delegation.totalStake,
  };
  const { whileHashing } = hashing;
  const commitment = planCommitment(plan.lines, request.epoch, request.network, {
    knownPoints: delegation.keyPoints,
    hasher: hashing.hasher,
    alongside: whileHashing === undefined ? undefined : () => whileHashing(plan, report),
  });
  hashing.hashed();
  const header = { network: request.network, epoch: request.epoch, pools: delegation.pools, era, eraLearnedFrom: learnedFrom, slots, inputs, settings };
  const document = planDocument(header, blocks, plan, commitment);
  const planned = new Set(plan.lines.map((line) => line.pk));
  return { document, plan, blocks, delegation, unusedOverrides: [...overrides.keys()].filter((pk) => !planned.has(pk)), report };
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
function checkBlocksOfPool(blocks: readonly BlockRecord[], request: PlanRequest, era: Era, slots: SlotRange): void {
  const pools = new Set(request.pools);
  for (const block of blocks) {
    const where = `${request.blocks}: block ${block.stateHash} at height ${block.height}`;
    if (!pools.has(block.creator)) {
      throw new MinapayError('BLOCKS_INVALID', `${where} was produced by ${block.creator}, not by a pool key (${request.pools.join(', ')}): is the key right?`);
    }
    if (block.globalSlotSinceGenesis < slots.first || block.globalSlotSinceGenesis > slots.last) {
      throw new MinapayError(
        'BLOCKS_INVALID',
        `${where} is at slot ${block.globalSlotSinceGenesis}, outside epoch ${request.epoch} of era ${era.name} (slots ${slots.first}-${slots.last})`,
      );
    }
  }
}
