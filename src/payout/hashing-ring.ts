/**
 * What a plan's hashing thread (hashing-thread.ts) and its worker
 * (hashing-worker.ts) share: the layout of their shared memory and their
 * messages. A module of its own, so that the worker loads nothing else
 * before it takes the ledger's first bytes.
 */

import type { MessagePort } from 'node:worker_threads';

import type { HeldInputs } from '../protocol/pasta/poseidon.js';

/**
 * What the worker is given: its end of the channel; the ring of segments
 * the ledger's bytes are copied into (shared memory: a new buffer posted for
 * each run of bytes left the worker some 80 MB of them to collect); and the
 * control words: ANSWERED, raised when an answer is posted; CLAIMED, the
 * first hash of a Poseidon batch that neither thread has taken yet; then
 * each segment's state (FREE, or FILLED until the worker has hashed it) and
 * length. Segments are filled and hashed in the ring's order, and a filled
 * one is told by its word alone (Atomics.notify, which the worker awaits
 * with Atomics.waitAsync) rather than a message of 35 us each; waking the
 * worker costs much of that still, which is why segments are large
 * (SEGMENT_BYTES).
 */
export interface HashingSetup {
  readonly port: MessagePort;
  readonly control: SharedArrayBuffer;
  readonly ring: SharedArrayBuffer;
}

export const ANSWERED = 0;
export const CLAIMED = 1;
export const FREE = 0;
export const FILLED = 1;
/** The control word of segment `segment`'s state. */
export const segmentState = (segment: number): number => 2 + segment;
/** The control word of the number of bytes segment `segment` holds once FILLED. */
export const segmentLength = (segment: number): number => 2 + SEGMENTS + segment;
/**
 * Bytes a segment of the ring holds. Each filled segment wakes the worker,
 * which costs this thread 35 to 65 us: profiles of a plan on 1M accounts
 * gave 130 ms for 3,540 segments of 256 KiB (a tenth of the plan's time
 * beyond `ledger delegators`), 57 ms for 885 of 1 MiB on a machine twice as
 * loaded.
 */
export const SEGMENT_BYTES = 1024 * 1024;
export const SEGMENTS = 4;
/** Words in the control array. */
export const CONTROL_WORDS = 2 + 2 * SEGMENTS;

/**
 * Hashes a thread takes of a Poseidon batch at a time: each thread takes
 * the next run as soon as it is free, so that neither waits long for the
 * other however fast each runs (the two cores of a virtual machine need not
 * be equally fast, and the main thread has other work beside); a run is a
 * millisecond or two of hashing, far more than a claim costs. Even, so that
 * runs keep the pairs Poseidon.hashBytes hashes two at once.
 */
export const CLAIM_SIZE = 32;

/**
 * Bytes of a field element in a batch: 32, little-endian, as the Pasta
 * module holds one (its FIELD_BYTES, not imported: pasta-module.ts holds the
 * module's bytes, which the worker must not load before the ledger's first
 * segment).
 */
export const FIELD_ELEMENT_BYTES = 32;

/**
 * A batch of Poseidon hashes in shared memory, so that neither thread
 * copies or converts the other's inputs and hashes: the buffers of
 * HeldInputs (poseidon.ts).
 */
export interface SharedBatch {
  readonly prefix: string | null;
  readonly count: number;
  readonly stride: number;
  readonly lengths: SharedArrayBuffer;
  readonly inputs: SharedArrayBuffer;
  readonly hashes: SharedArrayBuffer;
}

/** What hashes a batch's inputs: Poseidon.hashBytes. */
export interface BytesHasher {
  hashBytes(prefix: string | null, held: HeldInputs, from: number, to: number): void;
}

/** Takes runs of the batch (CLAIMED in `control`) and hashes them, until none is left. */
export function hashClaimedRuns(hasher: BytesHasher, control: Int32Array, batch: SharedBatch): void {
  const held = {
    inputs: new Uint8Array(batch.inputs),
    stride: batch.stride,
    lengths: new Uint8Array(batch.lengths),
    hashes: new Uint8Array(batch.hashes),
  };
  for (let start = Atomics.add(control, CLAIMED, CLAIM_SIZE); start < batch.count; start = Atomics.add(control, CLAIMED, CLAIM_SIZE)) {
    hasher.hashBytes(batch.prefix, held, start, Math.min(batch.count, start + CLAIM_SIZE));
  }
}

export type HashingRequest =
  /** The digest of the bytes of the first `segments` segments filled, once the worker has hashed them. */
  { readonly kind: 'digest'; readonly segments: number } | ({ readonly kind: 'poseidon' } & SharedBatch);

/** An answer: the digest, or for a batch nothing (its hashes are in the batch's shared memory); or why it failed. */
export type HashingAnswer = { readonly value: string } | { readonly failure: string };
