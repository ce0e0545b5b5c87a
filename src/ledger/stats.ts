import type { LedgerAccount } from './account.js';

export interface DelegateStake {
  readonly pk: string;
  /** Sum of the balances delegated to this key, in nanomina. */
  readonly stake: bigint;
  readonly delegators: number;
}

export interface LedgerStats {
  readonly accounts: number;
  readonly minaAccounts: number;
  readonly totalStake: bigint;
  readonly timedAccounts: number;
  readonly selfDelegated: number;
  readonly delegates: number;
  readonly topDelegates: readonly DelegateStake[];
}

/**
 * One pass over a ledger: totals over MINA-token accounts and the N largest
 * delegate keys by stake (ties broken by key, so the output is deterministic).
 * Memory grows with the number of distinct delegate keys, not with accounts.
 */
export async function ledgerStats(accounts: AsyncIterable<LedgerAccount>, top: number): Promise<LedgerStats> {
  let count = 0;
  let minaAccounts = 0;
  let totalStake = 0n;
  let timedAccounts = 0;
  let selfDelegated = 0;
  const byDelegate = new Map<string, { stake: bigint; delegators: number }>();
  for await (const account of accounts) {
    count++;
    if (!account.isMinaToken || account.delegate === null) continue;
    minaAccounts++;
    totalStake += account.balance;
    if (account.timing !== null) timedAccounts++;
    if (account.delegate === account.pk) selfDelegated++;
    const entry = byDelegate.get(account.delegate);
    if (entry === undefined) byDelegate.set(account.delegate, { stake: account.balance, delegators: 1 });
    else {
      entry.stake += account.balance;
      entry.delegators++;
    }
  }
  const ranked = [...byDelegate].map(([pk, { stake, delegators }]) => ({ pk, stake, delegators }));
  ranked.sort(byStakeThenKey);
  return {
    accounts: count,
    minaAccounts,
    totalStake,
    timedAccounts,
    selfDelegated,
    delegates: byDelegate.size,
    topDelegates: ranked.slice(0, top),
  };
}

function byStakeThenKey(a: DelegateStake, b: DelegateStake): number {
  if (a.stake !== b.stake) return a.stake > b.stake ? -1 : 1;
  return compareKeys(a.pk, b.pk);
}

/** Byte-wise key order, independent of locale, so every machine sorts alike. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
