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

/** The timed accounts a ledger holds, sorted by key, each row made as it is asked for. */
export interface TimedAccounts {
  readonly count: number;
  rows(): Generator<TimedAccount>;
}

/**
 * The timed MINA-token accounts of a ledger (of the pools, if given), sorted
 * by key. A ledger of two million accounts has a hundred thousand timed
 * ones: they are kept in a compact store (keys, then amounts and slots in
 * typed arrays), and the rows, with what is derived from them, are made one
 * at a time when written (`unlock` without --pool peaked at 297 MB on that
 * ledger keeping every row whole).
 */
export async function timedAccounts(batches: AccountBatches, query: UnlockQuery): Promise<TimedAccounts> {
  const pools = query.pools === undefined ? null : new Set(query.pools);
  const store = new TimedAccountStore();
  for await (const accounts of batches) {
    for (const account of accounts) {
      if (account.timing === null || account.delegate === null) continue;
      if (pools !== null && !pools.has(account.delegate)) continue;
      store.add(account.pk, account.delegate, account.balance, account.timing);
    }
  }
  const order = store.byKey();
  return {
    count: order.length,
    *rows() {
      for (const at of order) yield timedAccount(store.pk(at), store.delegate(at), store.balance(at), store.timing(at), query);
    },
  };
}

/** Per account: its key and delegate (own copies), balance and timing amounts in a BigUint64Array, slots in a Uint32Array. */
class TimedAccountStore {
  readonly #pks: string[] = [];
  readonly #delegates: string[] = [];
  /** One copy of each delegate key: most timed accounts delegate to themselves or to a few pools. */
  readonly #delegateCopies = new Map<string, string>();
  #amounts = new BigUint64Array(AMOUNTS * 1024);
  #slots = new Uint32Array(SLOTS * 1024);

  add(pk: string, delegate: string, balance: bigint, timing: Timing): void {
    const at = this.#pks.length;
    if (AMOUNTS * (at + 1) > this.#amounts.length) this.#grow();
    const key = ownedCopy(pk);
    this.#pks.push(key);
    this.#delegates.push(delegate === pk ? key : this.#delegateCopy(delegate));
    this.#amounts.set([balance, timing.initialMinimumBalance, timing.cliffAmount, timing.vestingIncrement], AMOUNTS * at);
    this.#slots.set([timing.cliffTime, timing.vestingPeriod], SLOTS * at);
  }

  /** Positions in key order. */
  byKey(): Uint32Array {
    return Uint32Array.from(this.#pks.keys()).sort((a, b) => compareKeys(this.#pks[a] as string, this.#pks[b] as string));
  }

  pk(at: number): string {
    return this.#pks[at] as string;
  }

  delegate(at: number): string {
    return this.#delegates[at] as string;
  }

  balance(at: number): bigint {
    return this.#amounts[AMOUNTS * at] as bigint;
  }

  timing(at: number): Timing {
    const amounts = this.#amounts.subarray(AMOUNTS * at, AMOUNTS * (at + 1));
    return {
      initialMinimumBalance: amounts[1] as bigint,
      cliffTime: this.#slots[SLOTS * at] as number,
      cliffAmount: amounts[2] as bigint,
      vestingPeriod: this.#slots[SLOTS * at + 1] as number,
      vestingIncrement: amounts[3] as bigint,
    };
  }

  #delegateCopy(delegate: string): string {
    let copy = this.#delegateCopies.get(delegate);
    if (copy === undefined) {
      copy = ownedCopy(delegate);
      this.#delegateCopies.set(copy, copy);
    }
    return copy;
  }

  #grow(): void {
    const amounts = new BigUint64Array(this.#amounts.length * 2);
    amounts.set(this.#amounts);
    this.#amounts = amounts;
    const slots = new Uint32Array(this.#slots.length * 2);
    slots.set(this.#slots);
    this.#slots = slots;
  }
}

/** Words a timed account takes: balance and the three timing amounts (u64, as the protocol's), then cliff time and vesting period (u32). */
const AMOUNTS = 4;
const SLOTS = 2;

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
