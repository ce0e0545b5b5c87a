import { MinapayError } from '../errors.js';
import { epochPlanPath, plannedEpochs, readPlanFile } from './journal.js';
import { carriedOut, type PlanInputs, type StoredPlan } from './plan-file.js';

/**
 * Amounts below the minimum payout are carried to the pool's next planned
 * epoch. The carries form one chain through the pool's plans in epoch
 * order: each plan takes what the plan before it carried out. A second plan
 * taking the same carry would pay it twice, and a plan put between two
 * linked ones would carry its own small amounts to nobody; so epochs are
 * planned in order, and a plan is signed only while its link holds.
 */
export interface Carry {
  readonly carriedIn: ReadonlyMap<string, bigint>;
  readonly carriedFrom: PlanInputs['carriedFrom'];
}

const NO_CARRY: Carry = { carriedIn: new Map(), carriedFrom: null };

/** What epoch `epoch`'s plan takes: the carry of the latest earlier plan. Refused while a later epoch is planned. */
export async function carryForEpoch(poolDir: string, epoch: number): Promise<Carry> {
  const epochs = (await plannedEpochs(poolDir)).filter((planned) => planned !== epoch);
  const later = epochs.find((planned) => planned > epoch);
  if (later !== undefined) throw laterPlanError(poolDir, epoch, await readPlanFile(epochPlanPath(poolDir, later)));
  const previous = epochs.filter((planned) => planned < epoch).at(-1);
  if (previous === undefined) return NO_CARRY;
  const plan = await readPlanFile(epochPlanPath(poolDir, previous));
  return { carriedIn: carriedOut(plan), carriedFrom: { epoch: previous, planHash: plan.planHash } };
}

function laterPlanError(poolDir: string, epoch: number, later: StoredPlan): MinapayError {
  if (later.inputs.carriedFrom?.epoch === epoch) {
    return new MinapayError(
      'PLAN_FROZEN',
      `epoch ${later.epoch} was planned with amounts carried from epoch ${epoch}, so epoch ${epoch} cannot be planned again`,
    );
  }
  const took = later.inputs.carriedFrom === null ? 'carried nothing in' : `took the amounts carried from epoch ${later.inputs.carriedFrom.epoch}`;
  return new MinapayError(
    'CARRY_CHAIN_BROKEN',
    `epoch ${later.epoch} is already planned and ${took}: a plan for epoch ${epoch} now would pay a carried amount twice or never. ` +
      `Epochs are planned in order; if epoch ${later.epoch} has nothing signed, remove ${epochPlanPath(poolDir, later.epoch)} and plan both in order`,
  );
}

/**
 * The carry a stored plan records, checked against the journal it sits in:
 * it must come from the latest earlier plan, with that plan's planHash, and
 * no other plan may take the same carry.
 */
export async function recordedCarry(poolDir: string, plan: StoredPlan, planPath: string): Promise<Carry> {
  const epochs = (await plannedEpochs(poolDir)).filter((planned) => planned !== plan.epoch);
  const previous = epochs.filter((planned) => planned < plan.epoch).at(-1) ?? null;
  const from = plan.inputs.carriedFrom;
  if ((from?.epoch ?? null) !== previous) {
    const recorded = from === null ? 'carries nothing in' : `takes the carry of epoch ${from.epoch}`;
    throw carryError(planPath, `it ${recorded}, but the plan before it in the journal is ${previous === null ? 'none' : `epoch ${previous}'s`}`);
  }
  for (const other of epochs.filter((planned) => planned > plan.epoch)) {
    const otherPlan = await readPlanFile(epochPlanPath(poolDir, other));
    if (from !== null && otherPlan.inputs.carriedFrom?.epoch === from.epoch) {
      throw carryError(planPath, `epoch ${other}'s plan takes the amounts carried from epoch ${from.epoch} too: they would be paid twice`);
    }
  }
  if (from === null) return NO_CARRY;
  const previousPlan = await readPlanFile(epochPlanPath(poolDir, from.epoch));
  if (previousPlan.planHash !== from.planHash) {
    throw carryError(planPath, `${epochPlanPath(poolDir, from.epoch)} has planHash ${previousPlan.planHash}, not ${from.planHash}`);
  }
  return { carriedIn: carriedOut(previousPlan), carriedFrom: from };
}

function carryError(planPath: string, problem: string): MinapayError {
  return new MinapayError('PLAN_NOT_VERIFIED', `${planPath}: does not verify: inputs.inputs.carriedFrom: ${problem}`);
}
