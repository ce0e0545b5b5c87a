import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';

import { runTasks, stopWorker } from '../src/worker-pool.js';
import { within } from './processes.js';

/** A worker that doubles each number it is sent, stops on 'stop', throws on 13 and exits on 99. */
const DOUBLER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (task) => {
  if (task === 'stop') return parentPort.close();
  if (task === 13) throw new Error('thirteen');
  if (task === 99) process.exit(3);
  parentPort.postMessage(task * 2);
});`;

const doublers = (count: number) => Array.from({ length: count }, () => new Worker(DOUBLER, { eval: true }));

describe('worker pool', () => {
  it('hands every task to a free worker and passes on every result', async () => {
    const workers = doublers(3);
    const results: number[] = [];
    await within(
      'the tasks',
      10_000,
      runTasks(workers, [1, 2, 3, 4, 5, 6, 7], (result: number) => void results.push(result), 'test'),
    );
    await within('the workers to stop', 10_000, Promise.all(workers.map(stopWorker)));
    assert.deepEqual(
      results.sort((a, b) => a - b),
      [2, 4, 6, 8, 10, 12, 14],
    );
  });

  it("fails with a worker's own error, and still stops every worker, the failed one included", async () => {
    const workers = doublers(2);
    await assert.rejects(
      within(
        'the tasks',
        10_000,
        runTasks(workers, [1, 13, 2, 3], () => {}, 'test'),
      ),
      /thirteen/,
    );
    await within('the workers to stop', 10_000, Promise.all(workers.map(stopWorker)));
    assert.deepEqual(
      workers.map((worker) => worker.threadId),
      [-1, -1],
    );
  });

  it('fails when a worker exits before its work is done, and then stops the others without waiting for a second exit', async () => {
    const workers = doublers(2);
    await assert.rejects(
      within(
        'the tasks',
        10_000,
        runTasks(workers, [1, 99, 2, 3], () => {}, 'test'),
      ),
      /a test worker stopped \(exit code 3\) before its work was done/,
    );
    await within('the workers to stop', 10_000, Promise.all(workers.map(stopWorker)));
  });
});
