/**
 * What a plan's hashing thread (hashing-thread.ts) and its worker
 * (hashing-worker.ts) share: the layout of their shared memory and their
 * messages. A module of its own, so that the worker loads nothing else
 * before it takes the ledger's first bytes.
 */

import type { MessagePort } from 'node:worker_threads';

/**
 * What the worker is given: its end of the channel; the ring of segments
 * the ledger's bytes are copied into (shared memory: a new buffer posted for
 * each run of bytes left the worker some 80 MB of them to collect); and the
 * control words: ANSWERED, raised when an answer is posted, then each
 * segment's state (FREE, or FILLED until the worker has hashed it).
 */
export interface HashingSetup {
  readonly port: MessagePort;
  readonly control: SharedArrayBuffer;
  readonly ring: SharedArrayBuffer;
}

export const ANSWERED = 0;
export const FREE = 0;
export const FILLED = 1;
/** The control word of segment `segment`. */
export const segmentState = (segment: number): number => 1 + segment;
/** Bytes a segment of the ring holds: a message per 64 KiB read cost more than the hashing it moved. */
export const SEGMENT_BYTES = 256 * 1024;
export const SEGMENTS = 4;

export type HashingRequest =
  | { readonly kind: 'bytes'; readonly segment: number; readonly length: number }
  | { readonly kind: 'digest' }
  | { readonly kind: 'poseidon'; readonly prefix: string | null; readonly inputs: readonly (readonly bigint[])[] };

export type HashingAnswer = { readonly value: string | readonly bigint[] } | { readonly failure: string };
