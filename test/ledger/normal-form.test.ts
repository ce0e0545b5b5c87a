import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import { LEGACY_MINA_TOKEN_ID, MINA_TOKEN_ID, isMinaTokenId, type LedgerAccount } from '../../src/ledger/account.js';
import { accountLine } from '../../src/ledger/normal-form.js';
import { parseAccount } from '../../src/ledger/parse.js';
import { formatMinaAsExported, MAX_UINT64 } from '../../src/protocol/amounts.js';
import { MAX_GLOBAL_SLOT } from '../../src/protocol/timing.js';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const base58 = (length: number) => fc.string({ unit: fc.constantFrom(...BASE58), minLength: length, maxLength: length });
const publicKey = base58(52).map((tail) => `B62${tail}`);
const nanomina = fc.bigInt({ min: 0n, max: MAX_UINT64 });
const slot = fc.integer({ min: 0, max: MAX_GLOBAL_SLOT });

/** Any account parseAccount can produce. */
const ledgerAccount: fc.Arbitrary<LedgerAccount> = fc
  .record({
    index: fc.nat(),
    pk: publicKey,
    token: fc.oneof(
      fc.constant(MINA_TOKEN_ID),
      fc.constant(LEGACY_MINA_TOKEN_ID),
      base58(50).map((tail) => `x${tail}`),
    ),
    balance: nanomina,
    delegate: publicKey,
    timing: fc.option(
      fc
        .record({ initialMinimumBalance: nanomina, cliffTime: slot, cliffAmount: nanomina, vestingPeriod: slot, vestingIncrement: nanomina })
        .map((timing) => ({ ...timing })),
      { nil: null },
    ),
  })
  .map((account) => ({ ...account, isMinaToken: isMinaTokenId(account.token), delegate: isMinaTokenId(account.token) ? account.delegate : null }));

describe('accountLine', () => {
  it('reads back through parseAccount as the same account, for all accounts', () => {
    fc.assert(
      fc.property(ledgerAccount, (account) => {
        const line = accountLine(account);
        assert.equal(line.includes('\n'), false);
        assert.deepEqual(parseAccount(JSON.parse(line), account.index), account);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes amounts as the daemon does and leaves defaults out', () => {
    const pk = 'B62qrecVjpoZ4Re3a5arN6gXZ6orhmj1enUtA887XdG5mtZfdUbBUh4';
    const account = parseAccount({ pk, balance: '17000.000000000' }, 0);
    assert.equal(accountLine(account), `{"pk":"${pk}","balance":"17000","delegate":"${pk}"}`);
    assert.equal(formatMinaAsExported(1_500_000_000n), '1.5');
    assert.equal(formatMinaAsExported(8_680_556n), '0.008680556');
    assert.equal(formatMinaAsExported(0n), '0');
  });
});
