import { slotTime, type Era, type SlotRange } from '../protocol/eras.js';
import { lockedAt, unlockSlot, type Timing } from '../protocol/timing.js';
import { compareKeys, ownedCopy } from './account.js';
import type { AccountBatches } from './read.js';

export interface UnlockQuery {
  /** Only accounts delegating to these keys; every timed account when absent. */
  readonly pools?: readonly string[] | undefined;
  /** The global slot at which locked balances and supercharging are judged. */
  readonly slot: number;
  /** The era's supercharge factor at that slot (1: no supercharging). */
  readonly superchargeFactor: number;
  /** The network's eras, to put a time on unlock slots. */
  readonly eras: readonly Era[];
  /** With an epoch: its slots, to tell which accounts unlock during it. */
  readonly epoch?: SlotRange | undefined;
}

export interface TimedAccount {
  readonly pk: string;
  readonly delegate: string;
  readonly balance: bigint;
  readonly timing: Timing;
  /** First global slot with nothing locked; null if that never comes. */
  readonly unlockedAtSlot: number | null;
  /** When that slot begins (ISO 8601 UTC); null if never, or if its era's start is not known. */
  readonly unlockedAtTime: string | null;
  /** Nanomina locked at the query slot. */
  readonly lockedAtSlot: bigint;
  /** A block this account wins at the query slot pays a supercharged coinbase. */
  readonly supercharged: boolean;
  /** Present with an epoch: the account becomes fully unlocked during it. */
  readonly unlocksInEpoch?: boolean;
}

/** The timed MINA-token accounts of a ledger (of the pools, if given), sorted by key. */
export async function timedAccounts(batches: AccountBatches, query: UnlockQuery): Promise<TimedAccount[]> {
  const pools = query.pools === undefined ? null : new Set(query.pools);
  const rows: TimedAccount[] = [];
  for await (const accounts of batches) {
    for (const account of accounts) {
      if (account.timing === null || account.delegate === null) continue;
      if (pools !== null && !pools.has(account.delegate)) continue;
      rows.push(timedAccount(ownedCopy(account.pk), ownedCopy(account.delegate), account.balance, account.timing, query));
    }
  }
  return rows.sort((a, b) => compareKeys(a.pk, b.pk));
}

function timedAccount(pk: string, delegate: string, balance: bigint, timing: Timing, query: UnlockQuery): TimedAccount {
  const unlockedAtSlot = unlockSlot(timing);
  const lockedAtSlot = lockedAt(timing, query.slot);
  const unlockedAtTime = unlockedAtSlot === null ? null : slotTime(query.eras, unlockedAtSlot);
  const supercharged = lockedAtSlot === 0n && query.superchargeFactor > 1;
  const row = { pk, delegate, balance, timing, unlockedAtSlot, unlockedAtTime, lockedAtSlot, supercharged };
  if (query.epoch === undefined) return row;
  const { first, last } = query.epoch;
  return { ...row, unlocksInEpoch: unlockedAtSlot !== null && unlockedAtSlot >= first && unlockedAtSlot <= last };
}
