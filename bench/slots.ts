/**
 * `npm run bench:slots`: VRF evaluations per second, on one core and on
 * worker threads, for the straightforward evaluation on mina-signer's
 * primitives and for minapay's WebAssembly one; and the time of a whole
 * epoch (7,140 slots) for a pool of 100 delegators. Each figure is the
 * median of --repeat runs; the load average is printed, since other work on
 * the machine slows every figure.
 *
 *   npm run bench:slots [-- --repeat 3 --workers N --full-epoch]
 *
 * Without --full-epoch the epoch's time is its 714,000 evaluations at the
 * measured worker rate; with it, a whole epoch is evaluated.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { VrfEngine } from '../src/protocol/pasta/vrf-engine.js';
import { decodeEpochSeed, privateKeyScalar } from '../src/protocol/vrf.js';
import { daemonThreshold } from '../src/protocol/vrf-threshold.js';
import type { EligibleDelegator } from '../src/protocol/vrf-slots.js';
import { evaluateSlots } from '../src/slots/evaluate-slots.js';
import { oracleVrf } from '../test/protocol/vrf-oracle.js';
import { median, ROOT } from './harness.js';

const { values } = parseArgs({
  options: {
    repeat: { type: 'string', default: '3' },
    workers: { type: 'string', default: String(availableParallelism()) },
    'full-epoch': { type: 'boolean', default: false },
  },
});
const REPEAT = Number(values.repeat);
const WORKERS = Number(values.workers);

/** The openmina VRF test vectors' published key (fixtures/keys/README.md), never a real one. */
const KEY_FILE = join(ROOT, 'fixtures', 'keys', 'openmina-vrf.key');
const KEY = privateKeyScalar(readFileSync(KEY_FILE, 'utf8').trim(), KEY_FILE);
const SEED = decodeEpochSeed('2vahsgRV5nDPmtgr2Xo2Uq2dkngfSgvg7d1TKqQbY3wUS2ZDxCC3', 'bench seed');
const TOTAL_CURRENCY = 1_160_334_549_840_039_233n;
const SLOTS_PER_EPOCH = 7140;
const POOL_DELEGATORS = 100;

function perSecond(evaluations: number, run: () => void): number {
  const started = performance.now();
  run();
  return evaluations / ((performance.now() - started) / 1000);
}

function baselineRate(): number {
  const evaluations = 40;
  return perSecond(evaluations, () => {
    for (let i = 0; i < evaluations; i++) oracleVrf(KEY, SEED, i, i * 7);
  });
}

function wasmRate(): number {
  const engine = new VrfEngine(KEY, SEED);
  for (let i = 0; i < 50; i++) engine.output(i, i); // warm-up
  const evaluations = 2000;
  const rate = perSecond(evaluations, () => {
    for (let i = 0; i < evaluations; i++) engine.output(i, i * 7);
  });
  engine.dispose();
  return rate;
}

/** A pool of 100 delegators of 50,000 MINA each (a threshold above the floor), at ledger indexes 1000, 1013, ... */
function pool(): EligibleDelegator[] {
  const balance = 50_000n * 1_000_000_000n;
  return Array.from({ length: POOL_DELEGATORS }, (_, i) => ({
    index: 1000 + 13 * i,
    pk: `delegator-${i}`,
    balance,
    threshold: daemonThreshold(balance, TOTAL_CURRENCY),
  }));
}

/** Evaluations per second of `slots` slots of the pool on worker threads, start-up included; and the slots won. */
async function workerRun(slots: number, workers: number): Promise<{ rate: number; seconds: number; winners: number }> {
  const delegators = pool();
  let evaluations = 0;
  let winners = 0;
  const started = performance.now();
  await evaluateSlots({
    privateKey: KEY,
    seed: SEED,
    delegators,
    slots: { first: 0, last: slots - 1 },
    done: [],
    workers,
    onResult: async (result) => {
      evaluations += result.evaluations;
      winners += result.winners.length;
    },
  });
  const seconds = (performance.now() - started) / 1000;
  return { rate: evaluations / seconds, seconds, winners };
}

async function main(): Promise<void> {
  const load = () => loadavg()[0]?.toFixed(2);
  console.log(`machine: ${availableParallelism()} cores, load average ${load()} at the start; medians of ${REPEAT} runs`);
  const baseline = median(Array.from({ length: REPEAT }, baselineRate));
  console.log(`mina-signer primitives (BigInt), one core: ${baseline.toFixed(0)} evaluations/s`);
  const single = median(Array.from({ length: REPEAT }, wasmRate));
  console.log(`minapay WebAssembly, one core:             ${single.toFixed(0)} evaluations/s (${(single / baseline).toFixed(0)}x)`);
  const slots = 200;
  const oneWorker: number[] = [];
  const allWorkers: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    oneWorker.push((await workerRun(slots, 1)).rate);
    allWorkers.push((await workerRun(slots, WORKERS)).rate);
  }
  console.log(`minapay slots, 1 worker thread:            ${median(oneWorker).toFixed(0)} evaluations/s (${slots} slots x ${POOL_DELEGATORS} delegators)`);
  console.log(`minapay slots, ${WORKERS} worker threads:           ${median(allWorkers).toFixed(0)} evaluations/s`);
  const epochEvaluations = SLOTS_PER_EPOCH * POOL_DELEGATORS;
  if (values['full-epoch']) {
    const epoch = await workerRun(SLOTS_PER_EPOCH, WORKERS);
    console.log(
      `whole epoch, ${POOL_DELEGATORS} delegators (${epochEvaluations.toLocaleString('en-US')} evaluations), ${WORKERS} workers: ` +
        `${(epoch.seconds / 60).toFixed(1)} min (${epoch.rate.toFixed(0)}/s, ${epoch.winners} winning draws)`,
    );
  } else {
    const minutes = epochEvaluations / median(allWorkers) / 60;
    console.log(
      `whole epoch, ${POOL_DELEGATORS} delegators (${epochEvaluations.toLocaleString('en-US')} evaluations), ${WORKERS} workers: ` +
        `~${minutes.toFixed(1)} min at that rate`,
    );
  }
  console.log(`load average at the end: ${load()}`);
}

await main();
