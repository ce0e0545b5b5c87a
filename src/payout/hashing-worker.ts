/**
 * The worker of a plan's hashing thread (hashing-thread.ts): hashes the
 * ledger's bytes as they come into the shared ring, freeing each segment
 * once hashed (even when hashing failed: the caller must never wait on a
 * segment in vain), and answers each digest or Poseidon request by posting the
 * answer (for a batch, after it has written the hashes of the runs it took
 * into the batch's shared memory), then raising the shared word the caller
 * waits on.
 */
import { createHash } from 'node:crypto';
import { workerData } from 'node:worker_threads';

import { errorMessage } from '../errors.js';
import type { Poseidon } from '../protocol/pasta/poseidon.js';
import {
  ANSWERED,
  FILLED,
  FREE,
  type HashingAnswer,
  type HashingRequest,
  type HashingSetup,
  hashClaimedRuns,
  SEGMENT_BYTES,
  SEGMENTS,
  segmentLength,
  segmentState,
} from './hashing-ring.js';

const { port, control: controlBuffer, ring: ringBuffer } = workerData as HashingSetup;
const control = new Int32Array(controlBuffer);
const ring = new Uint8Array(ringBuffer);
const ledgerDigest = createHash('sha256');

/** Why hashing the ledger's bytes failed, told at the digest: the caller waits on no answer for bytes. */
let bytesFailure: string | null = null;

/** Segments hashed so far, in the ring's order; a digest request waiting for the last of its segments. */
let segmentsHashed = 0;
let digestWanted: { readonly segments: number } | null = null;

port.on('message', (request: HashingRequest) => {
  if (request.kind === 'digest') {
    digestWanted = request;
    answerDigestOnceHashed();
    return;
  }
  hasher.then(
    (ready) =>
      answer(
        settled(() => {
          hashClaimedRuns(ready, control, request);
          return '';
        }),
      ),
    (error: unknown) => answer({ failure: `Poseidon could not be loaded: ${errorMessage(error)}` }),
  );
});

// The ring is waited on before anything else loads: the main thread fills its 4 MiB in some 30 ms.
void hashRing();

/**
 * Hashes made while the read leaves this thread idle: V8 first runs
 * WebAssembly from quickly made code and compiles the functions used most
 * again, optimised, only once they have run a while. Cold, the first batch
 * of a plan's commitment took a third longer here (136 ms against 91 ms for
 * a batch of 1,300 hashes), and the main thread waited for it.
 */
const WARM_UP_HASHES = 300;
/** Warm-up hashes between two turns of the event loop: a few milliseconds, less than the ring's bytes take to come. */
const WARM_UP_SLICE = 20;

/**
 * This thread's Poseidon, loaded, compiled and warmed up once the ring's
 * loop (hashRing) waits for the ledger's bytes, and between segments: all
 * at once (some 50 ms), it kept the ring full and the main thread waiting on
 * it.
 */
const hasher: Promise<Poseidon> = (async () => {
  await nextTurn();
  const { fieldInputs, poseidon } = await import('../protocol/pasta/poseidon.js');
  const ready = poseidon();
  for (let done = 0; done < WARM_UP_HASHES; done += WARM_UP_SLICE) {
    await nextTurn();
    ready.hashEach(
      null,
      fieldInputs(WARM_UP_SLICE, (index) => [BigInt(done + index), 1n, 2n]),
    );
  }
  return ready;
})();
// A failure to load is told to the Poseidon requests, which come only after the read: unhandled until then, it would
// end the worker, and with it the ledger's digest, which needs no Poseidon, while the main thread may wait on the ring.
hasher.catch(() => undefined);

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Hashes each segment as soon as the main thread fills it, in the ring's
 * order, for as long as the worker lives; between segments the event loop
 * is free for messages and the warm-up's slices.
 */
async function hashRing(): Promise<void> {
  for (let segment = 0; ; segment = (segment + 1) % SEGMENTS) {
    const state = segmentState(segment);
    while (Atomics.load(control, state) !== FILLED) {
      const waited = Atomics.waitAsync(control, state, FREE);
      if (waited.async) await waited.value;
    }
    hashSegment(segment, Atomics.load(control, segmentLength(segment)));
    segmentsHashed += 1;
    raise(state, FREE);
    answerDigestOnceHashed();
  }
}

function answerDigestOnceHashed(): void {
  if (digestWanted === null || segmentsHashed < digestWanted.segments) return;
  digestWanted = null;
  answer(bytesFailure === null ? settled(() => ledgerDigest.digest('hex')) : { failure: bytesFailure });
}

function hashSegment(segment: number, length: number): void {
  try {
    const start = segment * SEGMENT_BYTES;
    ledgerDigest.update(ring.subarray(start, start + length));
  } catch (error) {
    bytesFailure ??= errorMessage(error);
  }
}

function settled(compute: () => string): HashingAnswer {
  try {
    return { value: compute() };
  } catch (error) {
    return { failure: errorMessage(error) };
  }
}

function answer(answer: HashingAnswer): void {
  port.postMessage(answer);
  raise(ANSWERED, 1);
}

function raise(word: number, value: number): void {
  Atomics.store(control, word, value);
  Atomics.notify(control, word);
}
