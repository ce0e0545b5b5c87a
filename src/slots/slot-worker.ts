/**
 * A worker thread of `minapay slots`: evaluates the VRF for runs of slots
 * over the producer's eligible delegators and reports the winners. The key
 * arrives in workerData (memory, never argv or a file) and is wiped from
 * the module's memory when the worker is told to stop.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { VrfEngine } from '../protocol/pasta/vrf-engine.js';
import { truncateVrfOutput } from '../protocol/vrf.js';
import type { SlotTask, TaskResult, WorkerSetup } from './evaluate-slots.js';

const setup = workerData as WorkerSetup;
const engine = new VrfEngine(BigInt(setup.privateKey), BigInt(setup.seed));
const delegators = setup.delegators.map((d) => ({ index: d.index, bound: BigInt(d.bound) }));

parentPort?.on('message', (task: SlotTask | 'stop') => {
  if (task === 'stop') {
    engine.dispose();
    parentPort?.close();
    return;
  }
  parentPort?.postMessage(evaluateTask(task));
});

function evaluateTask(task: SlotTask): TaskResult {
  const winners: { slot: number; index: number; truncated: string }[] = [];
  for (let slot = task.first; slot <= task.last; slot++) {
    for (const delegator of delegators) {
      const truncated = truncateVrfOutput(engine.output(slot, delegator.index));
      if (truncated <= delegator.bound) winners.push({ slot, index: delegator.index, truncated: truncated.toString() });
    }
  }
  return { first: task.first, last: task.last, winners, evaluations: (task.last - task.first + 1) * delegators.length };
}
