import { createHash } from 'node:crypto';

import { blockReward, type BlockRecord } from '../blocks/block.js';
import { MinapayError } from '../errors.js';
import { compareKeys } from '../ledger/account.js';
import type { Delegator } from '../ledger/delegators.js';
import { add, floor, multiply, rational, subtract, ZERO, ONE, type Rational } from '../protocol/rational.js';
import { lockedAt } from '../protocol/timing.js';

/** A delegation program with its own payout rule (docs/protocol.md, "Foundation delegation program rule"). */
export type Program = 'foundation';

/** The Mina Foundation's rate when its override names none. */
export const FOUNDATION_COMMISSION: Rational = rational(8n, 100n);

/** Per-delegator terms that replace the pool's defaults. */
export interface DelegatorTerms {
  readonly commission?: Rational | undefined;
  /** Pay this address instead of the delegating account. */
  readonly payTo?: string | undefined;
  /** Pay nothing: the account's share stays with the pool. */
  readonly exclude?: boolean | undefined;
  readonly program?: Program | undefined;
}

export interface PlanSettings {
  /** The pool's own keys: never paid, their share reported as self. */
  readonly pools: readonly string[];
  /** Default commission rate, 0 to 1. */
  readonly commission: Rational;
  readonly overrides: ReadonlyMap<string, DelegatorTerms>;
  /** share: delegators share the whole reward; keep: only the coinbase part, fees stay with the pool. */
  readonly fees: 'share' | 'keep';
  /** The era's base coinbase and supercharge factor (1: none). */
  readonly baseCoinbase: bigint;
  readonly superchargeFactor: number;
  /** Smaller amounts are carried to the next epoch instead of sent. */
  readonly minPayout: bigint;
  readonly txFee: bigint;
  readonly feePayer: 'pool' | 'delegator';
  /** Amounts carried in from the previous epoch, by delegating account. */
  readonly carriedIn: ReadonlyMap<string, bigint>;
}

/** The pool's terms for an epoch: the settings that are not read from a file. */
export type PlanTerms = Pick<PlanSettings, 'commission' | 'fees' | 'minPayout' | 'txFee' | 'feePayer'>;

export type LineKind = 'delegator' | 'self' | 'excluded';

/** What one delegating account earned and is sent. Amounts in nanomina. */
export interface PlanLine {
  readonly pk: string;
  /** The account's index in the staking ledger; null for an account paid a carried amount that no longer delegates. */
  readonly index: number | null;
  readonly kind: LineKind;
  readonly payTo: string;
  readonly stake: bigint;
  /** Its share of the rewards before commission, floored (for reading; the payout is floored once, from the exact share). */
  readonly gross: bigint;
  readonly commissionRate: Rational;
  readonly commission: bigint;
  /** Earned this epoch, after commission: floor of the exact entitlement. */
  readonly earned: bigint;
  readonly carriedIn: bigint;
  /** Sent now (after the fee when delegators pay it). */
  readonly amount: bigint;
  /** Transaction fee of the payment, 0 when nothing is sent. */
  readonly txFee: bigint;
  readonly carriedOut: bigint;
  readonly program: Program | null;
  /** The payment's memo, when its program asks for one. */
  readonly memo: string | null;
}

export interface PlanTotals {
  readonly rewards: bigint;
  readonly earned: bigint;
  readonly commission: bigint;
  /**
   * What stays with the pool besides commission: self and excluded shares,
   * kept fees, rounding. Negative only when a program's guaranteed payout
   * exceeds the account's share of the rewards and the pool pays the rest.
   */
  readonly remainder: bigint;
  readonly carriedIn: bigint;
  readonly sent: bigint;
  readonly txFees: bigint;
  readonly carriedOut: bigint;
  readonly paidDelegators: number;
}

export interface Plan {
  readonly lines: readonly PlanLine[];
  readonly totals: PlanTotals;
}

/**
 * The payout plan of an epoch: pure and exact. Each delegator's share of
 * every block is pro rata to its balance among the pool's delegators (a
 * supercharged coinbase's extra part only among those unlocked at that
 * slot), summed over the epoch as an exact fraction and floored once.
 */
export function computePlan(delegators: readonly Delegator[], blocks: readonly BlockRecord[], settings: PlanSettings): Plan {
  checkBlocks(delegators, blocks);
  const context: LineContext = {
    pools: new Set(settings.pools),
    producers: producerTallies(delegators, blocks),
    settings,
  };
  const entitlements = exactEntitlements(delegators, blocks, settings);
  const lines = [...delegators, ...departedWithCarry(delegators, settings)]
    .sort((a, b) => compareKeys(a.pk, b.pk))
    .map((delegator) => planLine(delegator, entitlements.get(delegator.pk) ?? ZERO, context));
  const totals = planTotals(
    lines,
    blocks.reduce((sum, block) => sum + blockReward(block), 0n),
  );
  assertConserved(totals, lines, settings.feePayer);
  return { lines, totals };
}

/** An account a plan has a line for: a delegator, or an account owed a carried amount that is none any more (no ledger index). */
type PlannedAccount = Omit<Delegator, 'index'> & { readonly index: number | null };

/**
 * Accounts owed a carried amount that no longer delegate to the pool: they
 * get a line without stake, so that what they are owed is still paid.
 */
function departedWithCarry(delegators: readonly Delegator[], settings: PlanSettings): PlannedAccount[] {
  const delegating = new Set(delegators.map((d) => d.pk));
  return [...settings.carriedIn.keys()]
    .filter((pk) => !delegating.has(pk))
    .map((pk) => ({ pk, index: null, delegate: settings.pools[0]!, balance: 0n, timing: null }));
}

interface LineContext {
  readonly pools: ReadonlySet<string>;
  readonly producers: ReadonlyMap<string, ProducerTally>;
  readonly settings: PlanSettings;
}

/** Per pool key: the stake delegated to it and the blocks it produced that the foundation's rule counts. */
interface ProducerTally {
  stake: bigint;
  blocks: bigint;
}

function producerTallies(delegators: readonly Delegator[], blocks: readonly BlockRecord[]): Map<string, ProducerTally> {
  const tallies = new Map<string, ProducerTally>();
  const tally = (key: string) => tallies.get(key) ?? tallies.set(key, { stake: 0n, blocks: 0n }).get(key)!;
  for (const d of delegators) tally(d.delegate).stake += d.balance;
  // The foundation's rule counts canonical blocks with a non-zero reward only (docs/protocol.md, "Foundation delegation program rule").
  for (const block of blocks) if (blockReward(block) > 0n) tally(block.creator).blocks += 1n;
  return tallies;
}

function checkBlocks(delegators: readonly Delegator[], blocks: readonly BlockRecord[]): void {
  const delegating = new Set(delegators.map((d) => d.pk));
  const seen = new Set<string>();
  for (const block of blocks) {
    if (seen.has(block.stateHash)) throw new MinapayError('BLOCKS_INVALID', `block ${block.stateHash} at height ${block.height} is listed twice`);
    seen.add(block.stateHash);
    if (!delegating.has(block.winner)) {
      throw new MinapayError(
        'PLAN_LEDGER_MISMATCH',
        `block ${block.stateHash} at height ${block.height} was won by ${block.winner}, who ` +
          `does not delegate to the pool in this ledger: is it the staking ledger of that epoch?`,
      );
    }
    if (blockReward(block) < 0n) throw new MinapayError('BLOCKS_INVALID', `block ${block.stateHash} pays more snark fees than its coinbase and fees`);
  }
}

/** Each delegator's exact share of the shared rewards, before commission. */
function exactEntitlements(delegators: readonly Delegator[], blocks: readonly BlockRecord[], settings: PlanSettings): Map<string, Rational> {
  const entitlements = new Map<string, Rational>();
  const credit = (pk: string, amount: Rational) => entitlements.set(pk, add(entitlements.get(pk) ?? ZERO, amount));
  let sharedByAll = 0n;
  for (const block of blocks) {
    const { all, unlockedOnly } = sharedParts(block, settings);
    sharedByAll += all;
    if (unlockedOnly > 0n) shareProRata(unlockedAt(delegators, block.globalSlotSinceGenesis), unlockedOnly, credit);
  }
  shareProRata(delegators, sharedByAll, credit);
  return entitlements;
}

/**
 * The part of a block shared by all delegators, and the supercharge part
 * shared only by those unlocked at its slot. Snark fees come out of the
 * coinbase; with `--fees keep` only what is left of the coinbase is shared
 * and the fees to the producer stay with the pool.
 */
function sharedParts(block: BlockRecord, settings: PlanSettings): { all: bigint; unlockedOnly: bigint } {
  const coinbasePart = block.coinbase - block.feeTransferViaCoinbase;
  const shared = settings.fees === 'share' ? blockReward(block) : coinbasePart > 0n ? coinbasePart : 0n;
  const supercharged = settings.superchargeFactor > 1 && block.coinbase === settings.baseCoinbase * BigInt(settings.superchargeFactor);
  const extra = supercharged ? block.coinbase - settings.baseCoinbase : 0n;
  const unlockedOnly = extra < shared ? extra : shared;
  return { all: shared - unlockedOnly, unlockedOnly };
}

function unlockedAt(delegators: readonly Delegator[], slot: number): Delegator[] {
  return delegators.filter((d) => d.timing === null || lockedAt(d.timing, slot) === 0n);
}

function shareProRata(among: readonly Delegator[], amount: bigint, credit: (pk: string, share: Rational) => void): void {
  const stake = among.reduce((sum, d) => sum + d.balance, 0n);
  // Nobody to share with (no stake, or nobody unlocked): the amount stays with the pool as remainder.
  if (stake === 0n) return;
  for (const d of among) credit(d.pk, rational(amount * d.balance, stake));
}

function planLine(delegator: PlannedAccount, entitlement: Rational, context: LineContext): PlanLine {
  const { settings } = context;
  const terms = settings.overrides.get(delegator.pk);
  const kind: LineKind = context.pools.has(delegator.pk) ? 'self' : terms?.exclude === true ? 'excluded' : 'delegator';
  const program = kind === 'delegator' ? (terms?.program ?? null) : null;
  const commissionRate = kind !== 'delegator' ? ONE : (terms?.commission ?? (program === 'foundation' ? FOUNDATION_COMMISSION : settings.commission));
  const { earned, commission } =
    kind !== 'delegator'
      ? { earned: 0n, commission: 0n }
      : program === 'foundation'
        ? foundationTerms(delegator, entitlement, commissionRate, context)
        : { earned: floor(multiply(entitlement, subtract(ONE, commissionRate))), commission: floor(multiply(entitlement, commissionRate)) };
  const carriedIn = settings.carriedIn.get(delegator.pk) ?? 0n;
  return {
    pk: delegator.pk,
    index: delegator.index,
    kind,
    payTo: terms?.payTo ?? delegator.pk,
    stake: delegator.balance,
    gross: floor(entitlement),
    commissionRate,
    commission,
    earned,
    carriedIn,
    // What was carried is owed whatever the account's terms are now.
    ...delivery(earned + carriedIn, kind === 'delegator' || carriedIn > 0n, settings),
    program,
    memo: program === 'foundation' ? md5Hex(delegator.delegate) : null,
  };
}

/**
 * The foundation's rule: its share of the stake delegated to the producer
 * key x (1 - rate) x the base coinbase, for every block that key produced
 * with a non-zero reward, however much more or less than the base coinbase
 * the block earned. The pool keeps what its share of the rewards holds
 * beyond that as commission, and pays any shortfall itself.
 */
function foundationTerms(delegator: PlannedAccount, entitlement: Rational, rate: Rational, context: LineContext): { earned: bigint; commission: bigint } {
  const producer = context.producers.get(delegator.delegate);
  if (producer === undefined || producer.stake === 0n) return { earned: 0n, commission: 0n };
  const guaranteed = multiply(rational(delegator.balance * producer.blocks * context.settings.baseCoinbase, producer.stake), subtract(ONE, rate));
  const earned = floor(guaranteed);
  const beyond = floor(entitlement) - earned;
  return { earned, commission: beyond > 0n ? beyond : 0n };
}

/** The memo the foundation asks for: MD5 hex of the block producer's public key. */
function md5Hex(producer: string): string {
  return createHash('md5').update(producer).digest('hex');
}

/** Whether what is due is sent now or carried, and the fee of sending it. */
function delivery(due: bigint, payable: boolean, settings: PlanSettings): { amount: bigint; txFee: bigint; carriedOut: bigint } {
  const afterFee = settings.feePayer === 'delegator' ? due - settings.txFee : due;
  if (!payable || due === 0n) return { amount: 0n, txFee: 0n, carriedOut: 0n };
  if (due < settings.minPayout || afterFee <= 0n) return { amount: 0n, txFee: 0n, carriedOut: due };
  return { amount: afterFee, txFee: settings.txFee, carriedOut: 0n };
}

function planTotals(lines: readonly PlanLine[], rewards: bigint): PlanTotals {
  const sum = (field: (line: PlanLine) => bigint) => lines.reduce((total, line) => total + field(line), 0n);
  const earned = sum((l) => l.earned);
  const commission = sum((l) => l.commission);
  return {
    rewards,
    earned,
    commission,
    remainder: rewards - earned - commission,
    carriedIn: sum((l) => l.carriedIn),
    sent: sum((l) => l.amount),
    txFees: sum((l) => l.txFee),
    carriedOut: sum((l) => l.carriedOut),
    paidDelegators: lines.filter((l) => l.amount > 0n).length,
  };
}

/** rewards = earned + commission + remainder, and what is due is either sent or carried, exactly. */
function assertConserved(totals: PlanTotals, lines: readonly PlanLine[], feePayer: PlanSettings['feePayer']): void {
  const deducted = feePayer === 'delegator' ? totals.txFees : 0n;
  const poolMaySubsidise = lines.some((line) => line.program !== null);
  if ((totals.remainder < 0n && !poolMaySubsidise) || totals.earned + totals.carriedIn !== totals.sent + deducted + totals.carriedOut) {
    throw new Error(`payout plan does not balance: ${JSON.stringify(totals, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
  }
}
