import type { SlotRange } from '../protocol/eras.js';
import type { EligibleDelegator } from '../protocol/vrf-slots.js';
import { winningBound } from '../protocol/vrf.js';
import { runTasks, startWorker, stopWorker } from '../worker-pool.js';
import { missingRanges } from './slot-ranges.js';

/** What each worker is given once: the key and the seed as decimal strings, and each delegator's winning bound. */
export interface WorkerSetup {
  readonly privateKey: string;
  readonly seed: string;
  readonly delegators: readonly { readonly index: number; readonly bound: string }[];
}

/** A run of slots (since the hard fork) for one worker. */
export interface SlotTask {
  readonly first: number;
  readonly last: number;
}

export interface TaskResult extends SlotTask {
  /** Every (slot, delegator) whose output is under its threshold; truncated outputs as decimal strings. */
  readonly winners: readonly { readonly slot: number; readonly index: number; readonly truncated: string }[];
  readonly evaluations: number;
}

export interface SlotEvaluation {
  readonly privateKey: bigint;
  readonly seed: bigint;
  readonly delegators: readonly EligibleDelegator[];
  readonly slots: SlotRange;
  /** Slots already evaluated (from a checkpoint), skipped. */
  readonly done: readonly SlotRange[];
  readonly workers: number;
  /** Called with each finished run of slots, one at a time, in the order they finish. */
  readonly onResult: (result: TaskResult) => Promise<void>;
}

/** Evaluations per task: large enough that messages cost nothing, small enough that a killed run loses little. */
const EVALUATIONS_PER_TASK = 400;

/**
 * Evaluates the VRF for every slot of `slots` not in `done`, over every
 * delegator, on worker threads (each with its own WebAssembly instance).
 * Results go to onResult; the returned promise settles when all are in,
 * or with the first failure, after which every worker is stopped.
 */
export async function evaluateSlots(evaluation: SlotEvaluation): Promise<void> {
  const tasks = slotTasks(evaluation);
  if (tasks.length === 0 || evaluation.delegators.length === 0) return;
  const setup: WorkerSetup = {
    privateKey: evaluation.privateKey.toString(),
    seed: evaluation.seed.toString(),
    delegators: evaluation.delegators.map((d) => ({ index: d.index, bound: winningBound(d.threshold).toString() })),
  };
  const workers = Array.from({ length: Math.min(evaluation.workers, tasks.length) }, () => startWorker('slot-worker', import.meta.url, setup));
  try {
    await runTasks(workers, tasks, evaluation.onResult, 'VRF');
  } finally {
    await Promise.all(workers.map(stopWorker));
  }
}

function slotTasks(evaluation: SlotEvaluation): SlotTask[] {
  const slotsPerTask = Math.max(1, Math.ceil(EVALUATIONS_PER_TASK / Math.max(1, evaluation.delegators.length)));
  const tasks: SlotTask[] = [];
  for (const range of missingRanges(evaluation.slots, evaluation.done)) {
    for (let first = range.first; first <= range.last; first += slotsPerTask) tasks.push({ first, last: Math.min(range.last, first + slotsPerTask - 1) });
  }
  return tasks;
}
