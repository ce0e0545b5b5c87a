import { dirname } from 'node:path';
import type { Argv } from 'yargs';

import { MinapayError } from '../../errors.js';
import { readInputText } from '../../io/text-file.js';
import { recordedCarry } from '../../payout/carry-chain.js';
import { readPlanFile } from '../../payout/journal.js';
import { readPlanDocument, storedPlan, type PlanDocument } from '../../payout/plan-file.js';
import { firstDiscrepancy } from '../../payout/verify.js';
import { ERAS, eraNamed, withOverrides, type Network } from '../../protocol/eras.js';
import type { CliContext } from '../context.js';
import { archiveOptions, chosenLedger } from '../ledger-source.js';
import { commissionOption, globalOptions, type RawArgs } from '../options.js';
import { computePlanDocument, type PlanRequest } from '../plan-inputs.js';

export interface VerifyFiles {
  readonly ledger: string;
  readonly blocks: string;
  readonly overrides: string | undefined;
}

export function builder(yargs: Argv): Argv {
  return archiveOptions(yargs)
    .positional('plan', { type: 'string', demandOption: true, describe: 'a plan.json written by `payout plan`' })
    .option('ledger', { type: 'string', describe: 'the staking ledger the plan was computed from (or --archive)' })
    .option('blocks', { type: 'string', demandOption: true, describe: 'the blocks file the plan was computed from' })
    .option('overrides', { type: 'string', describe: 'the overrides file, if the plan used one' });
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const { network, quiet } = globalOptions(args);
  const plan = String(args['plan']);
  // An archived ledger is the one of the plan's own network and epoch.
  const recorded = args['archive'] === undefined ? undefined : await readPlanFile(plan);
  const ledger = await chosenLedger(args, recorded?.network ?? network, recorded?.epoch);
  const files: VerifyFiles = { ledger, blocks: String(args['blocks']), overrides: typeof args['overrides'] === 'string' ? args['overrides'] : undefined };
  const document = await verifyPlan(plan, files, context, quiet);
  context.stdout.write(
    `${plan}: verified: epoch ${String(document['epoch'])}, ${(document['lines'] as unknown[]).length} lines, planHash ${document.planHash}\n`,
  );
}

/** Recomputes a plan from the given files and the terms it records; throws PLAN_NOT_VERIFIED naming the first discrepancy. */
export async function verifyPlan(planPath: string, files: VerifyFiles, context: CliContext, quiet: boolean): Promise<PlanDocument> {
  const found = readPlanDocument(await readInputText(planPath, 'plan'), planPath);
  const request = await recordedRequest(found, planPath, files);
  const { document } = await computePlanDocument(request, context, quiet);
  const discrepancy = firstDiscrepancy(found, withRecordedPaths(document, found));
  if (discrepancy !== null) throw notVerified(planPath, discrepancy);
  return found;
}

function notVerified(planPath: string, problem: string): MinapayError {
  return new MinapayError('PLAN_NOT_VERIFIED', `${planPath}: does not verify: ${problem}`);
}

interface RecordedPlan {
  readonly network: Network;
  readonly epoch: number;
  readonly pools: string[];
  readonly settings: { commission: string; fees: 'share' | 'keep'; minPayout: string; txFee: string; feePayer: 'pool' | 'delegator' };
  readonly era: { name: string; firstGlobalSlot: number | null; slotsPerEpoch: number; baseCoinbase: string; superchargeFactor: number };
  readonly inputs: { overrides: { path: string } | null };
}

/** The plan's own terms, era and carried amounts, with the files given to verify it. */
async function recordedRequest(found: PlanDocument, planPath: string, files: VerifyFiles): Promise<PlanRequest> {
  const recorded = found as unknown as RecordedPlan;
  if (recorded.inputs?.overrides != null && files.overrides === undefined) {
    throw notVerified(planPath, `it was computed with the overrides file ${recorded.inputs.overrides.path}: give it with --overrides`);
  }
  try {
    const eras = withOverrides(ERAS[recorded.network], recorded.era.name, {
      firstGlobalSlot: recorded.era.firstGlobalSlot,
      slotsPerEpoch: recorded.era.slotsPerEpoch,
      coinbase: BigInt(recorded.era.baseCoinbase),
      superchargeFactor: recorded.era.superchargeFactor,
    });
    return {
      network: recorded.network,
      ...files,
      pools: recorded.pools,
      epoch: recorded.epoch,
      era: eraNamed(eras, recorded.era.name),
      terms: {
        commission: commissionOption(recorded.settings.commission),
        fees: recorded.settings.fees,
        minPayout: BigInt(recorded.settings.minPayout),
        txFee: BigInt(recorded.settings.txFee),
        feePayer: recorded.settings.feePayer,
      },
      ...(await recordedCarry(dirname(dirname(planPath)), storedPlan(found, planPath), planPath)),
    };
  } catch (error) {
    if (error instanceof MinapayError && error.code === 'PLAN_NOT_VERIFIED') throw error;
    throw notVerified(planPath, `its recorded terms cannot be read (${(error as Error).message})`);
  }
}

/** Files may have moved since planning: their contents (sha256) must match, not their paths. */
function withRecordedPaths(document: PlanDocument, found: PlanDocument): PlanDocument {
  const inputs = document['inputs'] as Record<string, Record<string, unknown> | null>;
  const foundInputs = (found['inputs'] ?? {}) as Record<string, Record<string, unknown> | null>;
  const withPath = (name: string) => {
    const input = inputs[name];
    const recordedPath = foundInputs[name]?.['path'];
    return input === null || input === undefined || typeof recordedPath !== 'string' ? input : { ...input, path: recordedPath };
  };
  return { ...document, inputs: { ...inputs, ledger: withPath('ledger'), blocks: withPath('blocks'), overrides: withPath('overrides') } };
}
