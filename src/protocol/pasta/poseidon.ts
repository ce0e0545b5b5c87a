import { PALLAS_P, prefixToField } from './parameters.js';
import { FIELD_BYTES, type PastaExports, pastaInstance, readField, readFieldAt, writeField, writeFieldAt } from './pasta-module.js';

/** Field elements the module's io holds, so the most one hash takes. */
const MAX_INPUTS = 16;
/** The most each of two hashes made at once takes: the second input starts at the module's io slot 8 (hashPair). */
const PAIR_MAX_INPUTS = 8;
const SECOND_INPUT_BYTES = PAIR_MAX_INPUTS * FIELD_BYTES;

/**
 * Inputs held as the module holds field elements (32 bytes each,
 * little-endian, each below p: see writeFieldElement): input `i` is
 * `lengths[i]` elements from byte `i * stride` of `inputs`, and its hash
 * goes to byte `i * FIELD_BYTES` of `hashes`.
 */
export interface HeldInputs {
  readonly inputs: Uint8Array;
  readonly stride: number;
  readonly lengths: Uint8Array;
  readonly hashes: Uint8Array;
}

/**
 * Inputs of field elements, each written where a batch holds it (HeldInputs):
 * made from numbers (fieldInputs), or written as bytes directly by one who
 * knows their layout (a plan's leaves: no BigInt arithmetic).
 */
export interface FieldInputs {
  readonly count: number;
  /** The most elements an input has. */
  readonly width: number;
  /**
   * Writes input `index` from byte `offset` of `view`, 32 bytes an element,
   * little-endian, refusing any value outside the field (writeFieldElement);
   * returns how many elements it wrote.
   */
  write(index: number, view: DataView, offset: number): number;
}

/** Inputs given as numbers, each asked of `inputOf` once, in order, at once. */
export function fieldInputs(count: number, inputOf: (index: number) => readonly bigint[]): FieldInputs {
  const made = Array.from({ length: count }, (_, index) => inputOf(index));
  return {
    count,
    width: made.reduce((widest, input) => Math.max(widest, input.length), 0),
    write(index, view, offset) {
      const input = made[index]!;
      input.forEach((field, at) => {
        writeFieldElement(view, offset + at * FIELD_BYTES, field);
      });
      return input.length;
    },
  };
}

/** The inputs written into new memory that `allocate` makes (shared, for a second thread), with room for their hashes. */
export function heldInputs(inputs: FieldInputs, allocate: (bytes: number) => ArrayBufferLike = (bytes) => new ArrayBuffer(bytes)): HeldInputs {
  const stride = inputs.width * FIELD_BYTES;
  const held = {
    inputs: new Uint8Array(allocate(inputs.count * stride)),
    stride,
    lengths: new Uint8Array(allocate(inputs.count)),
    hashes: new Uint8Array(allocate(inputs.count * FIELD_BYTES)),
  };
  const view = new DataView(held.inputs.buffer);
  for (let index = 0; index < inputs.count; index++) held.lengths[index] = inputs.write(index, view, index * stride);
  return held;
}

/** The hashes of held inputs, once hashed. */
export function heldHashes(held: HeldInputs): bigint[] {
  const hashes = new DataView(held.hashes.buffer);
  return Array.from({ length: held.lengths.length }, (_, index) => readFieldAt(hashes, index * FIELD_BYTES));
}

/**
 * Hashes many inputs of field elements at once, each on its own, all with
 * one prefix or none: what a Merkle tree's level or a plan's leaves take, so
 * that a second thread can share the work (payout/hashing-thread.ts).
 */
export interface FieldHasher {
  /**
   * Poseidon.hashWithPrefix(prefix, input) of each input, or
   * Poseidon.hash(input) for a null prefix, in order; each input is written
   * once, in order, before any is hashed. `alongside`, work of this
   * thread's own that needs none of the hashes, runs once the batch is
   * handed out: while a second thread hashes, where there is one.
   */
  hashEach(prefix: string | null, inputs: FieldInputs, alongside?: () => void): bigint[];
}

/**
 * Kimchi Poseidon over the Pallas base field (Mina's `Random_oracle`,
 * o1js's `Poseidon`), in the WebAssembly module the VRF runs in: some 12
 * times faster than mina-signer's BigInt Poseidon here (0.06 ms a
 * permutation). Deterministic; one instance per thread is enough. With
 * `legacy`, the legacy Poseidon (o1js's `PoseidonLegacy`) of Mina's legacy
 * signatures instead.
 */
export class Poseidon implements FieldHasher {
  private readonly exports: PastaExports = pastaInstance();
  /** The prefix whose sponge state the module holds. */
  private prefix: string | null = null;
  private readonly legacy: number;

  constructor(kind: 'kimchi' | 'legacy' = 'kimchi') {
    this.legacy = kind === 'legacy' ? 1 : 0;
  }

  /** o1js `Poseidon.hash`: the fields absorbed from the zero state. */
  hash(fields: readonly bigint[]): bigint {
    return this.run(fields, this.startFrom(null));
  }

  /**
   * Mina's hash with a prefix (o1js `Poseidon.hashWithPrefix`): the prefix's
   * field element absorbed first as a block of its own. Mina pads prefixes
   * with `*` to 20 characters and o1js does not, so the two agree on
   * prefixes of exactly 20 characters.
   */
  hashWithPrefix(prefix: string, fields: readonly bigint[]): bigint {
    return this.run(fields, this.startFrom(prefix));
  }

  /**
   * hashWithPrefix (hash for a null prefix) of held inputs `from` to
   * `to - 1`, two at a time where two neighbours take as many elements
   * (hashPair). No BigInt: what a second thread hashes from shared memory.
   */
  hashBytes(prefix: string | null, held: HeldInputs, from: number, to: number): void {
    const prefixed = this.startFrom(prefix);
    const io = this.exports.io();
    const memory = new Uint8Array(this.exports.memory.buffer);
    const copyIn = (index: number, at: number): void => {
      const start = index * held.stride;
      memory.set(held.inputs.subarray(start, start + held.lengths[index]! * FIELD_BYTES), at);
    };
    const copyOut = (index: number, at: number): void => {
      held.hashes.set(memory.subarray(at, at + FIELD_BYTES), index * FIELD_BYTES);
    };
    let index = from;
    while (index < to) {
      const count = held.lengths[index]!;
      checkInputCount(count);
      copyIn(index, io);
      if (index + 1 < to && held.lengths[index + 1] === count && this.pairs(count)) {
        copyIn(index + 1, io + SECOND_INPUT_BYTES);
        this.exports.hashPair(count, prefixed);
        copyOut(index, io);
        copyOut(index + 1, io + SECOND_INPUT_BYTES);
        index += 2;
      } else {
        this.exports.hash(count, prefixed, this.legacy);
        copyOut(index, io);
        index += 1;
      }
    }
  }

  /**
   * Where the module's hashes start: from the sponge state after `prefix`
   * (made, unless the module holds it already), or from zero for none.
   * Returns the module's `prefixed` flag for that start.
   */
  private startFrom(prefix: string | null): number {
    if (prefix === null) return 0;
    if (this.prefix !== prefix) {
      writeField(this.exports, this.exports.io(), prefixToField(prefix));
      this.exports.setPrefix(this.legacy);
      this.prefix = prefix;
    }
    return 1;
  }

  hashEach(prefix: string | null, inputs: FieldInputs, alongside?: () => void): bigint[] {
    const held = heldInputs(inputs);
    alongside?.();
    this.hashBytes(prefix, held, 0, inputs.count);
    return heldHashes(held);
  }

  /** Writes the fields into the module's memory from byte `at` (refusing any value outside the field). */
  private place(fields: readonly bigint[], at: number): void {
    const view = new DataView(this.exports.memory.buffer);
    fields.forEach((field, i) => {
      writeFieldElement(view, at + i * FIELD_BYTES, field);
    });
  }

  /** Whether two hashes of `count` elements are made at once: the module's pairs are Kimchi's only. */
  private pairs(count: number): boolean {
    return this.legacy === 0 && count <= PAIR_MAX_INPUTS;
  }

  private run(fields: readonly bigint[], prefixed: number): bigint {
    checkInputCount(fields.length);
    const io = this.exports.io();
    this.place(fields, io);
    this.exports.hash(fields.length, prefixed, this.legacy);
    return readField(this.exports, io);
  }
}

function checkInputCount(count: number): void {
  if (count > MAX_INPUTS) throw new RangeError(`Poseidon here takes at most ${MAX_INPUTS} field elements, not ${count}`);
}

/** Writes an element of the Pallas base field as the module holds one (32 bytes, little-endian); refuses any other value. */
export function writeFieldElement(view: DataView, offset: number, field: bigint): void {
  if (field < 0n || field >= PALLAS_P) throw new RangeError(`${field} is not an element of the Pallas base field`);
  writeFieldAt(view, offset, field);
}

let shared: Poseidon | undefined;

/** This thread's Poseidon. */
export function poseidon(): Poseidon {
  shared ??= new Poseidon();
  return shared;
}
