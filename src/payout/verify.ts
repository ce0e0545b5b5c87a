import { dirname } from 'node:path';

import { MinapayError } from '../errors.js';
import type { ReadOptions } from '../ledger/read.js';
import { blocksChainFacts, type BlockRecord } from '../blocks/block.js';
import { ERAS, type Era } from '../protocol/eras.js';
import { recordedCarry } from './carry-chain.js';
import type { NewAccounts } from './plan.js';
import { computePlanDocument, type EraChoice, type PlanRequest } from './plan-document.js';
import { documentInFormat, planHash, type PlanDocument, type StoredPlan } from './plan-file.js';

/**
 * Compares a plan as found on disk with the plan recomputed from its
 * inputs, the way a chain re-executes a submitted block before accepting
 * it. Returns the first discrepancy, or null when the plan holds. Sections
 * are checked in the order a reader would ask about them: were the inputs
 * the same, then the terms, the blocks, every line, the totals.
 */
export function firstDiscrepancy(found: PlanDocument, recomputed: PlanDocument): string | null {
  const sections = ['version', 'inputs', 'settings', 'era', 'network', 'epoch', 'pools', 'slots', 'blocks', 'lines', 'totals', 'commitment'];
  for (const section of sections) {
    const difference = firstDifference(found[section], recomputed[section], section);
    if (difference !== null) return difference;
  }
  const extra = Object.keys(found).find((key) => !(key in recomputed));
  if (extra !== undefined) return `${extra}: the plan has a field that planning does not write`;
  return planHash(found) === found.planHash ? null : "planHash: does not match the plan's contents";
}

function firstDifference(found: unknown, expected: unknown, path: string): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(found)) return `${path}: plan has ${JSON.stringify(found)}, recomputed an array`;
    for (let index = 0; index < Math.max(found.length, expected.length); index++) {
      const difference = firstDifference(found[index], expected[index], `${path}[${index}]${lineLabel(path, expected[index] ?? found[index])}`);
      if (difference !== null) return difference;
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    if (found === null || typeof found !== 'object' || Array.isArray(found)) return `${path}: plan has ${JSON.stringify(found)}, recomputed an object`;
    const keys = new Set([...Object.keys(expected), ...Object.keys(found)]);
    for (const key of keys) {
      const difference = firstDifference((found as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
      if (difference !== null) return difference;
    }
    return null;
  }
  return found === expected ? null : `${path}: plan has ${JSON.stringify(found) ?? 'nothing'}, recomputed ${JSON.stringify(expected) ?? 'nothing'}`;
}

/** Lines and blocks are named by their account or state hash as well as their index. */
function lineLabel(path: string, item: unknown): string {
  if (item === null || typeof item !== 'object') return '';
  const record = item as Record<string, unknown>;
  if (path === 'lines' && typeof record['pk'] === 'string') return ` (${record['pk']})`;
  if (path === 'blocks' && typeof record['stateHash'] === 'string') return ` (${record['stateHash']})`;
  return '';
}

/** The input files to recompute a plan from: those it records, or others with the same contents. */
export interface VerifyFiles {
  readonly ledger: string;
  readonly blocks: string;
  readonly overrides: string | undefined;
  readonly programs: string | undefined;
}

/**
 * Recomputes a plan from the given files and the terms, era and carry it
 * records, and compares; throws PLAN_NOT_VERIFIED naming the first
 * discrepancy.
 */
export async function verifyPlan(found: StoredPlan, planPath: string, files: VerifyFiles, read: ReadOptions): Promise<void> {
  const request = await recordedRequest(found, planPath, files);
  const { document } = await computePlanDocument(request, read);
  const recomputed = withRecordedPaths(document, found);
  // A plan of an earlier format is held to what planning wrote then (format 1: no ledger indexes, total currency or
  // commitment; formats 1 and 2: no payout rules).
  const discrepancy = firstDiscrepancy(found.document, documentInFormat(recomputed, found.version));
  if (discrepancy !== null) throw notVerified(planPath, discrepancy);
}

function notVerified(planPath: string, problem: string): MinapayError {
  return new MinapayError('PLAN_NOT_VERIFIED', `${planPath}: does not verify: ${problem}`);
}

/** The plan's own terms, era and carried amounts, with the files given to verify it. */
async function recordedRequest(found: StoredPlan, planPath: string, files: VerifyFiles): Promise<PlanRequest> {
  return {
    network: found.network,
    ...files,
    pools: found.pools,
    epoch: found.epoch,
    chooseEra: (blocks) => recordedEraOfBlocks(found, planPath, blocks, files.blocks),
    terms: found.terms,
    ...(await recordedCarry(dirname(dirname(planPath)), found, planPath)),
    newAccounts: found.inputs.newAccounts ?? null,
  };
}

/**
 * The plan recomputed from its recorded inputs (files as given) with another
 * answer to the new-account question: `payout sign` re-plans an epoch this
 * way, before anything is signed, when the payees without an account (or
 * the choice for them) differ from what the plan records.
 */
export async function replanWithNewAccounts(found: StoredPlan, planPath: string, files: VerifyFiles, read: ReadOptions, newAccounts: NewAccounts) {
  const request = await recordedRequest(found, planPath, files);
  return computePlanDocument({ ...request, newAccounts }, read);
}

/** The era the plan records; blocks that show their fork must show the fork the plan records. */
function recordedEraOfBlocks(found: StoredPlan, planPath: string, blocks: readonly BlockRecord[], blocksPath: string): EraChoice {
  const era = recordedEra(found);
  const chain = blocksChainFacts(blocks, blocksPath, 'blocks');
  if (chain !== null && chain.firstGlobalSlot !== era.firstGlobalSlot) {
    throw notVerified(planPath, `era.firstGlobalSlot: plan has ${era.firstGlobalSlot}, the blocks show a fork at ${chain.firstGlobalSlot}`);
  }
  return { era, learnedFrom: found.era.learnedFrom };
}

/** The era table's era of that name with the figures the plan records, or a fork the table does not know, as recorded. */
function recordedEra(found: StoredPlan): Era {
  const { name, firstGlobalSlot, slotsPerEpoch, baseCoinbase, superchargeFactor, burnAddress } = found.era;
  const recorded = { firstGlobalSlot, slotsPerEpoch, coinbase: baseCoinbase, superchargeFactor, burnAddress };
  const table = ERAS[found.network];
  const known = table.find((era) => era.name === name);
  return { ...(known ?? table.at(-1)!), ...recorded, name, source: 'as the plan records it' };
}

/** Files may have moved since planning: their contents (sha256) must match, not their paths. */
function withRecordedPaths(document: PlanDocument, found: StoredPlan): PlanDocument {
  const inputs = document['inputs'] as Record<string, Record<string, unknown> | null>;
  const recordedPath = {
    ledger: found.inputs.ledger.path,
    blocks: found.inputs.blocks.path,
    overrides: found.inputs.overrides?.path,
    programs: found.inputs.programs?.path,
  };
  const withPath = (name: keyof typeof recordedPath) => {
    const input = inputs[name];
    const path = recordedPath[name];
    return input === null || input === undefined || path === undefined ? input : { ...input, path };
  };
  return {
    ...document,
    inputs: { ...inputs, ledger: withPath('ledger'), blocks: withPath('blocks'), overrides: withPath('overrides'), programs: withPath('programs') },
  };
}
