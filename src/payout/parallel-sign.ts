import { errorMessage, withoutPrivateKeys } from '../errors.js';
import { runTasks, startWorker, stopWorker } from '../worker-pool.js';
import { signPayments } from './sign.js';
import type { PaymentData, PaymentSignature, SignedPayment } from './signed-file.js';

/** What each signing worker is given once: its network and the sender's key. */
export interface SignerSetup {
  readonly network: string;
  readonly privateKey: string;
}

/** A run of consecutive payments of the batch, from index `first`. */
export interface SignTask {
  readonly first: number;
  readonly payments: readonly { readonly pk: string; readonly data: PaymentData }[];
}

/** Each payment's signature and hash, in the task's order, or why the run failed. */
export type SignResult =
  | { readonly first: number; readonly signed: readonly { readonly signature: PaymentSignature; readonly hash: string }[] }
  | { readonly first: number; readonly failure: string };

/** Payments per task: some 0.5 s of work, so that messages cost nothing and the last task leaves the other workers idle only briefly. */
const PAYMENTS_PER_TASK = 16;

/**
 * Signs the payments on `workers` worker threads, each with its own
 * mina-signer client, as signPayments does in one (signature, the one check
 * of it, hash), and puts the results back in the payments' order: the same
 * payments give the same signed payments, byte for byte, whatever the
 * number of workers (mina-signer's signatures are deterministic). Work for
 * one thread (one worker, or one task) is signed in this thread: a worker
 * would only add its start-up and its own copy of mina-signer.
 */
export async function signPaymentsOnWorkers(
  network: string,
  payments: readonly { pk: string; data: PaymentData }[],
  privateKey: string,
  workers: number,
): Promise<SignedPayment[]> {
  const tasks: SignTask[] = [];
  for (let first = 0; first < payments.length; first += PAYMENTS_PER_TASK) tasks.push({ first, payments: payments.slice(first, first + PAYMENTS_PER_TASK) });
  const threadCount = Math.min(workers, tasks.length);
  if (threadCount <= 1) return signPayments(network, payments, privateKey);
  const setup: SignerSetup = { network, privateKey };
  const threads = Array.from({ length: threadCount }, () => startWorker('sign-worker', import.meta.url, setup));
  const signed: SignedPayment[] = new Array(payments.length);
  const place = (result: SignResult) => {
    if ('failure' in result) throw new Error(result.failure);
    result.signed.forEach(({ signature, hash }, offset) => {
      const { pk, data } = payments[result.first + offset]!;
      signed[result.first + offset] = { pk, nonce: BigInt(data.nonce), hash, data, signature };
    });
  };
  try {
    await runTasks(threads, tasks, place, 'signing');
  } catch (error) {
    // A failure's message may quote a library's, which may quote its input: passed on without any key in it, and without the error itself.
    throw new Error(withoutPrivateKeys(errorMessage(error)));
  } finally {
    await Promise.all(threads.map(stopWorker));
  }
  return signed;
}
