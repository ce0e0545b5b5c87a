import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { AN_ARRAY, AN_OBJECT, RawAccount, RawTiming } from '../../src/ledger/account-extractor.js';
import { createAccountDecoder, DecodeFailure } from '../../src/ledger/decode.js';

const ACCOUNT_FIELDS = ['pk', 'balance', 'delegate', 'token', 'timing'] as const;
const TIMING_FIELDS = ['initial_minimum_balance', 'cliff_time', 'cliff_amount', 'vesting_period', 'vesting_increment'] as const;

/** A value as the extractor reports it: containers by kind only. */
function kindOf(value: unknown): unknown {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return value;
}

/** The reference: JSON.parse of the whole element, then the fields minapay reads. */
function expectedElement(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return kindOf(value);
  const account = value as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const field of ACCOUNT_FIELDS) {
    if (!Object.hasOwn(account, field)) continue;
    const timing = account[field];
    if (field === 'timing' && typeof timing === 'object' && timing !== null && !Array.isArray(timing)) {
      const timingFields: Record<string, unknown> = {};
      for (const name of TIMING_FIELDS) if (Object.hasOwn(timing, name)) timingFields[name] = kindOf((timing as Record<string, unknown>)[name]);
      fields[field] = timingFields;
    } else {
      fields[field] = kindOf(account[field]);
    }
  }
  return fields;
}

/** What the extractor gave, in the reference's terms: absent fields left out, stand-ins named by kind. */
function actualElement(element: unknown): unknown {
  if (element === AN_ARRAY) return 'an array';
  if (element === AN_OBJECT) return 'an object';
  if (!(element instanceof RawAccount) && !(element instanceof RawTiming)) return element;
  const fields: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(element)) if (value !== undefined) fields[field] = actualElement(value);
  return fields;
}

/** Decodes `text` fed in pieces cut at `cuts`, as the reader's chunks would come. */
function decode(text: string, format: 'array' | 'wrapper', cuts: readonly number[] = []): unknown[] {
  const decoder = createAccountDecoder(format, 1);
  const out: unknown[] = [];
  let from = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b)) {
    decoder.write(text.slice(from, cut), out);
    from = cut;
  }
  decoder.write(text.slice(from), out);
  decoder.end(out);
  return out.map(actualElement);
}

const keyLike = fc.constantFrom('pk', 'balance', 'delegate', 'token', 'timing', 'nonce', 'permissions', 'zkapp', 'p\\u006b', 'tim\\u0069ng', '__proto__', '');
const timingKey = fc.constantFrom(...TIMING_FIELDS, 'other', 'cliff\\u005ftime');
/** JSON text of any value, nested containers included. */
const anyValue = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value));
/** Strings with escapes and non-ASCII, written as JSON does and with \u escapes. */
const stringValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => JSON.stringify(s)),
  fc.string({ maxLength: 10 }).map((s) => `"${[...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`),
);
const numberValue = fc.oneof(
  fc.constantFrom('1000', '-0', '1.5', '1e400', '-2E-3', '12345678901234567890'),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
);
const fieldValue = fc.oneof(anyValue, stringValue, numberValue);
/** Objects written by hand, so that keys may repeat and come in any order. */
const objectText = (key: fc.Arbitrary<string>, value: fc.Arbitrary<string>) =>
  fc.array(fc.tuple(key, value), { maxLength: 8 }).map((entries) => `{${entries.map(([k, v]) => `"${k}": ${v}`).join(', ')}}`);
const timingText = objectText(timingKey, fieldValue);
const accountText = objectText(keyLike, fc.oneof({ weight: 3, arbitrary: fieldValue }, { weight: 2, arbitrary: timingText }));
const elementText = fc.oneof({ weight: 5, arbitrary: accountText }, { weight: 1, arbitrary: anyValue });
const whitespace = fc.constantFrom('', ' ', '\n', '\n  ', '\t', '\r\n');

describe('AccountExtractor', () => {
  it('agrees with JSON.parse on the fields it keeps, for any elements, key order, repeated keys and chunking', () => {
    fc.assert(
      fc.property(fc.array(elementText, { maxLength: 6 }), whitespace, fc.array(fc.nat(), { maxLength: 12 }), (elements, space, cuts) => {
        const text = `${space}[${space}${elements.join(`,${space}`)}${space}]${space}`;
        const expected = (JSON.parse(text) as unknown[]).map(expectedElement);
        assert.deepEqual(decode(text, 'array', cuts), expected);
        const wrapped = `{"genesis": {"ledger": {"accounts": [1]}}, "ledger": {"name": "x", "accounts": ${text}, "num_accounts": 3}, "accounts": [2]}`;
        assert.deepEqual(decode(wrapped, 'wrapper', cuts), expected);
      }),
      { numRuns: 500 },
    );
  });

  it('skips nesting 50,000 levels deep without recursing, and reports a deep pk by its kind', () => {
    const deep = `${'[{"a":'.repeat(50_000)}1${'}]'.repeat(50_000)}`;
    const text = `[{"permissions": ${deep}, "pk": "B62x", "balance": "1"}, {"pk": ${deep}}, ${deep}]`;
    assert.deepEqual(decode(text, 'array', [7, 300_000]), [{ pk: 'B62x', balance: '1' }, { pk: 'an array' }, 'an array']);
  });

  it('keeps numbers as JSON.parse does, so that amounts written as numbers are refused later', () => {
    const text = '[{"balance": 1000, "timing": {"cliff_time": 86400, "cliff_amount": 1e400, "vesting_period": -0}}]';
    assert.deepEqual(decode(text, 'array'), [{ balance: 1000, timing: { cliff_time: 86400, cliff_amount: Number.POSITIVE_INFINITY, vesting_period: -0 } }]);
  });

  it('decodes escaped keys and strings', () => {
    const text = String.raw`[{"p\u006b": "B62\u0071\n\"x\"", "token": "\ud83e\ude99"}]`;
    assert.deepEqual(decode(text, 'array'), [{ pk: 'B62q\n"x"', token: '🪙' }]);
  });

  it('takes a timing that is not an object by its kind, and the last of repeated keys', () => {
    const text = '[{"timing": [1], "pk": "a", "pk": {"b": 1}}, {"timing": {"cliff_time": "1"}, "timing": null}]';
    assert.deepEqual(decode(text, 'array'), [{ timing: 'an array', pk: 'an object' }, { timing: null }]);
  });

  it('refuses a wrapper whose accounts are not an array, or that has none', () => {
    const refused = (text: string, pattern: RegExp) =>
      assert.throws(
        () => decode(text, 'wrapper'),
        (error: unknown) => error instanceof DecodeFailure && error.code === 'LEDGER_NOT_A_LEDGER' && pattern.test(error.message),
      );
    refused('{"ledger": {"accounts": 5}}', /should be an array/);
    refused('{"ledger": {"accounts": {"pk": "x"}}}', /should be an array/);
    refused('{"ledger": [{"accounts": []}], "x": {"ledger": {"accounts": []}}}', /without a "ledger\.accounts" array/);
  });
});
