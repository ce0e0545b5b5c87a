import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import { mergeRanges, missingRanges, rangeSize } from '../../src/slots/slot-ranges.js';

describe('slot ranges', () => {
  it('merges touching and overlapping ranges', () => {
    assert.deepEqual(
      mergeRanges([
        { first: 10, last: 19 },
        { first: 0, last: 4 },
        { first: 5, last: 7 },
        { first: 15, last: 30 },
      ]),
      [
        { first: 0, last: 7 },
        { first: 10, last: 30 },
      ],
    );
  });

  it('finds exactly the slots of the whole that no done range covers', () => {
    const range = fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 30 })).map(([first, length]) => ({ first, last: first + length }));
    fc.assert(
      fc.property(range, fc.array(range, { maxLength: 8 }), (whole, done) => {
        const missing = missingRanges(whole, done);
        const covered = (slot: number) => done.some((r) => r.first <= slot && slot <= r.last);
        const expected: number[] = [];
        for (let slot = whole.first; slot <= whole.last; slot++) if (!covered(slot)) expected.push(slot);
        assert.deepEqual(
          missing.flatMap((r) => Array.from({ length: r.last - r.first + 1 }, (_, i) => r.first + i)),
          expected,
        );
        assert.equal(rangeSize(missing), expected.length);
      }),
    );
  });
});
