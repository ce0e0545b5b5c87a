import { createHash } from 'node:crypto';
import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from 'node:worker_threads';

import { FILE_READ_BYTES } from '../io/file-reads.js';
import { errorMessage } from '../errors.js';
import { type FieldHasher, type FieldInputs, type HeldInputs, heldHashes, heldInputs, poseidon } from '../protocol/pasta/poseidon.js';
import { startWorker } from '../worker-pool.js';
import {
  ANSWERED,
  CLAIMED,
  CONTROL_WORDS,
  FILLED,
  FREE,
  type HashingAnswer,
  type HashingRequest,
  type HashingSetup,
  hashClaimedRuns,
  SEGMENT_BYTES,
  SEGMENTS,
  type SharedBatch,
  segmentLength,
  segmentState,
} from './hashing-ring.js';

/**
 * A second thread for a plan's hashing, on the core that the ledger's read
 * leaves idle: the SHA-256 of the ledger's bytes as they are read (some 6%
 * of a plan's time on one thread), and a share of each batch of Poseidon
 * hashes of its commitment once the plan is computed (three permutations a
 * line at some 25 us each: 9% of a plan paying 1% of 250,000 accounts). A
 * worker adds some 15 MB, so only a large ledger gets one
 * (HASHING_THREAD_MIN_BYTES).
 *
 * Calls are synchronous, so that the commitment's code stays pure and the
 * same whichever threads hash: this thread posts a request (for a batch,
 * its inputs written into shared memory: SharedBatch), does its own part
 * (for a batch, the work `alongside`, then runs of hashes it takes in turn
 * with the worker: CLAIM_SIZE), and blocks (Atomics.wait) until the worker
 * has posted its answer and raised a shared word, then takes the answer
 * with receiveMessageOnPort.
 */

/** Ledgers from this size get a hashing thread: below it, the worker's start-up outweighs what it takes off this thread. */
export const HASHING_THREAD_MIN_BYTES = 32 * 1024 * 1024;

/** Batches smaller than this are hashed here: a message costs more than the few permutations it would move. */
const MIN_SHARED_BATCH = 16;
/**
 * How long the worker may take to answer or to free a segment: it cannot
 * say that it died while this thread waits. It answers a batch once its
 * last run of CLAIM_SIZE hashes is done, a few milliseconds after this
 * thread finds none left, unless it is still loading Poseidon.
 */
const ANSWER_TIMEOUT_MS = 120_000;

/** The SHA-256 of a ledger's bytes, fed as they are read. */
export interface LedgerDigest {
  /** Takes the next bytes, in the order they are read. */
  ledgerBytes(chunk: Uint8Array): void;
  /** The SHA-256 (hex) of every byte taken. */
  ledgerDigest(): string;
}

/** A LedgerDigest on this thread. */
export function ledgerDigestHere(): LedgerDigest {
  const hash = createHash('sha256');
  return { ledgerBytes: (chunk) => hash.update(chunk), ledgerDigest: () => hash.digest('hex') };
}

/** A batch's inputs, written in order, in shared memory; its hashes' memory, to be filled. */
function sharedBatch(prefix: string | null, inputs: FieldInputs): { batch: SharedBatch; held: HeldInputs } {
  const held = heldInputs(inputs, (bytes) => new SharedArrayBuffer(bytes));
  const shared = (view: Uint8Array) => view.buffer as SharedArrayBuffer;
  const batch = { prefix, count: inputs.count, stride: held.stride, lengths: shared(held.lengths), inputs: shared(held.inputs), hashes: shared(held.hashes) };
  return { batch, held };
}

export class HashingThread implements FieldHasher, LedgerDigest {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #control: Int32Array;
  readonly #ring: Uint8Array;
  /** The segment being filled, and how much of it is; the segments filled so far. */
  #segment = 0;
  #filled = 0;
  #segmentsFilled = 0;
  /** Where the ring memory lent last by ledgerMemory() ends. */
  #lentTo = 0;
  /** Why the worker is gone, once it is (seen between reads: this thread hears nothing while it waits). */
  #gone: string | null = null;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    const setup: HashingSetup = {
      port: port2,
      control: new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * CONTROL_WORDS),
      ring: new SharedArrayBuffer(SEGMENT_BYTES * SEGMENTS),
    };
    this.#worker = startWorker('hashing-worker', import.meta.url, setup, [port2]);
    // Never what keeps the process alive: a failed plan ends without stopping it.
    this.#worker.unref();
    this.#worker.on('error', (error) => {
      this.#gone ??= `failed: ${error.message}`;
    });
    this.#worker.on('exit', (code) => {
      this.#gone ??= `stopped (exit code ${code})`;
    });
    this.#port = port1;
    this.#control = new Int32Array(setup.control);
    this.#ring = new Uint8Array(setup.ring);
  }

  /**
   * Ring memory for the next read of the ledger (ReadOptions.bytesInto):
   * the read's size or the rest of a segment, right after what was lent
   * before, once the worker has freed its segment. Bytes read there are
   * taken by ledgerBytes without a copy (the copies took some 26 ms of a
   * plan on 250k accounts).
   */
  ledgerMemory(): Uint8Array {
    return this.#orGone(() => {
      const start = this.#lentTo % this.#ring.length;
      const segment = Math.floor(start / SEGMENT_BYTES);
      if (start % SEGMENT_BYTES === 0) this.#awaitWord(segmentState(segment), FREE, 'hash the ledger');
      this.#lentTo = Math.min(start + FILE_READ_BYTES, (segment + 1) * SEGMENT_BYTES);
      return this.#ring.subarray(start, this.#lentTo);
    });
  }

  /** Bytes read into ledgerMemory() are taken where they are; other bytes are copied into the ring, and the caller keeps its chunk. */
  ledgerBytes(chunk: Uint8Array): void {
    this.#orGone(() => {
      if (chunk.buffer === this.#ring.buffer && chunk.byteOffset === this.#segment * SEGMENT_BYTES + this.#filled) {
        this.#took(chunk.length);
        return;
      }
      let from = 0;
      while (from < chunk.length) {
        if (this.#filled === 0) this.#awaitWord(segmentState(this.#segment), FREE, 'hash the ledger');
        const taken = Math.min(chunk.length - from, SEGMENT_BYTES - this.#filled);
        this.#ring.set(chunk.subarray(from, from + taken), this.#segment * SEGMENT_BYTES + this.#filled);
        this.#took(taken);
        from += taken;
      }
    });
  }

  /** `bytes` more of the segment being filled are the ledger's; a full segment is handed to the worker. */
  #took(bytes: number): void {
    this.#filled += bytes;
    if (this.#filled === SEGMENT_BYTES) this.#postSegment();
  }

  ledgerDigest(): string {
    return this.#orGone(() => {
      this.#postSegment();
      this.#ask({ kind: 'digest', segments: this.#segmentsFilled });
      return this.#answer() as string;
    });
  }

  /**
   * Every input is made and written into shared memory first (a value
   * outside the field is refused then, before any is handed out); then
   * both threads take runs of the batch until none is left.
   */
  hashEach(prefix: string | null, inputs: FieldInputs, alongside?: () => void): bigint[] {
    if (inputs.count < MIN_SHARED_BATCH) return poseidon().hashEach(prefix, inputs, alongside);
    return this.#orGone(() => {
      const { batch, held } = sharedBatch(prefix, inputs);
      Atomics.store(this.#control, CLAIMED, 0);
      this.#ask({ kind: 'poseidon', ...batch });
      alongside?.();
      hashClaimedRuns(poseidon(), this.#control, batch);
      this.#answer();
      return heldHashes(held);
    });
  }

  async stop(): Promise<void> {
    this.#gone ??= 'was stopped';
    this.#port.close();
    await this.#worker.terminate();
  }

  /**
   * Runs a call; if it fails, the thread is gone for good: an answer may be
   * left unread, and a later call would take it for its own.
   */
  #orGone<T>(call: () => T): T {
    if (this.#gone !== null) throw new Error(`the hashing thread ${this.#gone}`);
    try {
      return call();
    } catch (error) {
      this.#gone = `failed: ${errorMessage(error)}`;
      throw error;
    }
  }

  /** Hands the segment being filled to the worker: its length, then its state, which the worker waits on. */
  #postSegment(): void {
    if (this.#filled === 0) return;
    Atomics.store(this.#control, segmentLength(this.#segment), this.#filled);
    Atomics.store(this.#control, segmentState(this.#segment), FILLED);
    Atomics.notify(this.#control, segmentState(this.#segment));
    this.#segment = (this.#segment + 1) % SEGMENTS;
    this.#filled = 0;
    this.#segmentsFilled += 1;
  }

  #ask(request: HashingRequest): void {
    Atomics.store(this.#control, ANSWERED, 0);
    this.#port.postMessage(request);
  }

  #answer(): string {
    this.#awaitWord(ANSWERED, 1, 'answer');
    const received = receiveMessageOnPort(this.#port);
    if (received === undefined) throw new Error('the hashing thread raised its word without an answer');
    const answer = received.message as HashingAnswer;
    if ('failure' in answer) throw new Error(`the hashing thread failed: ${answer.failure}`);
    return answer.value;
  }

  /** Blocks until control word `word` is `wanted`; at once, if the worker is known to be gone. */
  #awaitWord(word: number, wanted: number, what: string): void {
    if (this.#gone !== null) throw new Error(`the hashing thread ${this.#gone}`);
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    for (let value = Atomics.load(this.#control, word); value !== wanted; value = Atomics.load(this.#control, word)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`the hashing thread did not ${what} within ${ANSWER_TIMEOUT_MS / 1000} s`);
      Atomics.wait(this.#control, word, value, left);
    }
  }
}
