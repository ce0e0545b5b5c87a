import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { FingerprintSet, FingerprintTable } from '../../src/ledger/fingerprint-table.js';

describe('FingerprintSet', () => {
  it('behaves like a Set of strings for any sequence of additions', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 60 }), { maxLength: 300 }), (keys) => {
        const expected = new Set<string>();
        const actual = new FingerprintSet();
        for (const key of keys) {
          assert.equal(actual.add(key), !expected.has(key));
          expected.add(key);
        }
        assert.equal(actual.size, expected.size);
      }),
    );
  });

  it('keeps every key through many growths of its table', () => {
    const set = new FingerprintSet();
    const keys = Array.from({ length: 100_000 }, (_, i) => `B62q${i.toString(36).padStart(51, '_')}`);
    for (const key of keys) assert.equal(set.add(key), true);
    for (const key of keys) assert.equal(set.add(key), false);
    assert.equal(set.size, keys.length);
  });
});

describe('FingerprintTable', () => {
  it('keeps each key with its value words through growth', () => {
    const table = new FingerprintTable(2);
    const keys = Array.from({ length: 100_000 }, (_, i) => `B62q${i}`);
    keys.forEach((key, i) => {
      const entry = table.entry(key);
      assert.equal(entry.added, true);
      entry.words[entry.at] = i;
      entry.words[entry.at + 1] = i ^ 0xffffffff;
    });
    keys.forEach((key, i) => {
      const entry = table.entry(key);
      assert.equal(entry.added, false);
      assert.deepEqual([entry.words[entry.at], entry.words[entry.at + 1]], [i, (i ^ 0xffffffff) >>> 0]);
    });
    assert.equal(table.size, keys.length);
  });
});
