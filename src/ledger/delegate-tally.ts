import { compareKeys, ownedCopy } from './account.js';
import { FingerprintTable, type TableEntry } from './fingerprint-table.js';

export interface DelegateStake {
  readonly pk: string;
  /** Sum of the balances delegated to this key, in nanomina. */
  readonly stake: bigint;
  readonly delegators: number;
}

/**
 * Sums stake per delegate key over a stream of accounts and keeps the largest
 * `limit` keys, in memory that does not hold every key: totals live in a
 * FingerprintTable (24 bytes a slot) and only the leaders keep their key text.
 */
export class DelegateTally {
  // Value words per key: stake as three 32-bit words (96 bits, so no sum of
  // u64 balances can overflow it), then the delegator count.
  readonly #totals = new FingerprintTable(4);
  readonly #leaders: Leaderboard;

  constructor(limit: number) {
    this.#leaders = new Leaderboard(limit);
  }

  add(delegate: string, balance: bigint): void {
    const entry = this.#totals.entry(delegate);
    const stake = readStake(entry) + balance;
    writeStake(entry, stake);
    const delegators = ((entry.words[entry.at + 3] as number) + 1) >>> 0;
    entry.words[entry.at + 3] = delegators;
    this.#leaders.offer(delegate, stake, delegators);
  }

  /** Distinct delegate keys seen. */
  get delegates(): number {
    return this.#totals.size;
  }

  /** The largest delegate keys, by stake descending then key. */
  leaders(): DelegateStake[] {
    return this.#leaders.ranked();
  }
}

const WORD = 32n;
const WORD_MASK = 0xffffffffn;

function readStake({ words, at }: TableEntry): bigint {
  return (BigInt(words[at + 2] as number) << (2n * WORD)) | (BigInt(words[at + 1] as number) << WORD) | BigInt(words[at] as number);
}

function writeStake({ words, at }: TableEntry, stake: bigint): void {
  words[at] = Number(stake & WORD_MASK);
  words[at + 1] = Number((stake >> WORD) & WORD_MASK);
  words[at + 2] = Number(stake >> (2n * WORD));
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
