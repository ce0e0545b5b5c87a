/**
 * Strings held as fingerprints of the strings, so that tracking 2,000,000
 * public keys costs 8 to 12.5 bytes a key rather than the keys themselves
 * (over 200 MB).
 *
 * FingerprintTable is a hash table: it answers at once whether a key is new
 * and holds values for it. FingerprintLog only records fingerprints, in
 * order, and tells which repeated once the last is in: what a ledger read
 * needs to refuse an account that appears twice, without a table lookup,
 * a cache miss at a random place in 20 MB, for each account.
 * FingerprintValueLog records a 64-bit value beside each fingerprint, in
 * order, so that the values of a few keys known only at the end can be
 * picked out.
 *
 * A key's 96-bit hash is split three ways in a table: 6 bits pick one of 64
 * shards (implied by where the entry lives, so not stored) and 64 bits are
 * stored, one of them forced to 1 to mark a used slot; the remaining 26 bits
 * are dropped. Two different keys are taken for one with probability about
 * n^2 / 2^70: 3e-9 for two million keys. That risk is accepted where a
 * table is used: a real match is always found. A log keeps 64 bits.
 *
 * Shards keep memory flat: a large shard grows by copying into one 1.25
 * times the size, and both live side by side while entries move: a 64th of
 * the table at most (one table of 12-byte slots peaked at half its final
 * size, 25 MB of 75 MB at two million accounts). The storage a large shard
 * outgrows is handed back at once rather than left to the garbage
 * collector, which frees an array's memory only at its next full
 * collection: until then all of every shard's earlier sizes stayed resident
 * (ledger stats on two million accounts peaked at 208 MB, 109 MB of it
 * arrays).
 */
const SHARD_BITS = 6;
const SHARDS = 1 << SHARD_BITS;
const KEY_WORDS = 2;
const INITIAL_SHARD_CAPACITY = 8;
const MAX_LOAD = 0.8;
/**
 * A shard's storage doubles while it is small, in a plain array: there is
 * little to waste, and a growth (past this size, reserving and handing back
 * a resizable buffer, whose elements are also slower to reach) has a cost of
 * its own that growing often multiplies (250k accounts: 420 ms of the
 * duplicate check's time, growing by 1.25 in resizable buffers from the
 * start). The small arrays left behind wait for the garbage collector: 16
 * KiB at most a shard, 1 MB a table.
 */
const SMALL_SHARD_BYTES = 16 * 1024;
/**
 * Past that, each growth leaves a table between 64% and 80% full: 1.25 to
 * 1.56 slots a key, against 1.25 to 1.88 growing by 1.5 (ledger stats on two
 * million accounts: 160 MB against 177 MB peak, in the same time).
 */
const GROWTH = 1.25;
const TWO_TO_32 = 2 ** 32;

/** Where a key's value words live; valid only until the next call to `entry` or `lookup`. */
export interface TableEntry {
  /** The shard's storage: the key's value words are words[at] to words[at + valueWords - 1]. */
  readonly words: Uint32Array;
  readonly at: number;
  /** True when this call added the key (its value words are then all 0). */
  readonly added: boolean;
}

/** A map from string keys to a fixed number of 32-bit value words each. */
export class FingerprintTable {
  readonly #shards: Shard[];
  readonly #entry = { words: new Uint32Array(0), at: 0, added: false };
  #size = 0;

  constructor(valueWords: number) {
    this.#shards = Array.from({ length: SHARDS }, () => new Shard(KEY_WORDS + valueWords));
  }

  /** Distinct keys seen. */
  get size(): number {
    return this.#size;
  }

  /** Hands the table's memory back at once; the table is not used again. */
  release(): void {
    for (const shard of this.#shards) shard.release();
  }

  /** Finds the key, adding it with zeroed values when new. */
  entry(key: string): TableEntry {
    const print = fingerprint(key);
    (this.#shards[print.shard] as Shard).find(usedSlotWord(print.a), print.b, this.#entry);
    if (this.#entry.added) this.#size++;
    return this.#entry;
  }

  /** Finds the key without adding it: null when it is not in the table. */
  lookup(key: string): TableEntry | null {
    const print = fingerprint(key);
    return (this.#shards[print.shard] as Shard).lookup(usedSlotWord(print.a), print.b, this.#entry) ? this.#entry : null;
  }
}

/** The word a table stores first: a fingerprint's a with its low bit set, so that 0 marks an empty slot. */
function usedSlotWord(a: number): number {
  return (a | 1) >>> 0;
}

/** Records a log holds in one piece of storage: 512 KiB of fingerprints alone. */
const LOG_CHUNK_RECORDS = 1 << 16;

/**
 * Records of a key's fingerprint and `valueWords` more words, in the order
 * added, in pieces of LOG_CHUNK_RECORDS records written in order: memory
 * grows by a piece at a time, never by copying what is in.
 */
class RecordChunks {
  readonly recordWords: number;
  readonly #full: Uint32Array[] = [];
  #chunk: Uint32Array = new Uint32Array(0);
  #used = 0;

  constructor(valueWords: number) {
    this.recordWords = KEY_WORDS + valueWords;
  }

  get count(): number {
    return (this.#full.length * LOG_CHUNK_RECORDS * this.recordWords + this.#used) / this.recordWords;
  }

  /** Appends the key's record; its value words are `words[at]` on, zeroed, valid until the next append. */
  append(key: string, record: { words: Uint32Array; at: number }): void {
    if (this.#used === this.#chunk.length) {
      if (this.#chunk.length > 0) this.#full.push(this.#chunk);
      this.#chunk = resizableWords(this.recordWords * LOG_CHUNK_RECORDS);
      this.#used = 0;
    }
    const print = fingerprint(key);
    const chunk = this.#chunk;
    chunk[this.#used] = print.a;
    chunk[this.#used + 1] = print.b;
    record.words = chunk;
    record.at = this.#used + KEY_WORDS;
    this.#used += this.recordWords;
  }

  /** The pieces in order, the last cut to what is used; each is handed back once `visit` returns. */
  drain(visit: (records: Uint32Array) => void): void {
    for (const chunk of [...this.#full, this.#chunk.subarray(0, this.#used)]) {
      visit(chunk);
      release(chunk);
    }
    this.release();
  }

  release(): void {
    for (const chunk of this.#full) release(chunk);
    release(this.#chunk);
    this.#full.length = 0;
    this.#chunk = new Uint32Array(0);
    this.#used = 0;
  }
}

/**
 * Keys' fingerprints, 8 bytes a key, in the order added; which of them
 * came more than once is found when all are in, by sorting them. Memory
 * is 8 bytes a key (a table holds 10 to 12.5), written in order.
 */
export class FingerprintLog {
  readonly #records = new RecordChunks(0);
  readonly #record = { words: new Uint32Array(0), at: 0 };

  /** Records the key. */
  add(key: string): void {
    this.#records.append(key, this.#record);
  }

  /**
   * The fingerprints recorded more than once. The log's memory is handed
   * back as it is read: the log is not used again.
   */
  repeats(): RepeatedFingerprints {
    const count = this.#records.count;
    const sorted = new BigUint64Array(resizableWords(2 * count).buffer, 0, count);
    const words = new Uint32Array(sorted.buffer, 0, 2 * count);
    let at = 0;
    // Each piece is handed back once copied: the copy never needs twice the log's memory.
    this.#records.drain((chunk) => {
      words.set(chunk, at);
      at += chunk.length;
    });
    // Any order puts equal pairs of words side by side: the machine's byte order does not matter.
    sorted.sort();
    const repeated = new RepeatedFingerprints();
    for (let word = 2; word < words.length; word += 2) {
      if (words[word] === words[word - 2] && words[word + 1] === words[word - 1]) repeated.add(words[word] as number, words[word + 1] as number);
    }
    release(words);
    return repeated;
  }

  /** Hands the log's memory back at once; the log is not used again. */
  release(): void {
    this.#records.release();
  }
}

const WORD_MASK = 0xffffffffn;

/**
 * Pairs of a key and an unsigned 64-bit value, 16 bytes a pair, in the
 * order added; afterwards, the values of a few keys can be picked out. A
 * key stands for any other of the same 64-bit fingerprint (about n / 2^64
 * for n keys in the log).
 */
export class FingerprintValueLog {
  readonly #records = new RecordChunks(2);
  readonly #record = { words: new Uint32Array(0), at: 0 };

  /** Records `value` (0 to 2^64 - 1) under the key. */
  add(key: string, value: bigint): void {
    const record = this.#record;
    this.#records.append(key, record);
    record.words[record.at] = Number(value & WORD_MASK);
    record.words[record.at + 1] = Number(value >> 32n);
  }

  /**
   * The values recorded under each of `keys`, in the order added (keys
   * never recorded are missing). The log's memory is handed back as it is
   * read: the log is not used again.
   */
  valuesOf(keys: readonly string[]): Map<string, bigint[]> {
    const prints = keys.map((key) => ({ key, ...fingerprint(key) }));
    const wanted = new Map(prints.map((print) => [textOf(print), print.key]));
    // A word compared first: the text of a fingerprint is made only for the few records that may be wanted.
    const wantedFirstWords = new Set(prints.map((print) => print.a));
    const values = new Map<string, bigint[]>();
    this.#records.drain((records) => {
      for (let at = 0; at < records.length; at += this.#records.recordWords) {
        if (!wantedFirstWords.has(records[at] as number)) continue;
        const key = wanted.get(printText(records[at] as number, records[at + 1] as number));
        if (key === undefined) continue;
        const value = (BigInt(records[at + 3] as number) << 32n) | BigInt(records[at + 2] as number);
        const list = values.get(key);
        if (list === undefined) values.set(key, [value]);
        else list.push(value);
      }
    });
    return values;
  }
}

/** The fingerprints a log found more than once: few, held as plain strings. */
export class RepeatedFingerprints {
  readonly #prints = new Set<string>();

  get size(): number {
    return this.#prints.size;
  }

  add(a: number, b: number): void {
    this.#prints.add(printText(a, b));
  }

  /** True when the key's fingerprint is one of them: the key, or another of the same fingerprint, came more than once. */
  hasKeyOf(key: string): boolean {
    return this.#prints.has(textOf(fingerprint(key)));
  }
}

/** A fingerprint's two stored words as one string, a Map or Set key. */
function printText(a: number, b: number): string {
  return `${a}:${b}`;
}

const textOf = (print: { readonly a: number; readonly b: number }): string => printText(print.a, print.b);

/** An open-addressing table of (a, b, values...) records with linear probing; a is never 0. */
class Shard {
  readonly #recordWords: number;
  #words: Uint32Array;
  #capacity = INITIAL_SHARD_CAPACITY;
  #size = 0;

  constructor(recordWords: number) {
    this.#recordWords = recordWords;
    this.#words = shardStorage(INITIAL_SHARD_CAPACITY * recordWords);
  }

  find(a: number, b: number, entry: { words: Uint32Array; at: number; added: boolean }): void {
    if (this.#size + 1 > this.#capacity * MAX_LOAD) this.#grow();
    const at = this.#probe(a, b);
    const words = this.#words;
    entry.words = words;
    entry.at = at + KEY_WORDS;
    entry.added = words[at] === 0;
    if (entry.added) {
      words[at] = a;
      words[at + 1] = b;
      this.#size++;
    }
  }

  /** Points `entry` at (a, b)'s values; false when (a, b) is not in the shard. */
  lookup(a: number, b: number, entry: { words: Uint32Array; at: number; added: boolean }): boolean {
    const at = this.#probe(a, b);
    if (this.#words[at] === 0) return false;
    entry.words = this.#words;
    entry.at = at + KEY_WORDS;
    entry.added = false;
    return true;
  }

  release(): void {
    release(this.#words);
  }

  /** The record offset holding (a, b), or the empty one where it belongs. */
  #probe(a: number, b: number): number {
    const words = this.#words;
    const capacity = this.#capacity;
    // Scales b into [0, capacity); exact, since b * capacity < 2^53.
    for (let slot = Math.floor((b / TWO_TO_32) * capacity); ; slot = slot + 1 === capacity ? 0 : slot + 1) {
      const at = slot * this.#recordWords;
      const stored = words[at];
      if (stored === 0 || (stored === a && words[at + 1] === b)) return at;
    }
  }

  #grow(): void {
    const old = this.#words;
    const recordWords = this.#recordWords;
    this.#capacity = Math.ceil(this.#capacity * (old.byteLength < SMALL_SHARD_BYTES ? 2 : GROWTH));
    this.#words = shardStorage(this.#capacity * recordWords);
    for (let from = 0; from < old.length; from += recordWords) {
      const a = old[from] as number;
      if (a === 0) continue;
      const to = this.#probe(a, old[from + 1] as number);
      for (let word = 0; word < recordWords; word++) this.#words[to + word] = old[from + word] as number;
    }
    release(old);
  }
}

/** ES2024's resizable ArrayBuffer, which Node has since 20 (this project's lib, ES2022, does not type it). */
interface ResizableArrayBuffer extends ArrayBuffer {
  resize(byteLength: number): void;
}
const ResizableArrayBuffer = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => ResizableArrayBuffer;

/**
 * Zeroed words: a plain array while small, else in a buffer that `release`
 * can shrink to nothing, returning its memory at once.
 */
function shardStorage(length: number): Uint32Array {
  return length * Uint32Array.BYTES_PER_ELEMENT < SMALL_SHARD_BYTES ? new Uint32Array(length) : resizableWords(length);
}

/** Zeroed words in a buffer that `release` can shrink to nothing. */
function resizableWords(length: number): Uint32Array {
  const bytes = length * Uint32Array.BYTES_PER_ELEMENT;
  return new Uint32Array(new ResizableArrayBuffer(bytes, { maxByteLength: bytes }), 0, length);
}

/** Hands back the memory of storage from shardStorage; a small array is left to the garbage collector. */
function release(words: Uint32Array): void {
  const buffer = words.buffer as ResizableArrayBuffer & { readonly resizable?: boolean };
  if (buffer.resizable === true) buffer.resize(0);
}

/** A key's fingerprint: which shard holds it, and the two words stored. One object, reused: valid until the next call. */
const print = { shard: 0, a: 0, b: 0 };

/**
 * Three independent 32-bit FNV-1a style hashes with murmur3 finalisation.
 * The shard comes from the top bits of the third hash. Two UTF-16 units
 * are mixed in per step, as one 32-bit word: half the multiplications of a
 * unit at a time.
 */
function fingerprint(key: string): typeof print {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  let c = 0x9e3779b9;
  const length = key.length;
  // The loop stops before the last unit of an odd length: reading past the end gives NaN, which takes the loop off its integer path (twice as slow).
  let i = 0;
  for (; i + 1 < length; i += 2) {
    const pair = key.charCodeAt(i) | (key.charCodeAt(i + 1) << 16);
    a = Math.imul(a ^ pair, 0x01000193);
    b = Math.imul(b ^ pair, 0x5bd1e995);
    c = Math.imul(c ^ pair, 0xcc9e2d51);
  }
  if (i < length) {
    const last = key.charCodeAt(i);
    a = Math.imul(a ^ last, 0x01000193);
    b = Math.imul(b ^ last, 0x5bd1e995);
    c = Math.imul(c ^ last, 0xcc9e2d51);
  }
  // The length, mixed into b, tells a last unit alone from a pair whose second unit is 0.
  print.shard = finalMix(c) >>> (32 - SHARD_BITS);
  print.a = finalMix(a);
  print.b = finalMix(b ^ length);
  return print;
}

function finalMix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
