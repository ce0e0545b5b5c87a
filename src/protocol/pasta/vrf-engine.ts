import { PALLAS_P, PALLAS_Q } from './parameters.js';
import { FIELD_BYTES, type PastaExports, pastaInstance, readField, writeField, writeScalar } from './pasta-module.js';
/** The module's io slots after evaluate(), each a field element, 32 bytes little-endian. */
const IO_OUTPUT = 0;
const IO_MESSAGE_HASH = 1;
const IO_H_X = 2;
const IO_H_Y = 3;
const IO_U_X = 4;
const IO_U_Y = 5;

/** The largest ledger index: Mina's ledger depth is 35. */
export const LEDGER_DEPTH = 35;
const MAX_INDEX = 2 ** LEDGER_DEPTH - 1;
const MAX_SLOT = 2 ** 32 - 1;

/** One evaluation with its intermediate values, for tests and for checking against other implementations. */
export interface VrfTrace {
  /** Poseidon under `MinaVrfOutput` of [seed, U.x, U.y, packed message]: the full output, before truncation. */
  readonly output: bigint;
  readonly messageHash: bigint;
  readonly h: { readonly x: bigint; readonly y: bigint };
  readonly u: { readonly x: bigint; readonly y: bigint };
}

/**
 * Mina's consensus VRF for one producer key and one epoch seed, in
 * WebAssembly. The key lives in the instance's memory until dispose().
 */
export class VrfEngine {
  private readonly exports: PastaExports;

  constructor(privateKey: bigint, seed: bigint) {
    if (privateKey <= 0n || privateKey >= PALLAS_Q) throw new RangeError('the private key is not a scalar of the Pallas curve');
    if (seed < 0n || seed >= PALLAS_P) throw new RangeError('the epoch seed is not a field element');
    this.exports = pastaInstance();
    writeScalar(this.exports, privateKey);
    writeField(this.exports, this.exports.io(), seed);
    this.exports.setSeed();
  }

  /** The full VRF output (a field element) for a slot since the hard fork and a delegator's ledger index. */
  output(slot: number, index: number): bigint {
    this.run(slot, index);
    return this.readSlot(IO_OUTPUT);
  }

  /** The output with the values it was computed from. */
  trace(slot: number, index: number): VrfTrace {
    this.run(slot, index);
    return {
      output: this.readSlot(IO_OUTPUT),
      messageHash: this.readSlot(IO_MESSAGE_HASH),
      h: { x: this.readSlot(IO_H_X), y: this.readSlot(IO_H_Y) },
      u: { x: this.readSlot(IO_U_X), y: this.readSlot(IO_U_Y) },
    };
  }

  /** Overwrites the key in the module's memory; the engine is unusable afterwards. */
  dispose(): void {
    this.exports.clearKey();
  }

  private run(slot: number, index: number): void {
    if (!Number.isInteger(slot) || slot < 0 || slot > MAX_SLOT) throw new RangeError(`slot ${slot} is not a 32-bit slot number`);
    if (!Number.isInteger(index) || index < 0 || index > MAX_INDEX) throw new RangeError(`index ${index} is not a ${LEDGER_DEPTH}-bit ledger index`);
    const status = this.exports.evaluate(slot, index % 2 ** 32, Math.floor(index / 2 ** 32));
    // The group map always finds a point (it is total on the field but for a few values no hash reaches).
    if (status !== 0) throw new Error(`the group map found no point for slot ${slot}, index ${index} (status ${status})`);
  }

  private readSlot(slot: number): bigint {
    return readField(this.exports, this.exports.io() + slot * FIELD_BYTES);
  }
}
