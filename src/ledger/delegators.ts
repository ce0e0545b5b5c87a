import { MinapayError } from '../errors.js';
import type { Timing } from '../protocol/timing.js';
import { checkedKeyPoint, type KeyPoint } from '../protocol/keys.js';
import { checkedTotalCurrency, compareKeys, ownedCopy } from './account.js';
import { accountLabel } from './parse.js';
import type { AccountBatches } from './read.js';

/** A staking-ledger account delegating to the pool. */
export interface Delegator {
  /** Position of the account in the staking ledger export: its ledger index, which a payout statement names. */
  readonly index: number;
  readonly pk: string;
  /** The pool key it delegates to: the producer of the blocks its stake wins. */
  readonly delegate: string;
  readonly balance: bigint;
  /** Its vesting schedule; null for an untimed account. */
  readonly timing: Timing | null;
}

export interface PoolDelegators {
  readonly pools: readonly string[];
  /** Accounts in the ledger, of every token. */
  readonly accounts: number;
  /** Sum of the delegators' balances, in nanomina. */
  readonly totalStake: bigint;
  /** Sum of every MINA-token balance in the ledger, in nanomina: what alpha divides by. */
  readonly totalCurrency: bigint;
  /** Sorted by public key. */
  readonly delegators: readonly Delegator[];
  /** The points of the delegators' keys, decoded by the check of each key: a plan's commitment hashes them. */
  readonly keyPoints: ReadonlyMap<string, KeyPoint>;
}

/**
 * The MINA-token accounts whose delegate is one of the pool keys: the job the
 * staking-service guide does with `jq 'select(.pk == X or .delegate == X)'`,
 * without its mistake of counting the pool's own account when it delegates
 * elsewhere. Every delegator may be paid, so its key's checksum is verified.
 */
export async function poolDelegators(batches: AccountBatches, pools: readonly string[], ledgerName: string): Promise<PoolDelegators> {
  const poolKey = keyMatcher(pools);
  const delegators: Delegator[] = [];
  const keyPoints = new Map<string, KeyPoint>();
  let totalStake = 0n;
  let totalCurrency = 0n;
  let accountCount = 0;
  for await (const accounts of batches) {
    accountCount += accounts.length;
    for (const account of accounts) {
      if (account.isMinaToken) totalCurrency += account.balance;
      const delegate = account.delegate === null ? undefined : poolKey(account.delegate);
      if (delegate === undefined) continue;
      const point = checkedKeyPoint(account.pk);
      if (typeof point === 'string') {
        throw new MinapayError('LEDGER_BAD_PUBLIC_KEY', `${ledgerName}: ${accountLabel(account.index, account.pk)} ${point}`);
      }
      const pk = ownedCopy(account.pk);
      delegators.push({ index: account.index, pk, delegate, balance: account.balance, timing: account.timing });
      keyPoints.set(pk, point);
      totalStake += account.balance;
    }
  }
  delegators.sort((a, b) => compareKeys(a.pk, b.pk));
  return {
    pools: [...pools].sort(compareKeys),
    accounts: accountCount,
    totalStake,
    totalCurrency: checkedTotalCurrency(totalCurrency, ledgerName),
    delegators,
    keyPoints,
  };
}

/** Up to this many keys, a key is looked for by comparing strings rather than in a Map. */
const FEW_KEYS = 8;

/**
 * Which of `keys` a key read from a ledger is, as the caller's own string
 * (a delegator keeps it, not the one sliced from the ledger's text), or
 * undefined. A pool has one key or a few: comparing stops at the first
 * character that differs, where a Map lookup hashes all 55 of every account's
 * delegate.
 */
function keyMatcher(keys: readonly string[]): (key: string) => string | undefined {
  if (keys.length > FEW_KEYS) {
    const byKey = new Map(keys.map((key) => [key, key]));
    return (key) => byKey.get(key);
  }
  return (key) => keys.find((candidate) => candidate === key);
}
