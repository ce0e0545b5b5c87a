import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MinapayError } from '../../src/errors.js';
import { parseOverrides, parseRate } from '../../src/payout/overrides.js';
import { rational } from '../../src/protocol/rational.js';

const A = 'B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1';
const B = 'B62qpR8BVdV86jgnzCzHebvAcSVnKb4yWigJBrUWmdDUZy1qsHtHUrG';
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
    assert.deepEqual(json.get(A), { commission: rational(8n, 100n), payTo: undefined, exclude: undefined, program: 'foundation' });
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
    assert.throws(() => parseOverrides(JSON.stringify([{ pk: A, program: 'other' }]), 'o.json'), invalid(/program must be one of foundation, not other/));
  });

  it('takes rates from 0 to 1 as exact decimals only', () => {
    assert.deepEqual(parseRate('0.05'), rational(1n, 20n));
    assert.deepEqual(parseRate('1'), rational(1n));
    for (const bad of ['1.01', '-0.1', '5%', '1e-2', '']) assert.equal(parseRate(bad), null, bad);
  });
});
