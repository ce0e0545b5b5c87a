import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';

import { csvPieces, formatCsv } from '../../src/io/csv.js';
import { canonicalJsonPieces, inRuns, joined, PIECE_SIZE, prettyJsonPieces } from '../../src/io/text-pieces.js';

/** Canonical JSON as one recursive string, the way plan hashes were always taken. */
function canonicalReference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalReference).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, field]) => `${JSON.stringify(name)}:${canonicalReference(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const documents = fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined)), { maxKeys: 6 });
const listed = fc.array(fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined)), { maxLength: 6 });

describe('text pieces', () => {
  it('prettyJsonPieces joins to JSON.stringify with two-space indents, wherever the list sits, from an array or items made as written', () => {
    fc.assert(
      fc.property(documents, listed, fc.nat(6), (document, items, at) => {
        const entries: [string, unknown][] = Object.entries(document);
        entries.splice(Math.min(at, entries.length), 0, ['lines', items]);
        const withLines = Object.fromEntries(entries);
        assert.equal(joined(prettyJsonPieces(withLines, 'lines', items)), JSON.stringify(withLines, null, 2));
        assert.equal(joined(prettyJsonPieces({ ...withLines, lines: null }, 'lines', items.values())), JSON.stringify(withLines, null, 2));
      }),
      { numRuns: 300 },
    );
  });

  it('canonicalJsonPieces joins to the canonical JSON of the whole document', () => {
    fc.assert(
      fc.property(documents, listed, (document, items) => {
        const withLines = { ...document, lines: items };
        assert.equal(joined(canonicalJsonPieces(withLines)), canonicalReference(withLines));
      }),
      { numRuns: 300 },
    );
  });

  it('canonicalJsonPieces sorts the keys of objects that follow one another with the same keys, in the same order or not', () => {
    // Lines of one plan share their keys: the order found for one is taken again for the next (text-pieces.ts, sortedNames).
    const keys = fc.uniqueArray(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 6 });
    const lines = keys.chain((names) =>
      fc.array(fc.tuple(fc.shuffledSubarray(names, { minLength: names.length }), fc.array(fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined)))), {
        maxLength: 8,
      }),
    );
    fc.assert(
      fc.property(lines, (made) => {
        const items = made.map(([order, values]) => Object.fromEntries(order.map((name, at) => [name, values[at]])));
        const document = { lines: items, nested: items.map((item) => ({ ...item, inner: item })) };
        assert.equal(joined(canonicalJsonPieces(document)), canonicalReference(document));
      }),
      { numRuns: 300 },
    );
  });

  it('csvPieces gives the text of one stringify over every row, across any number of pieces', () => {
    const row = fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.boolean(), fc.integer(), fc.constant(null), fc.constantFrom('=1+1', '@x', 'a,b', 'a"b')), {
      minLength: 3,
      maxLength: 3,
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 1300 }), (rows) => {
        const whole = stringify(rows, { header: true, columns: ['a', 'b', 'c'], escape_formulas: true, cast: { boolean: String } });
        assert.equal(joined(csvPieces(rows, ['a', 'b', 'c'])), whole);
        assert.equal(formatCsv(rows, ['a', 'b', 'c']), whole);
      }),
      { numRuns: 20 },
    );
  });

  it('inRuns keeps the text and makes runs of about PIECE_SIZE characters', () => {
    const pieces = Array.from({ length: 20_000 }, (_, i) => `piece ${i};`);
    const runs = [...inRuns(pieces)];
    assert.equal(runs.join(''), pieces.join(''));
    assert.ok(runs.length > 1 && runs.slice(0, -1).every((run) => run.length >= PIECE_SIZE && run.length < PIECE_SIZE + 20));
    assert.deepEqual([...inRuns('one string')], ['one string']);
  });
});
