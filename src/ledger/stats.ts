import { checkedTotalCurrency } from './account.js';
import { type DelegatedBalances, DelegateTally, type DelegateStake } from './delegate-tally.js';
import type { AccountBatches } from './read.js';

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
 * delegate keys by stake (ties broken by key, so the output is deterministic);
 * with `balances`, the balances delegated to each key are kept there too.
 * `ledgerName` names the ledger in an error.
 */
export async function ledgerStats(batches: AccountBatches, top: number, ledgerName: string, balances?: DelegatedBalances): Promise<LedgerStats> {
  let count = 0;
  let minaAccounts = 0;
  let totalStake = 0n;
  let timedAccounts = 0;
  let selfDelegated = 0;
  const tally = new DelegateTally(top);
  for await (const accounts of batches) {
    count += accounts.length;
    for (const account of accounts) {
      if (!account.isMinaToken || account.delegate === null) continue;
      minaAccounts++;
      totalStake += account.balance;
      if (account.timing !== null) timedAccounts++;
      if (account.delegate === account.pk) selfDelegated++;
      tally.add(account.pk, account.delegate, account.balance);
      balances?.add(account.delegate, account.balance, totalStake);
    }
  }
  return {
    accounts: count,
    minaAccounts,
    totalStake: checkedTotalCurrency(totalStake, ledgerName),
    timedAccounts,
    selfDelegated,
    delegates: tally.delegates,
    topDelegates: tally.leaders(),
  };
}
