import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MinapayError } from '../../src/errors.js';
import { poolDelegators } from '../../src/ledger/delegators.js';
import { fileInput, readLedger } from '../../src/ledger/read.js';
import { fixture } from '../helpers.js';

const POST_BERKELEY = fixture('ledger', 'post-berkeley.json');
const TOO_MUCH_CURRENCY = fixture('ledger', 'too-much-currency.json');
const POOL = 'B62qrMi68WSSWpmb3Yfp7ztzAFx6gUyF26VAzPNgYEoYKRASRj2pqZK';

describe('poolDelegators', () => {
  it("sums the pool's stake and the ledger's MINA", async () => {
    const result = await poolDelegators(readLedger(fileInput(POST_BERKELEY)), [POOL], POST_BERKELEY);
    // The pool's own account counts: with no delegate it stakes for itself.
    assert.equal(result.delegators.length, 4);
    assert.equal(result.totalStake, 252_500_500_000_001n);
    assert.equal(result.totalCurrency, 252_552_500_000_001n);
  });

  it("refuses a ledger whose MINA adds up to more than the protocol's uint64 total currency", async () => {
    await assert.rejects(poolDelegators(readLedger(fileInput(TOO_MUCH_CURRENCY)), [POOL], TOO_MUCH_CURRENCY), (error: unknown) => {
      assert.ok(error instanceof MinapayError);
      assert.equal(error.code, 'LEDGER_TOO_MUCH_CURRENCY');
      assert.match(error.message, /too-much-currency\.json: its MINA-token balances add up to 20\d+ nanomina, more than .*2\^64 - 1/);
      return true;
    });
  });
});
