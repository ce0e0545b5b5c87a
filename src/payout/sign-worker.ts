/**
 * A worker thread of `payout sign`: signs runs of payments with its own
 * mina-signer client and signature check (see parallel-sign.ts). The key arrives in workerData,
 * memory that never leaves the process. A failure is answered like a
 * result, so that the worker is still there to be stopped; the caller
 * hides any private key its message quotes.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { errorMessage } from '../errors.js';
import type { SignerSetup, SignResult, SignTask } from './parallel-sign.js';
import { signPayments } from './sign.js';

const setup = workerData as SignerSetup;

parentPort?.on('message', (task: SignTask | 'stop') => {
  if (task === 'stop') {
    parentPort?.close();
    return;
  }
  parentPort?.postMessage(signTask(task));
});

function signTask(task: SignTask): SignResult {
  try {
    const signed = signPayments(setup.network, task.payments, setup.privateKey);
    return { first: task.first, signed: signed.map(({ signature, hash }) => ({ signature, hash })) };
  } catch (error) {
    return { first: task.first, failure: errorMessage(error) };
  }
}
