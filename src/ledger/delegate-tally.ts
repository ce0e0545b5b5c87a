import type { AccountsBelowFloor } from '../protocol/odds.js';
import { compareKeys, ownedCopy } from './account.js';
import { FingerprintTable, FingerprintValueLog, type TableEntry } from './fingerprint-table.js';

export interface DelegateStake {
  readonly pk: string;
  /** Sum of the balances delegated to this key, in nanomina. */
  readonly stake: bigint;
  readonly delegators: number;
}

/**
 * Sums stake per delegate key over a stream of accounts and keeps the largest
 * `limit` keys, in memory that does not hold every key: totals live in
 * FingerprintTables and only the leaders keep their key text.
 *
 * Most delegate keys are accounts delegating to themselves and to nobody
 * else: such a key's stake is one balance, so it takes 16 bytes (key and
 * balance) instead of the 24 of a key others delegate to (key, a 96-bit sum
 * and a count). On the 2M-account bench ledger, 1.19 million delegate keys,
 * ledger stats peaked at 164 MB with one table of 24-byte slots.
 */
export class DelegateTally {
  // Keys accounts delegate to other than themselves: stake as three 32-bit words (96 bits, so no sum of u64 balances can
  // overflow it), then the count of those accounts.
  readonly #delegated = new FingerprintTable(4);
  // Accounts delegating to themselves: their balance (u64, two words); each counts one delegator.
  readonly #own = new FingerprintTable(2);
  /** Keys in both tables: an account delegating to itself whom others delegate to as well. */
  #inBoth = 0;
  readonly #leaders: Leaderboard;

  constructor(limit: number) {
    this.#leaders = new Leaderboard(limit);
  }

  /** Adds one account's balance to the stake of the key it delegates to. */
  add(pk: string, delegate: string, balance: bigint): void {
    if (delegate !== pk || !this.#addOwn(pk, balance)) this.#addDelegated(delegate, balance);
  }

  /** Distinct delegate keys seen. */
  get delegates(): number {
    return this.#delegated.size + this.#own.size - this.#inBoth;
  }

  /** The largest delegate keys, by stake descending then key. */
  leaders(): DelegateStake[] {
    return this.#leaders.ranked();
  }

  /** False if the account was added as its own delegate before (a ledger has each account once); it then counts as any delegation. */
  #addOwn(key: string, balance: bigint): boolean {
    const own = this.#own.entry(key);
    if (!own.added) return false;
    writeWords(own, balance, 2);
    const delegated = this.#delegated.lookup(key);
    if (delegated !== null) this.#inBoth++;
    const stake = balance + (delegated === null ? 0n : readWords(delegated, 3));
    this.#leaders.offer(key, stake, 1 + (delegated === null ? 0 : (delegated.words[delegated.at + 3] as number)));
    return true;
  }

  #addDelegated(key: string, balance: bigint): void {
    const delegated = this.#delegated.entry(key);
    const stake = readWords(delegated, 3) + balance;
    writeWords(delegated, stake, 3);
    const delegators = ((delegated.words[delegated.at + 3] as number) + 1) >>> 0;
    delegated.words[delegated.at + 3] = delegators;
    const added = delegated.added;
    // The other table's entry object is its own: `delegated` is not needed past here.
    const own = this.#own.lookup(key);
    if (own === null) {
      this.#leaders.offer(key, stake, delegators);
      return;
    }
    if (added) this.#inBoth++;
    this.#leaders.offer(key, stake + readWords(own, 2), delegators + 1);
  }
}

/** Which balances DelegatedBalances keeps: `currencySoFar` is the sum of the balances read so far, this one's included. */
export type KeepsBalance = (balance: bigint, currencySoFar: bigint) => boolean;

/** The balances kept of the accounts delegating to a key, and what is known of the others. */
export interface KeptBalances {
  /** In the order of the ledger. */
  readonly kept: readonly bigint[];
  readonly others: AccountsBelowFloor;
}

/**
 * The balances of the accounts delegating to each key, for the few keys
 * found to lead only at the end of a pass (the daemon's odds of a key need
 * each account's balance, since each draws its own VRF), instead of a
 * second read of the ledger. Only balances `keeps` chooses are held, 16
 * bytes each; of the rest, a leader's count and sum are its totals (from a
 * DelegateTally) less those kept.
 */
export class DelegatedBalances {
  readonly #log = new FingerprintValueLog();
  readonly #keeps: KeepsBalance;

  constructor(keeps: KeepsBalance) {
    this.#keeps = keeps;
  }

  add(delegate: string, balance: bigint, currencySoFar: bigint): void {
    if (this.#keeps(balance, currencySoFar)) this.#log.add(delegate, balance);
  }

  /** Each leader's kept balances; the log is not used again. */
  of(leaders: readonly DelegateStake[]): Map<string, KeptBalances> {
    const logged = this.#log.valuesOf(leaders.map((leader) => leader.pk));
    return new Map(leaders.map((leader) => [leader.pk, keptBalances(leader, logged.get(leader.pk) ?? [])]));
  }
}

function keptBalances(leader: DelegateStake, kept: readonly bigint[]): KeptBalances {
  const keptStake = kept.reduce((sum, balance) => sum + balance, 0n);
  // Only another key of the same 64-bit fingerprint could add balances that are not the leader's.
  if (kept.length > leader.delegators || keptStake > leader.stake) throw new Error(`the balances kept for ${leader.pk} exceed its totals`);
  return { kept, others: { delegators: leader.delegators - kept.length, stake: leader.stake - keptStake } };
}

const WORD = 32n;
const WORD_MASK = 0xffffffffn;
/** Where each word of a value starts, least significant first. */
const WORD_SHIFTS = [0n, 32n, 64n] as const;

/** The value of an entry's first `count` words (at most 3), least significant first. */
function readWords({ words, at }: TableEntry, count: number): bigint {
  let value = 0n;
  for (let word = count - 1; word >= 0; word--) value = (value << WORD) | BigInt(words[at + word] as number);
  return value;
}

function writeWords({ words, at }: TableEntry, value: bigint, count: number): void {
  for (let word = 0; word < count; word++) words[at + word] = Number((value >> (WORD_SHIFTS[word] as bigint)) & WORD_MASK);
}

function byStakeThenKey(a: DelegateStake, b: DelegateStake): number {
  if (a.stake !== b.stake) return a.stake > b.stake ? -1 : 1;
  return compareKeys(a.pk, b.pk);
}

/**
 * The best `limit` keys of values that only ever grow. Candidates are held in
 * a Map; when it reaches twice the limit it is cut back to the best `limit`,
 * and the worst survivor becomes a bar that later offers must beat.
 *
 * Why this is exact: a key's value grows only when it is offered, and the
 * offer carries its key text. A key turned away at the bar is beaten by the
 * `limit` survivors of that cut, whose values have only grown since, so it
 * cannot be among the best `limit` at the end.
 */
class Leaderboard {
  readonly #limit: number;
  readonly #candidates = new Map<string, { pk: string; stake: bigint; delegators: number }>();
  #bar: DelegateStake | null = null;

  constructor(limit: number) {
    this.#limit = limit;
  }

  offer(pk: string, stake: bigint, delegators: number): void {
    if (this.#limit === 0) return;
    const bar = this.#bar;
    if (bar !== null && stake < bar.stake) return;
    const candidate = this.#candidates.get(pk);
    if (candidate !== undefined) {
      candidate.stake = stake;
      candidate.delegators = delegators;
      return;
    }
    if (bar !== null && byStakeThenKey({ pk, stake, delegators }, bar) >= 0) return;
    // Candidates outlive the ledger chunk their key was read from.
    const owned = ownedCopy(pk);
    this.#candidates.set(owned, { pk: owned, stake, delegators });
    if (this.#candidates.size >= 2 * this.#limit + CUT_SLACK) this.#cut();
  }

  ranked(): DelegateStake[] {
    return [...this.#candidates.values()].sort(byStakeThenKey).slice(0, this.#limit);
  }

  #cut(): void {
    const survivors = this.ranked();
    this.#candidates.clear();
    // Survivors are copied so that the bar, the last of the old objects, stays fixed.
    for (const survivor of survivors) this.#candidates.set(survivor.pk, { ...survivor });
    this.#bar = survivors.at(-1) as DelegateStake;
  }
}

/** Keeps cuts rare for small limits. */
const CUT_SLACK = 1024;
