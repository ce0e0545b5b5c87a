import { ownedCopy } from '../ledger/account.js';
import type { AccountBatches } from '../ledger/read.js';

/** A staking-ledger account whose stake the producer's key evaluates: the daemon's delegatee table. */
export interface StakingDelegator {
  /** Position in the export: the account's index in the daemon's ledger, which the VRF message carries. */
  readonly index: number;
  readonly pk: string;
  readonly balance: bigint;
}

/**
 * The MINA-token accounts delegating to `producer`, in ledger order. An
 * account that delegates to itself is among them, as in the daemon.
 */
export async function producerDelegators(batches: AccountBatches, producer: string): Promise<StakingDelegator[]> {
  const delegators: StakingDelegator[] = [];
  for await (const accounts of batches) {
    for (const account of accounts) {
      if (account.isMinaToken && account.delegate === producer) delegators.push({ index: account.index, pk: ownedCopy(account.pk), balance: account.balance });
    }
  }
  return delegators;
}
