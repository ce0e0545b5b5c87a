import { glvDecompose, wnaf } from './glv.js';
import {
  ENDOMORPHISM_BETA,
  GROUP_MAP,
  INVERSE_EXPONENT,
  KIMCHI_MDS,
  KIMCHI_ROUND_CONSTANTS,
  PALLAS_P,
  PALLAS_Q,
  prefixToField,
  SQUARE_ROOT_EXPONENT,
  TWO_ADIC_ROOT,
  VRF_MESSAGE_PREFIX,
  VRF_OUTPUT_PREFIX,
} from './parameters.js';
import { VRF_WASM_BASE64 } from './vrf-wasm.js';

/** The little of WebAssembly used here (lib ES2022 and @types/node 20 do not declare it). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { readonly exports: unknown };
};
type WasmModule = { readonly __wasmModule: unique symbol };

/** What assembly/pasta-vrf.ts exports. */
interface VrfExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  io(): number;
  parameters(): number;
  setup(): void;
  digits(): number;
  setKey(digitCount: number): void;
  clearKey(): void;
  setSeed(): void;
  evaluate(slot: number, indexLow: number, indexHigh: number): number;
}

const FIELD_BYTES = 32;
/** Digits the module holds per half of the key (assembly/pasta-vrf.ts DIGIT_CAPACITY). */
const DIGIT_CAPACITY = 160;
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

let compiled: WasmModule | undefined;

/** The module is compiled once per thread; each engine gets its own instance and memory. */
function vrfModule(): WasmModule {
  compiled ??= new WebAssembly.Module(Buffer.from(VRF_WASM_BASE64, 'base64'));
  return compiled;
}

/**
 * Mina's consensus VRF for one producer key and one epoch seed, in
 * WebAssembly. The key lives in the instance's memory until dispose().
 */
export class VrfEngine {
  private readonly exports: VrfExports;

  constructor(privateKey: bigint, seed: bigint) {
    if (privateKey <= 0n || privateKey >= PALLAS_Q) throw new RangeError('the private key is not a scalar of the Pallas curve');
    if (seed < 0n || seed >= PALLAS_P) throw new RangeError('the epoch seed is not a field element');
    const instance = new WebAssembly.Instance(vrfModule(), { env: { abort: moduleAborted } });
    this.exports = instance.exports as unknown as VrfExports;
    this.writeParameters();
    this.exports.setup();
    this.writeKey(privateKey);
    this.writeField(this.exports.io(), seed);
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

  /** The key as the module takes it: the GLV halves in width-5 NAF. */
  private writeKey(privateKey: bigint): void {
    const { k1, k2 } = glvDecompose(privateKey);
    const halves = [wnaf(k1), wnaf(k2)];
    const count = Math.max(halves[0]?.length ?? 0, halves[1]?.length ?? 0);
    if (count > DIGIT_CAPACITY) throw new Error('the key decomposes into more digits than the module holds');
    const digits = new Int8Array(this.exports.memory.buffer, this.exports.digits(), 2 * DIGIT_CAPACITY);
    digits.fill(0);
    halves.forEach((half, h) => {
      half.forEach((digit, i) => {
        digits[h * DIGIT_CAPACITY + i] = digit;
      });
    });
    this.exports.setKey(count);
  }

  private writeParameters(): void {
    const values = [
      ...KIMCHI_ROUND_CONSTANTS.flat().map((hex) => BigInt(`0x${hex}`)),
      ...KIMCHI_MDS.flat().map((hex) => BigInt(`0x${hex}`)),
      TWO_ADIC_ROOT,
      GROUP_MAP.projectionZ,
      GROUP_MAP.conicC,
      GROUP_MAP.u,
      GROUP_MAP.uOver2,
      SQUARE_ROOT_EXPONENT,
      INVERSE_EXPONENT,
      prefixToField(VRF_MESSAGE_PREFIX),
      prefixToField(VRF_OUTPUT_PREFIX),
      GROUP_MAP.projectionY,
      ENDOMORPHISM_BETA,
    ];
    const base = this.exports.parameters();
    values.forEach((value, i) => {
      this.writeField(base + i * FIELD_BYTES, value);
    });
  }

  private writeField(pointer: number, value: bigint): void {
    const bytes = new Uint8Array(this.exports.memory.buffer, pointer, FIELD_BYTES);
    let rest = value;
    for (let i = 0; i < FIELD_BYTES; i++) {
      bytes[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
  }

  private readSlot(slot: number): bigint {
    const bytes = new Uint8Array(this.exports.memory.buffer, this.exports.io() + slot * FIELD_BYTES, FIELD_BYTES);
    let value = 0n;
    for (let i = FIELD_BYTES - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] as number);
    return value;
  }
}

function moduleAborted(): never {
  throw new Error('the VRF module aborted');
}
