import { glvDecompose, wnaf } from './glv.js';
import {
  ENDOMORPHISM_BETA,
  GROUP_MAP,
  INVERSE_EXPONENT,
  KIMCHI_MDS,
  KIMCHI_ROUND_CONSTANTS,
  LEGACY_MDS,
  LEGACY_ROUND_CONSTANTS,
  PALLAS_P,
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
export interface PastaExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  io(): number;
  parameters(): number;
  setup(): void;
  digits(): number;
  setKey(digitCount: number): void;
  clearKey(): void;
  setSeed(): void;
  evaluate(slot: number, indexLow: number, indexHigh: number): number;
  setPrefix(legacy: number): void;
  hash(count: number, prefixed: number, legacy: number): void;
  hashPair(count: number, prefixed: number): void;
  curveY(): number;
  clearSum(): void;
  addMultiple(): void;
  sumToAffine(): number;
  legendre(): number;
}

/** A field element in the module's memory: 32 bytes, little-endian. */
export const FIELD_BYTES = 32;

let compiled: WasmModule | undefined;

/** The module is compiled once per thread; each instance has its own memory. */
function pastaModule(): WasmModule {
  compiled ??= new WebAssembly.Module(Buffer.from(VRF_WASM_BASE64, 'base64'));
  return compiled;
}

/** A new instance of the module with its parameters written and set up: ready for the VRF, for hashing, or for checking signatures. */
export function pastaInstance(): PastaExports {
  const exports = bareInstance();
  writeParameters(exports);
  exports.setup();
  return exports;
}

/** An instance without its parameters: enough for what uses none (the Legendre symbol). */
function bareInstance(): PastaExports {
  return new WebAssembly.Instance(pastaModule(), { env: { abort: moduleAborted } }).exports as unknown as PastaExports;
}

let legendreInstance: PastaExports | undefined;

/**
 * The Legendre symbol (value/p) of a field element (0 <= value < p): 1 for
 * a non-zero square, -1 for a non-square, 0 for 0. In the module, on 64-bit
 * limbs: about 3 us, where the Jacobi algorithm on BigInts took 25 to 35 us
 * (each step allocates, and each remainder is a division); a ledger read
 * checks every pool delegator's key with it (keys.ts).
 */
export function legendreSymbol(value: bigint): -1 | 0 | 1 {
  if (value < 0n || value >= PALLAS_P) throw new RangeError(`${value} is not an element of the Pallas base field`);
  legendreInstance ??= bareInstance();
  writeField(legendreInstance, legendreInstance.io(), value);
  return legendreInstance.legendre() as -1 | 0 | 1;
}

function writeParameters(exports: PastaExports): void {
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
    ...LEGACY_ROUND_CONSTANTS.flat().map((hex) => BigInt(`0x${hex}`)),
    ...LEGACY_MDS.flat().map((hex) => BigInt(`0x${hex}`)),
  ];
  const base = exports.parameters();
  values.forEach((value, i) => {
    writeField(exports, base + i * FIELD_BYTES, value);
  });
}

/** A field element is written and read as four 64-bit words: four BigInt operations where a byte at a time took 32. */
const WORD = 64n;
/** The shifts to the second, third and fourth words, made once rather than at each write. */
const SECOND_WORD = WORD;
const THIRD_WORD = 2n * WORD;
const FOURTH_WORD = 3n * WORD;

export function writeField(exports: PastaExports, pointer: number, value: bigint): void {
  writeFieldAt(new DataView(exports.memory.buffer), pointer, value);
}

export function readField(exports: PastaExports, pointer: number): bigint {
  return readFieldAt(new DataView(exports.memory.buffer), pointer);
}

/** A field element (0 <= value < 2^256) as the module holds one: 32 bytes, little-endian, at `offset` of `view`. */
export function writeFieldAt(view: DataView, offset: number, value: bigint): void {
  view.setBigUint64(offset, BigInt.asUintN(64, value), true);
  view.setBigUint64(offset + 8, BigInt.asUintN(64, value >> SECOND_WORD), true);
  view.setBigUint64(offset + 16, BigInt.asUintN(64, value >> THIRD_WORD), true);
  // Below 2^256, the fourth word is what is left: no truncation to make.
  view.setBigUint64(offset + 24, value >> FOURTH_WORD, true);
}

export function readFieldAt(view: DataView, offset: number): bigint {
  const word = (index: number) => view.getBigUint64(offset + 8 * index, true);
  return (((((word(3) << WORD) | word(2)) << WORD) | word(1)) << WORD) | word(0);
}

/** Digits the module holds per half of a scalar (assembly/pasta-vrf.ts DIGIT_CAPACITY). */
const DIGIT_CAPACITY = 160;

/**
 * A scalar as the module's scalar multiplications take it (the VRF key, or
 * the scalars of a signature check): the GLV halves in width-5 NAF.
 */
export function writeScalar(exports: PastaExports, scalar: bigint): void {
  const { k1, k2 } = glvDecompose(scalar);
  const halves = [wnaf(k1), wnaf(k2)];
  const count = Math.max(halves[0]?.length ?? 0, halves[1]?.length ?? 0);
  if (count > DIGIT_CAPACITY) throw new Error('the scalar decomposes into more digits than the module holds');
  const digits = new Int8Array(exports.memory.buffer, exports.digits(), 2 * DIGIT_CAPACITY);
  digits.fill(0);
  halves.forEach((half, h) => {
    half.forEach((digit, i) => {
      digits[h * DIGIT_CAPACITY + i] = digit;
    });
  });
  exports.setKey(count);
}

function moduleAborted(): never {
  throw new Error('the Pasta module aborted');
}
