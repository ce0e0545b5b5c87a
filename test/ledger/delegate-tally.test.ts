import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { compareKeys } from '../../src/ledger/account.js';
import { DelegatedBalances, DelegateTally, type DelegateStake } from '../../src/ledger/delegate-tally.js';

const MAX_U64 = 2n ** 64n - 1n;

/** The obvious way: every key in a Map, sorted at the end. */
function naiveLeaders(additions: readonly (readonly [string, bigint, boolean?])[], limit: number): DelegateStake[] {
  const totals = new Map<string, { stake: bigint; delegators: number }>();
  for (const [pk, balance] of additions) {
    const total = totals.get(pk) ?? { stake: 0n, delegators: 0 };
    totals.set(pk, { stake: total.stake + balance, delegators: total.delegators + 1 });
  }
  return [...totals]
    .map(([pk, total]) => ({ pk, ...total }))
    .sort((a, b) => (a.stake !== b.stake ? (a.stake > b.stake ? -1 : 1) : compareKeys(a.pk, b.pk)))
    .slice(0, limit);
}

/**
 * Each addition is an account delegating to a key: the key's own account
 * (delegating to itself) where `own` says so and the key has no own account
 * yet, as a ledger has each account once; another account otherwise.
 */
function tally(additions: readonly (readonly [string, bigint, boolean?])[], limit: number): DelegateTally {
  const result = new DelegateTally(limit);
  const ownAccounts = new Set<string>();
  for (const [index, [delegate, balance, own]] of additions.entries()) {
    const self = own === true && !ownAccounts.has(delegate);
    if (self) ownAccounts.add(delegate);
    result.add(self ? delegate : `account${index}`, delegate, balance);
  }
  return result;
}

/** One of `keys` + 1 delegate keys: few, so that many accounts share one. */
const delegateKey = (keys: number) => fc.integer({ min: 0, max: keys }).map((n) => `B62key${n}`);

// Few distinct balances so that equal stakes, broken by key, are common.
const balance = fc.oneof(fc.constant(0n), fc.constant(7n), fc.bigInt({ min: 0n, max: MAX_U64 }));

describe('DelegateTally', () => {
  it('ranks like a full Map for any stream, including many more keys than the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(delegateKey(3000), balance, fc.boolean()), { maxLength: 8000 }), fc.integer({ min: 0, max: 12 }), (additions, limit) => {
        const result = tally(additions, limit);
        assert.deepEqual(result.leaders(), naiveLeaders(additions, limit));
        assert.equal(result.delegates, new Set(additions.map(([pk]) => pk)).size);
      }),
      { numRuns: 40 },
    );
  });

  it('keeps a late riser that was cut earlier', () => {
    // 3000 keys of stake 10 fill and cut the board, then key 0 overtakes them all.
    const additions: [string, bigint][] = Array.from({ length: 3000 }, (_, n) => [`B62key${n}`, 10n]);
    additions.push(['B62key2999', 5n], ['B62key2999', 5n]);
    const result = tally(additions, 2);
    assert.deepEqual(result.leaders(), [
      { pk: 'B62key2999', stake: 20n, delegators: 3 },
      { pk: 'B62key0', stake: 10n, delegators: 1 },
    ]);
  });

  it('sums stakes beyond 2^64 without overflow, its own balance among them', () => {
    const result = tally(
      [
        ['B62a', MAX_U64],
        ['B62a', MAX_U64, true],
        ['B62a', MAX_U64],
      ],
      1,
    );
    assert.deepEqual(result.leaders(), [{ pk: 'B62a', stake: 3n * MAX_U64, delegators: 3 }]);
  });

  it('counts an account delegating to itself once, before or after others delegate to it', () => {
    const result = tally(
      [
        ['B62a', 5n, true],
        ['B62a', 7n],
        ['B62b', 1n],
        ['B62b', 2n, true],
        ['B62c', 4n, true],
      ],
      3,
    );
    assert.deepEqual(result.leaders(), [
      { pk: 'B62a', stake: 12n, delegators: 2 },
      { pk: 'B62c', stake: 4n, delegators: 1 },
      { pk: 'B62b', stake: 3n, delegators: 2 },
    ]);
    assert.equal(result.delegates, 3);
  });

  it('ranks every key when the limit is infinite', () => {
    const additions: [string, bigint][] = Array.from({ length: 5000 }, (_, n) => [`B62key${n}`, BigInt(n % 17)]);
    assert.deepEqual(tally(additions, Infinity).leaders(), naiveLeaders(additions, Infinity));
  });
});

describe('DelegatedBalances', () => {
  it("keeps each leader's chosen balances in ledger order, and counts and sums the others from its totals", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(delegateKey(30), balance), { maxLength: 500 }), fc.bigInt({ min: 0n, max: MAX_U64 }), (additions, bar) => {
        const balances = new DelegatedBalances((value) => value >= bar);
        const result = tally([], 4);
        let soFar = 0n;
        for (const [index, [delegate, value]] of additions.entries()) {
          soFar += value;
          result.add(`account${index}`, delegate, value);
          balances.add(delegate, value, soFar);
        }
        const leaders = result.leaders();
        const kept = balances.of(leaders);
        for (const leader of leaders) {
          const own = additions.filter(([delegate]) => delegate === leader.pk).map(([, value]) => value);
          const chosen = own.filter((value) => value >= bar);
          const others = own.filter((value) => value < bar);
          assert.deepEqual(kept.get(leader.pk), {
            kept: chosen,
            others: { delegators: others.length, stake: others.reduce((sum, value) => sum + value, 0n) },
          });
        }
      }),
      { numRuns: 60 },
    );
  });
});
