import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MinapayError } from '../../src/errors.js';
import { MINA_TOKEN_ID } from '../../src/ledger/account.js';
import { parseAccount } from '../../src/ledger/parse.js';

const PK = 'B62qrecVjpoZ4Re3a5arN6gXZ6orhmj1enUtA887XdG5mtZfdUbBUh4';
const OTHER = 'B62qiy32p8kAKnny8ZFwoMhYpBppM1DWVCqAPBYNcXnsAHhnfAAuXgg';

function refusal(raw: unknown, code: string, pattern: RegExp): void {
  assert.throws(
    () => parseAccount(raw, 7),
    (error: unknown) => error instanceof MinapayError && error.code === code && pattern.test(error.message),
  );
}

describe('parseAccount', () => {
  it('normalises a pre-Berkeley account, timing included, to nanomina', () => {
    const account = parseAccount(
      {
        pk: PK,
        balance: '6000.5',
        delegate: OTHER,
        token: '1',
        timing: { initial_minimum_balance: '6000', cliff_time: '172800', cliff_amount: '1500', vesting_period: '1', vesting_increment: '0.008680556' },
      },
      3,
    );
    assert.deepEqual(account, {
      index: 3,
      pk: PK,
      token: '1',
      isMinaToken: true,
      balance: 6_000_500_000_000n,
      delegate: OTHER,
      timing: { initialMinimumBalance: 6_000_000_000_000n, cliffTime: 172800, cliffAmount: 1_500_000_000_000n, vestingPeriod: 1, vestingIncrement: 8_680_556n },
    });
  });

  it('makes a MINA account without delegate delegate to itself, and defaults the token to MINA', () => {
    const account = parseAccount({ pk: PK, balance: '1' }, 0);
    assert.equal(account.delegate, PK);
    assert.equal(account.token, MINA_TOKEN_ID);
    assert.equal(account.isMinaToken, true);
    assert.equal(account.timing, null);
  });

  it('gives custom-token accounts no delegate: they do not stake', () => {
    const account = parseAccount({ pk: PK, balance: '5', token: 'wfG3GivPMttpt6nQnPuX9eDPnoyA5RJZY23LTc4kkNkCRH2gUd', delegate: OTHER }, 0);
    assert.equal(account.isMinaToken, false);
    assert.equal(account.delegate, null);
  });

  it('refuses bad balances naming index and key', () => {
    refusal({ pk: PK, balance: '-1' }, 'LEDGER_BAD_AMOUNT', /account #7 \(B62qrec.*\) has balance that is negative/);
    refusal({ pk: PK, balance: '1.0000000001' }, 'LEDGER_BAD_AMOUNT', /more than 9 decimals/);
    refusal({ pk: PK, balance: '18446744073.709551616' }, 'LEDGER_BAD_AMOUNT', /exceeds 2\^64-1/);
    refusal({ pk: PK, balance: 12.5 }, 'LEDGER_BAD_AMOUNT', /expected a decimal MINA string/);
    refusal({ pk: PK }, 'LEDGER_BAD_AMOUNT', /balance missing/);
  });

  it('refuses malformed keys and fields', () => {
    refusal({ pk: 'B62qnotakey', balance: '1' }, 'LEDGER_BAD_PUBLIC_KEY', /account #7 \(B62qnotakey\) has pk "B62qnotakey", not a B62 public key/);
    refusal({ balance: '1' }, 'LEDGER_BAD_PUBLIC_KEY', /pk missing/);
    refusal({ pk: PK, balance: '1', delegate: 'EKnot' }, 'LEDGER_BAD_PUBLIC_KEY', /delegate "EKnot"/);
    refusal(
      { pk: PK, balance: '1', timing: { initial_minimum_balance: '1', cliff_time: '-5', cliff_amount: '0', vesting_period: '1', vesting_increment: '0' } },
      'LEDGER_BAD_ACCOUNT',
      /cliff_time/,
    );
    refusal([1, 2], 'LEDGER_BAD_ACCOUNT', /not a JSON object/);
  });
});
