/**
 * A set of strings that remembers 96-bit fingerprints instead of the strings,
 * so that checking 2,000,000 accounts for duplicates costs 12 bytes an entry
 * (about 50 MB at the largest table) rather than the keys themselves.
 *
 * Two different keys share a fingerprint with probability about
 * n^2 / 2^96 (one bit is kept set to mark used slots): 6e-17 for two
 * million accounts. That risk of a false
 * "duplicate" is accepted; a real duplicate is always found.
 */
const WORDS = 3;
const INITIAL_CAPACITY = 1 << 12;
const MAX_LOAD = 0.7;

export class FingerprintSet {
  #slots = new Uint32Array(INITIAL_CAPACITY * WORDS);
  #capacity = INITIAL_CAPACITY;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds the key; returns false when it was already present. */
  add(key: string): boolean {
    const [a, b, c] = fingerprint(key);
    if (this.#size + 1 > this.#capacity * MAX_LOAD) this.#grow();
    return this.#insert(a, b, c);
  }

  #insert(a: number, b: number, c: number): boolean {
    const slots = this.#slots;
    const mask = this.#capacity - 1;
    // Word a is never 0 for a stored entry (fingerprint forces a bit), so 0 marks an empty slot.
    for (let slot = (b ^ c) & mask; ; slot = (slot + 1) & mask) {
      const at = slot * WORDS;
      const stored = slots[at];
      if (stored === 0) {
        slots[at] = a;
        slots[at + 1] = b;
        slots[at + 2] = c;
        this.#size++;
        return true;
      }
      if (stored === a && slots[at + 1] === b && slots[at + 2] === c) return false;
    }
  }

  #grow(): void {
    const old = this.#slots;
    this.#capacity *= 2;
    this.#slots = new Uint32Array(this.#capacity * WORDS);
    this.#size = 0;
    for (let at = 0; at < old.length; at += WORDS) {
      const a = old[at] as number;
      if (a !== 0) this.#insert(a, old[at + 1] as number, old[at + 2] as number);
    }
  }
}

/** Three independent 32-bit FNV-1a style hashes with murmur3 finalisation. */
function fingerprint(key: string): [number, number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  let c = 0x9e3779b9;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    c = Math.imul(c ^ code, 0xcc9e2d51);
  }
  return [(finalMix(a) | 1) >>> 0, finalMix(b ^ key.length), finalMix(c)];
}

function finalMix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
