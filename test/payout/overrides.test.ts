import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MinapayError } from '../../src/errors.js';
import { mergeTerms, parseOverrides, parsePrograms } from '../../src/payout/overrides.js';
import { rational } from '../../src/protocol/rational.js';

const A = 'B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1';
const B = 'B62qpR8BVdV86jgnzCzHebvAcSVnKb4yWigJBrUWmdDUZy1qsHtHUrG';
const C = 'B62qnx5hKBFHZFUFjpEXzh2du8wRegCHrp3kL17gY7qxMBFQcBycJM5';
const invalid = (text: RegExp) => (error: unknown) => error instanceof MinapayError && error.code === 'OVERRIDES_INVALID' && text.test(error.message);

describe('parseOverrides', () => {
  it('reads the same terms from JSON and from CSV with empty cells', () => {
    const json = parseOverrides(
      JSON.stringify([
        { pk: A, commission: '0.08', program: 'foundation' },
        { pk: B, payTo: A, exclude: false },
      ]),
      'o.json',
    );
    const csv = parseOverrides(`pk,commission,payTo,exclude,program\n${A},0.08,,,foundation\n${B},,${A},no,\n`, 'o.csv');
    assert.deepEqual(csv, json);
    assert.deepEqual(json.get(A), {
      commission: rational(8n, 100n),
      payTo: undefined,
      exclude: undefined,
      program: 'foundation',
      fees: undefined,
      burn: undefined,
    });
  });

  it('names the file, row and account of a bad entry', () => {
    assert.throws(
      () => parseOverrides(`pk,commission\n${A},1.2\n`, 'o.csv'),
      invalid(/o\.csv: row 2 \(B62qjWC\w+\) commission must be a decimal from 0 to 1, not 1\.2/),
    );
    assert.throws(() => parseOverrides(`pk,exclude\n${A},maybe\n`, 'o.csv'), invalid(/exclude must be true or false, not maybe/));
    assert.throws(() => parseOverrides(JSON.stringify([{ pk: A }, { pk: A }]), 'o.json'), invalid(/o\.json: entry 1 repeats B62qjWC/));
    assert.throws(() => parseOverrides(JSON.stringify([{ pk: 'B62qnope' }]), 'o.json'), invalid(/entry 0 pk B62qnope is not a B62 public key/));
    assert.throws(() => parseOverrides(JSON.stringify([{ pk: A, rate: '0.1' }]), 'o.json'), invalid(/unknown field rate/));
    assert.throws(
      () => parseOverrides(JSON.stringify([{ pk: A, program: 'other' }]), 'o.json'),
      invalid(/program must be one of foundation, o1, investor, not other/),
    );
  });

  it('reads a split payout, a fee class and a burn rate, from JSON and CSV alike', () => {
    const csv = parseOverrides(`pk,payTo,fees,burn\n${A},"${B}:70, ${C}:30",exclude,0.5\n${B},${C},share,\n`, 'o.csv');
    const json = parseOverrides(
      JSON.stringify([
        { pk: A, payTo: `${B}:70,${C}:30`, fees: 'exclude', burn: '0.5' },
        { pk: B, payTo: C, fees: 'share' },
      ]),
      'o.json',
    );
    assert.deepEqual(csv, json);
    assert.deepEqual(json.get(A)?.payTo, [
      { payTo: B, weight: rational(70n) },
      { payTo: C, weight: rational(30n) },
    ]);
    assert.deepEqual(json.get(A)?.burn, rational(1n, 2n));
    assert.deepEqual(json.get(B)?.payTo, [{ payTo: C, weight: rational(1n) }]);
  });

  it('refuses a split without weights, with a zero weight or an address twice, a fee class it does not know and a burn over 1', () => {
    const entry = (fields: Record<string, string>) => () => parseOverrides(JSON.stringify([{ pk: A, ...fields }]), 'o.json');
    assert.throws(entry({ payTo: `${B},${C}` }), invalid(/entry 0 \(B62qjWC\w+\) payTo B62qpR8\w+ is not an address with a positive weight/));
    assert.throws(entry({ payTo: `${B}:0,${C}:1` }), invalid(/payTo B62qpR8\w+:0 is not an address with a positive weight/));
    assert.throws(entry({ payTo: `${B}:1,${B}:2` }), invalid(/payTo names B62qpR8\w+ twice/));
    assert.throws(entry({ payTo: 'B62qnope:1' }), invalid(/payTo B62qnope is not a B62 public key/));
    assert.throws(entry({ fees: 'keep' }), invalid(/fees must be share or exclude, not keep/));
    assert.throws(entry({ burn: '1.5' }), invalid(/burn must be a decimal from 0 to 1, not 1\.5/));
  });

  it('reads a programs file as coinbase-only terms paid to the return address, with overrides winning field by field', () => {
    const programs = parsePrograms(`pk,program,rate,returnAddress\n${A},foundation,,${B}\n${C},o1,0.05,\n`, 'p.csv');
    assert.deepEqual(programs.get(A), { program: 'foundation', commission: undefined, payTo: [{ payTo: B, weight: rational(1n) }], fees: 'exclude' });
    assert.deepEqual(programs.get(C), { program: 'o1', commission: rational(5n, 100n), payTo: undefined, fees: 'exclude' });
    const merged = mergeTerms(
      programs,
      parseOverrides(
        JSON.stringify([
          { pk: C, fees: 'share', burn: '0.1' },
          { pk: B, commission: '0' },
        ]),
        'o.json',
      ),
    );
    assert.deepEqual(merged.get(C), { program: 'o1', commission: rational(5n, 100n), payTo: undefined, fees: 'share', burn: rational(1n, 10n) });
    assert.deepEqual(merged.get(A), programs.get(A));
    assert.deepEqual(merged.get(B), { commission: rational(0n) });
    assert.throws(() => parsePrograms(JSON.stringify([{ pk: A, rate: '0.05' }]), 'p.json'), invalid(/p\.json: entry 0 \(B62qjWC\w+\) has no program/));
    assert.throws(
      () => parsePrograms(JSON.stringify([{ pk: A, program: 'o1', payTo: B }]), 'p.json'),
      invalid(/unknown field payTo \(known: pk, program, rate, returnAddress\)/),
    );
    assert.throws(() => parsePrograms('pk,program\n', 'p.csv'), invalid(/p\.csv has no entries; leave out --programs/));
  });
});
