/**
 * The worker of a plan's hashing thread (hashing-thread.ts): hashes the
 * ledger's bytes as they come into the shared ring, freeing each segment
 * once hashed, and answers each digest or Poseidon request by posting the
 * answer, then raising the shared word the caller waits on.
 */
import { createHash } from 'node:crypto';
import { workerData } from 'node:worker_threads';

import { poseidon } from '../protocol/pasta/poseidon.js';
import { ANSWERED, FREE, type HashingAnswer, type HashingRequest, type HashingSetup, SEGMENT_BYTES, segmentState } from './hashing-thread.js';

const { port, control: controlBuffer, ring: ringBuffer } = workerData as HashingSetup;
const control = new Int32Array(controlBuffer);
const ring = new Uint8Array(ringBuffer);
const ledgerDigest = createHash('sha256');
// The module is compiled now, during the ledger's read, not when the commitment's first batch comes.
const hasher = poseidon();

port.on('message', (request: HashingRequest) => {
  if (request.kind === 'bytes') {
    const start = request.segment * SEGMENT_BYTES;
    ledgerDigest.update(ring.subarray(start, start + request.length));
    raise(segmentState(request.segment), FREE);
    return;
  }
  port.postMessage(answerTo(request));
  raise(ANSWERED, 1);
});

function raise(word: number, value: number): void {
  Atomics.store(control, word, value);
  Atomics.notify(control, word);
}

function answerTo(request: Exclude<HashingRequest, { kind: 'bytes' }>): HashingAnswer {
  try {
    if (request.kind === 'digest') return { value: ledgerDigest.digest('hex') };
    return { value: hasher.hashEach(request.prefix, request.inputs) };
  } catch (error) {
    return { failure: String((error as Error | undefined)?.message ?? error) };
  }
}
