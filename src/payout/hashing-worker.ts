/**
 * The worker of a plan's hashing thread (hashing-thread.ts): hashes the
 * ledger's bytes as they come into the shared ring, freeing each segment
 * once hashed (even when hashing failed: the caller must never wait on a
 * segment in vain), and answers each digest or Poseidon request by posting the
 * answer, then raising the shared word the caller waits on.
 */
import { createHash } from 'node:crypto';
import { workerData } from 'node:worker_threads';

import { errorMessage } from '../errors.js';
import { poseidon } from '../protocol/pasta/poseidon.js';
import { ANSWERED, FREE, type HashingAnswer, type HashingRequest, type HashingSetup, SEGMENT_BYTES, segmentState } from './hashing-thread.js';

const { port, control: controlBuffer, ring: ringBuffer } = workerData as HashingSetup;
const control = new Int32Array(controlBuffer);
const ring = new Uint8Array(ringBuffer);
const ledgerDigest = createHash('sha256');
// The module is compiled now, during the ledger's read, not when the commitment's first batch comes.
const hasher = poseidon();

/** Why hashing the ledger's bytes failed, told at the digest: the caller waits on no answer for bytes. */
let bytesFailure: string | null = null;

port.on('message', (request: HashingRequest) => {
  if (request.kind === 'bytes') {
    hashSegment(request.segment, request.length);
    raise(segmentState(request.segment), FREE);
    return;
  }
  port.postMessage(answerTo(request));
  raise(ANSWERED, 1);
});

function hashSegment(segment: number, length: number): void {
  try {
    const start = segment * SEGMENT_BYTES;
    ledgerDigest.update(ring.subarray(start, start + length));
  } catch (error) {
    bytesFailure ??= errorMessage(error);
  }
}

function raise(word: number, value: number): void {
  Atomics.store(control, word, value);
  Atomics.notify(control, word);
}

function answerTo(request: Exclude<HashingRequest, { kind: 'bytes' }>): HashingAnswer {
  try {
    if (request.kind === 'poseidon') return { value: hasher.hashEach(request.prefix, request.inputs) };
    return bytesFailure === null ? { value: ledgerDigest.digest('hex') } : { failure: bytesFailure };
  } catch (error) {
    return { failure: errorMessage(error) };
  }
}
