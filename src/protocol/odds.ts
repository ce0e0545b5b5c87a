import { Decimal } from 'decimal.js';

import { MinapayError } from '../errors.js';
import { daemonThreshold } from './vrf-threshold.js';

/**
 * Probabilities of winning slots, in decimal.js at 40 significant digits
 * (rounding half-even), never in floating point.
 */
export const Probability = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type Probability = InstanceType<typeof Probability>;

const ONE = new Probability(1);
const QUARTER = new Probability('0.25');

/** alpha: the share of total currency a stake holds. */
export function stakeShare(stake: bigint, totalCurrency: bigint): Probability {
  return new Probability(stake.toString()).div(totalCurrency.toString());
}

/** The staking guide's phi(alpha) = 1 - (1/4)^alpha: the chance a stake wins one slot. */
export function floatSlotProbability(alpha: Probability): Probability {
  return ONE.minus(QUARTER.pow(alpha));
}

/** The daemon's exact threshold for one account as a decimal (see vrf-threshold.ts). */
export function daemonSlotProbability(stake: bigint, totalCurrency: bigint): Probability {
  const { numerator, denominatorBits } = daemonThreshold(stake, totalCurrency);
  return new Probability(numerator.toString()).div(new Probability(2).pow(denominatorBits));
}

/**
 * The chance that at least one of several accounts wins a slot: each account
 * draws its own VRF, so the pool misses only when all of them miss. Accounts
 * come in groups of one chance: [p, how many accounts].
 */
export function anyWins(groups: Iterable<readonly [Probability, number]>): Probability {
  let allMiss = ONE;
  for (const [p, accounts] of groups) allMiss = allMiss.times(ONE.minus(p).pow(accounts));
  return ONE.minus(allMiss);
}

export interface BlockSpread {
  readonly expected: Probability;
  readonly stdDev: Probability;
  /** P(no block in the epoch). */
  readonly pZero: Probability;
  /** The smallest k with P(X <= k) >= 5%, and with >= 95%. */
  readonly p5: number;
  readonly p95: number;
}

export interface WonOdds {
  readonly won: number;
  readonly pAtMost: Probability;
  readonly pAtLeast: Probability;
}

/**
 * Blocks won in an epoch of `slots` slots, each won with probability p:
 * Binomial(slots, p). The probability mass is walked up from 0 only as far as
 * the questions need (the 95th percentile, or `won`).
 */
export function blockSpread(slots: number, p: Probability): BlockSpread {
  const walk = new BinomialWalk(slots, p);
  const p5 = walk.quantile(new Probability('0.05'));
  const p95 = walk.quantile(new Probability('0.95'));
  return {
    expected: p.times(slots),
    stdDev: p.times(ONE.minus(p)).times(slots).sqrt(),
    pZero: ONE.minus(p).pow(slots),
    p5,
    p95,
  };
}

export function wonOdds(slots: number, p: Probability, won: number): WonOdds {
  const walk = new BinomialWalk(slots, p);
  const pAtLeast = won === 0 ? ONE : ONE.minus(walk.cumulative(won - 1));
  return { won, pAtMost: walk.cumulative(won), pAtLeast };
}

/**
 * P(X = k) and P(X <= k) for k = 0, 1, 2, ..., each computed once, in order:
 * questions to one walk must not go back to a smaller k.
 */
class BinomialWalk {
  readonly #n: number;
  /** p / (1 - p): the ratio between neighbouring masses. */
  readonly #odds: Probability;
  #k = 0;
  #mass: Probability;
  #cumulative: Probability;

  constructor(n: number, p: Probability) {
    if (p.isNeg() || p.gte(1)) throw new RangeError(`slot probability ${p.toString()} is outside [0, 1)`);
    this.#n = n;
    this.#odds = p.div(ONE.minus(p));
    this.#mass = ONE.minus(p).pow(n);
    this.#cumulative = this.#mass;
  }

  /** P(X <= k). */
  cumulative(k: number): Probability {
    if (k < this.#k) throw new RangeError('a binomial walk cannot go back');
    if (k >= this.#n) return ONE;
    while (this.#k < k) this.#step();
    return this.#cumulative;
  }

  /** The smallest k with P(X <= k) >= q. */
  quantile(q: Probability): number {
    while (this.#cumulative.lt(q) && this.#k < this.#n) this.#step();
    return this.#k;
  }

  #step(): void {
    const k = this.#k;
    this.#mass = this.#mass
      .times(this.#n - k)
      .div(k + 1)
      .times(this.#odds);
    this.#cumulative = this.#cumulative.plus(this.#mass);
    this.#k = k + 1;
  }
}

export type OddsMethod = 'float' | 'daemon';

export interface StakeOddsInput {
  readonly method: OddsMethod;
  /** Balances of the delegating accounts, in nanomina: each draws its own VRF. */
  readonly balances: readonly bigint[];
  /**
   * More delegating accounts, known to be under the daemon's floor (see
   * StakeOdds.belowFloor), as a count and a sum rather than balances: a pass
   * over a large ledger keeps only the balances that can reach the floor.
   */
  readonly belowFloor?: AccountsBelowFloor | undefined;
  readonly totalCurrency: bigint;
  readonly slotsPerEpoch: number;
  readonly won?: number | undefined;
}

export interface StakeOdds extends BlockSpread {
  readonly stake: bigint;
  readonly totalCurrency: bigint;
  readonly alpha: Probability;
  readonly slotWinProbability: Probability;
  readonly won?: WonOdds;
  /** Daemon method: accounts under 1/2^20 of total currency, which never win a slot. */
  readonly belowFloor?: AccountsBelowFloor;
}

export interface AccountsBelowFloor {
  readonly delegators: number;
  readonly stake: bigint;
}

/** The odds of a stake (one pool key, or several combined) over one epoch. */
export function stakeOdds(input: StakeOddsInput): StakeOdds {
  const stake = input.balances.reduce((sum, balance) => sum + balance, input.belowFloor?.stake ?? 0n);
  if (stake > input.totalCurrency) {
    throw new MinapayError('USAGE', `a stake of ${stake} nanomina exceeds the total currency of ${input.totalCurrency}: alpha cannot pass 1`);
  }
  const alpha = stakeShare(stake, input.totalCurrency);
  const daemon = input.method === 'daemon' ? daemonOdds(input.balances, input.totalCurrency, input.belowFloor) : undefined;
  const p = daemon?.probability ?? floatSlotProbability(alpha);
  return {
    stake,
    totalCurrency: input.totalCurrency,
    alpha,
    slotWinProbability: p,
    ...blockSpread(input.slotsPerEpoch, p),
    ...(input.won !== undefined && { won: wonOdds(input.slotsPerEpoch, p, input.won) }),
    ...(daemon !== undefined && { belowFloor: daemon.belowFloor }),
  };
}

function daemonOdds(
  balances: readonly bigint[],
  totalCurrency: bigint,
  knownBelowFloor: AccountsBelowFloor | undefined,
): { probability: Probability; belowFloor: AccountsBelowFloor } {
  // Accounts of one truncated alpha share a threshold, so each is computed once (most share 0); the groups are taken in
  // the order of alpha, so that the result does not depend on the order of the accounts.
  const byTruncatedAlpha = new Map<bigint, { balance: bigint; accounts: number }>();
  const belowFloor = { delegators: knownBelowFloor?.delegators ?? 0, stake: knownBelowFloor?.stake ?? 0n };
  for (const balance of balances) {
    const truncated = daemonThreshold(balance, totalCurrency).truncatedAlpha;
    if (truncated === 0n) {
      belowFloor.delegators++;
      belowFloor.stake += balance;
      continue;
    }
    const group = byTruncatedAlpha.get(truncated);
    if (group === undefined) byTruncatedAlpha.set(truncated, { balance, accounts: 1 });
    else group.accounts++;
  }
  const groups = [...byTruncatedAlpha].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const probability = anyWins(groups.map(([, { balance, accounts }]) => [daemonSlotProbability(balance, totalCurrency), accounts] as const));
  return { probability, belowFloor };
}
