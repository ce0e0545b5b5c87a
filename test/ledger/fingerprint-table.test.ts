import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { FingerprintLog, FingerprintTable, FingerprintValueLog } from '../../src/ledger/fingerprint-table.js';

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

describe('FingerprintValueLog', () => {
  it('gives the values of the keys asked for, in the order added, for any sequence', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })), { maxLength: 300 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 50 }), { maxLength: 8 }),
        (records, asked) => {
          const log = new FingerprintValueLog();
          for (const [key, value] of records) log.add(`B62k${key}`, value);
          const expected = new Map<string, bigint[]>();
          for (const [key, value] of records) {
            if (asked.includes(key)) expected.set(`B62k${key}`, [...(expected.get(`B62k${key}`) ?? []), value]);
          }
          assert.deepEqual(log.valuesOf(asked.map((key) => `B62k${key}`)), expected);
        },
      ),
    );
  });

  it('keeps every value across many pieces of storage', () => {
    const log = new FingerprintValueLog();
    for (let i = 0; i < 200_000; i++) log.add(i % 3 === 0 ? 'B62qleader' : `B62q${i}`, BigInt(i) * 2n ** 33n + 1n);
    const values = log.valuesOf(['B62qleader', 'B62q199999', 'B62qnever']);
    assert.equal(values.get('B62qleader')?.length, 66_667);
    assert.equal(values.get('B62qleader')?.at(-1), 199_998n * 2n ** 33n + 1n);
    assert.deepEqual(values.get('B62q199999'), [199_999n * 2n ** 33n + 1n]);
    assert.equal(values.has('B62qnever'), false);
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
