import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { FingerprintLog, FingerprintTable } from '../../src/ledger/fingerprint-table.js';

describe('FingerprintLog', () => {
  it('finds the keys added more than once, for any sequence of additions', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 60 }), { maxLength: 300 }), (keys) => {
        const log = new FingerprintLog();
        for (const key of keys) log.add(key);
        const repeated = log.repeats();
        const counts = new Map<string, number>();
        for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
        for (const [key, count] of counts) assert.equal(repeated.hasKeyOf(key), count > 1, key);
        assert.equal(repeated.size, [...counts.values()].filter((count) => count > 1).length);
      }),
    );
  });

  it('keeps every key across many pieces of storage, and finds a repeat far from its first', () => {
    const log = new FingerprintLog();
    const keys = Array.from({ length: 300_000 }, (_, i) => `B62q${i.toString(36).padStart(51, '_')}`);
    for (const key of keys) log.add(key);
    log.add(keys[7] as string);
    const repeated = log.repeats();
    assert.equal(repeated.size, 1);
    assert.equal(repeated.hasKeyOf(keys[7] as string), true);
    assert.equal(repeated.hasKeyOf(keys[8] as string), false);
  });

  it('finds nothing in an empty log', () => {
    assert.equal(new FingerprintLog().repeats().size, 0);
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
