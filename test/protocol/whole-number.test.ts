import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import { safeWholeNumber, wholeNumberFrom, wholeNumberFromText } from '../../src/protocol/whole-number.js';

const U64 = (1n << 64n) - 1n;

describe('whole numbers from outside', () => {
  it('reads back every whole number up to the bound written as digits, with or without leading zeros', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: U64 }), fc.nat({ max: 3 }), (value, zeros) => {
        assert.equal(wholeNumberFromText(`${'0'.repeat(zeros)}${value}`, U64), value);
      }),
    );
  });

  it('refuses what is past the bound, and any text that is not plain digits', () => {
    assert.equal(wholeNumberFromText((U64 + 1n).toString(), U64), null);
    assert.equal(wholeNumberFromText('4294967296', 0xffff_ffffn), null);
    assert.equal(wholeNumberFromText('4294967295', 0xffff_ffffn), 0xffff_ffffn);
    for (const text of ['', '-1', '+1', '1.0', '1e3', ' 1', '1 ', '0x10', '١٢']) assert.equal(wholeNumberFromText(text, U64), null, JSON.stringify(text));
  });

  it('refuses a string of a million digits, and one of zeros before a small number reads as that number', () => {
    assert.equal(wholeNumberFromText('9'.repeat(1_000_000), U64), null);
    assert.equal(wholeNumberFromText(`${'0'.repeat(1_000_000)}7`, U64), 7n);
  });

  it('takes a safe JSON number where a format allows one, never a fraction, a negative or an unsafe number', () => {
    assert.equal(wholeNumberFrom(42, U64), 42n);
    assert.equal(wholeNumberFrom('42', U64), 42n);
    for (const value of [1.5, -1, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Number.POSITIVE_INFINITY, null, true, [], {}]) {
      assert.equal(wholeNumberFrom(value, U64), null, String(value));
    }
    assert.equal(safeWholeNumber(7, 6), null);
    assert.equal(safeWholeNumber('6', 6), 6);
  });
});
