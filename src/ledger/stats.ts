import type { LedgerAccount } from './account.js';
import { DelegateTally, type DelegateStake } from './delegate-tally.js';

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
 */
export async function ledgerStats(accounts: AsyncIterable<LedgerAccount>, top: number): Promise<LedgerStats> {
  let count = 0;
  let minaAccounts = 0;
  let totalStake = 0n;
  let timedAccounts = 0;
  let selfDelegated = 0;
  const tally = new DelegateTally(top);
  for await (const account of accounts) {
    count++;
    if (!account.isMinaToken || account.delegate === null) continue;
    minaAccounts++;
    totalStake += account.balance;
    if (account.timing !== null) timedAccounts++;
    if (account.delegate === account.pk) selfDelegated++;
    tally.add(account.delegate, account.balance);
  }
  return {
    accounts: count,
    minaAccounts,
    totalStake,
    timedAccounts,
    selfDelegated,
    delegates: tally.delegates,
    topDelegates: tally.leaders(),
  };
}
