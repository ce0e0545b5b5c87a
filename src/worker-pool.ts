/**
 * Worker threads, each running one module of src/: how `minapay slots`
 * evaluates the VRF and `payout sign` signs across the cores. A worker
 * takes tasks by message and answers each with one result.
 */
import { type TransferListItem, Worker } from 'node:worker_threads';

/**
 * Each worker's young generation: 8 MB. Signing's short-lived BigInts
 * otherwise grow it to some 40 MB a worker (peak RSS of 2,000 payments on
 * 2 workers: 210 MB, against 165 MB held to 8 MB), at no gain in speed.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };

/**
 * Starts a worker running `module` (a file name without its extension) from
 * the directory of `beside` (the caller's import.meta.url): the compiled
 * .js, as the CLI ships; when this file is the TypeScript source (tests,
 * bench scripts under tsx), the worker first registers tsx itself, since
 * Node 20 does not pass `--import tsx`'s hooks on to worker threads.
 * `transferList`: what of `workerData` moves to the worker (a MessagePort).
 */
export function startWorker(module: string, beside: string, workerData: unknown, transferList: readonly TransferListItem[] = []): Worker {
  const options = {
    workerData,
    transferList: [...transferList],
    execArgv: workerExecArgv(process.execArgv),
    resourceLimits: WORKER_LIMITS,
  };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${module}.js`, beside), options);
  const source = JSON.stringify(new URL(`./${module}.ts`, beside).href);
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${source}); });`;
  return new Worker(boot, { ...options, eval: true });
}

/**
 * Hands tasks to workers as they free up; results are passed on one at a
 * time, in the order they finish. Settles when every result is in, or with
 * the first failure (a rejected onResult, a worker's error, a worker that
 * stopped early, named by `what`).
 */
export function runTasks<Task, Result>(
  workers: readonly Worker[],
  tasks: readonly Task[],
  onResult: (result: Result) => Promise<void> | void,
  what: string,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let finished = 0;
    let failed = false;
    let results = Promise.resolve();
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      reject(error);
    };
    const give = (worker: Worker) => {
      if (next < tasks.length) worker.postMessage(tasks[next++]);
    };
    for (const worker of workers) {
      worker.on('message', (result: Result) => {
        if (failed) return;
        results = results.then(() => onResult(result));
        results.then(() => {
          finished += 1;
          if (finished === tasks.length) resolve();
        }, fail);
        give(worker);
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (finished < tasks.length) fail(new Error(`a ${what} worker stopped (exit code ${code}) before its work was done`));
      });
      give(worker);
    }
  });
}

/** Asks a worker to stop ('stop'), and terminates it if it has not within 5 s. */
export async function stopWorker(worker: Worker): Promise<void> {
  // A worker that has exited already (on its own, or by an error of its own) emits no second 'exit': waiting for one would never end.
  if (worker.threadId === -1) return;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.postMessage('stop');
  const timeout = setTimeout(() => void worker.terminate(), 5_000);
  await exited;
  clearTimeout(timeout);
}

/**
 * A worker's Node options: by default Node's own inheritance of this
 * process's, which takes V8 flags (bin/minapay.js's, an operator's
 * --max-old-space-size) that an explicit list would have refused; under
 * node's test runner, its options left out, which a worker must not take.
 */
function workerExecArgv(execArgv: readonly string[]): string[] | undefined {
  const isTestOption = (arg: string) => arg.startsWith('--test');
  return execArgv.some(isTestOption) ? execArgv.filter((arg) => !isTestOption(arg)) : undefined;
}
