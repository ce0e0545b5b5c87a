import { createHash } from 'node:crypto';

import { blockReward, type BlockRecord } from '../blocks/block.js';
import { MinapayError } from '../errors.js';
import { compareKeys } from '../ledger/account.js';
import type { Delegator } from '../ledger/delegators.js';
import { add, floor, multiply, rational, subtract, ZERO, ONE, type Rational } from '../protocol/rational.js';
import { lockedAt } from '../protocol/timing.js';

/**
 * A delegation program with its own payout terms (docs/protocol.md,
 * "Foundation delegation program rule"): the Mina Foundation's guarantee,
 * and the o1Labs and investor delegations the peer script treats alike.
 */
export type Program = 'foundation' | 'o1' | 'investor';
export const PROGRAMS: readonly Program[] = ['foundation', 'o1', 'investor'];

/** The Mina Foundation's rate when its override names none; the peer script's default for investors too. */
export const FOUNDATION_COMMISSION: Rational = rational(8n, 100n);

/** Whether an account shares the transaction-fee part of each block (share) or only its coinbase part (exclude). */
export type FeeClass = 'share' | 'exclude';

/** One address an account's payout goes to, and its weight among the account's addresses. */
export interface PayShare {
  readonly payTo: string;
  /** Relative to the sum of the account's weights; any positive exact decimal. */
  readonly weight: Rational;
}

/** Per-delegator terms that replace the pool's defaults. */
export interface DelegatorTerms {
  readonly commission?: Rational | undefined;
  /** Pay these addresses, by weight, instead of the delegating account. */
  readonly payTo?: readonly PayShare[] | undefined;
  /** Pay nothing: the account's share stays with the pool. */
  readonly exclude?: boolean | undefined;
  readonly program?: Program | undefined;
  /** exclude: the account shares only the coinbase part of each block; its share of the fees goes to the other delegators. */
  readonly fees?: FeeClass | undefined;
  /** The part of the account's commission sent to the burn address. */
  readonly burn?: Rational | undefined;
}

export interface PlanSettings {
  /** The pool's own keys: never paid (unless selfPayTo), their share reported as self. */
  readonly pools: readonly string[];
  /** Default commission rate, 0 to 1. */
  readonly commission: Rational;
  readonly overrides: ReadonlyMap<string, DelegatorTerms>;
  /** share: delegators share the whole reward; keep: only the coinbase part, fees stay with the pool. */
  readonly fees: 'share' | 'keep';
  /** The era's base coinbase and supercharge factor (1: none). */
  readonly baseCoinbase: bigint;
  readonly superchargeFactor: number;
  /** The era's burn address; null where none is known (a plan that burns nothing does not need one). */
  readonly burnAddress: string | null;
  /** Pay the pool keys' own share to this address; null: the pool keeps it (self lines). */
  readonly selfPayTo: string | null;
  /** Smaller amounts are carried to the next epoch instead of sent. */
  readonly minPayout: bigint;
  readonly txFee: bigint;
  readonly feePayer: 'pool' | 'delegator';
  /** Amounts carried in from the previous epoch, by delegating account. */
  readonly carriedIn: ReadonlyMap<string, bigint>;
  /** Payees without an account on chain, found when signing, and what to do about the fee that creates one. */
  readonly newAccounts?: NewAccounts | null | undefined;
}

/**
 * A payment to an address with no account creates it, and the chain takes
 * the account creation fee from the amount (docs/protocol.md, "Payments").
 * pay-fee: the pool adds the fee to the payment, so the payee gets the full
 * amount; skip: the line is carried to the next epoch; allow: the payee
 * bears the fee (a line with a payment that cannot cover it is carried,
 * since that payment would fail on chain and spend the pool's fee).
 */
export type NewAccountChoice = 'pay-fee' | 'skip' | 'allow';
export const NEW_ACCOUNT_CHOICES: readonly NewAccountChoice[] = ['pay-fee', 'skip', 'allow'];

export interface NewAccounts {
  readonly choice: NewAccountChoice;
  /** The network's account creation fee, nanomina (genesisConstants.accountCreationFee). */
  readonly fee: bigint;
  /** The payees (payTo addresses) with no account when the plan was signed, in key order. */
  readonly payees: readonly string[];
}

/** The pool's terms for an epoch: the settings that are not read from a file. */
export type PlanTerms = Pick<PlanSettings, 'commission' | 'fees' | 'minPayout' | 'txFee' | 'feePayer' | 'selfPayTo'>;

/** burn: the one line that pays the burn address, not an account of the pool. */
export type LineKind = 'delegator' | 'self' | 'excluded' | 'burn';
export const LINE_KINDS: readonly LineKind[] = ['delegator', 'self', 'excluded', 'burn'];

/** One payment of a line whose payout is split between addresses. */
export interface SplitPayment extends PayShare {
  readonly amount: bigint;
  readonly txFee: bigint;
  /** pay-fee: the account creation fee the pool adds to this payment, on top of amount. */
  readonly accountCreationFee?: bigint | undefined;
}

/** What one delegating account earned and is sent. Amounts in nanomina. */
export interface PlanLine {
  readonly pk: string;
  /** The account's index in the staking ledger; null for an account paid a carried amount that no longer delegates. */
  readonly index: number | null;
  readonly kind: LineKind;
  /** The address paid; of a split payout, the first, which takes the rounding dust. */
  readonly payTo: string;
  /** Each address of a payout split between several, with its payment; null when one address takes it all. */
  readonly split: readonly SplitPayment[] | null;
  readonly stake: bigint;
  /** Its share of the rewards before commission, floored (for reading; the payout is floored once, from the exact share). */
  readonly gross: bigint;
  readonly fees: FeeClass;
  readonly commissionRate: Rational;
  /** Commission the pool keeps, after the part burned. */
  readonly commission: bigint;
  readonly burnRate: Rational;
  /** The part of the commission sent to the burn address. */
  readonly burned: bigint;
  /** Earned this epoch, after commission: floor of the exact entitlement. */
  readonly earned: bigint;
  readonly carriedIn: bigint;
  /** Sent now, over all its payments (after the fees when delegators pay them). */
  readonly amount: bigint;
  /** Transaction fees of its payments, 0 when nothing is sent. */
  readonly txFee: bigint;
  readonly carriedOut: bigint;
  readonly program: Program | null;
  /** The payment's memo, when its program asks for one. */
  readonly memo: string | null;
  /** What was done for a payee of the line without an account (null or absent: none has, or nobody looked). */
  readonly newAccount?: NewAccountChoice | null | undefined;
  /** pay-fee: the account creation fees the pool adds to the line's payments, on top of amount. */
  readonly accountCreationFee?: bigint | undefined;
}

export interface PlanTotals {
  readonly rewards: bigint;
  readonly earned: bigint;
  readonly commission: bigint;
  /** Parts of commissions burned (negotiated burns). */
  readonly burned: bigint;
  /** Supercharged coinbase extras burned (before Berkeley, of blocks won by program accounts). */
  readonly superchargeBurned: bigint;
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
  /** Account creation fees the pool pays on top of the payments (only in plans that looked for new accounts). */
  readonly accountCreationFees?: bigint | undefined;
}

/**
 * What the remainder is made of, for people reading a plan: the share of
 * the pool's own stake it keeps, the shares of excluded accounts, and the
 * rest: rounding (each line is floored once), fees the pool keeps with
 * --fees keep, and (negative) what it adds for a program's guarantee.
 */
export interface RemainderParts {
  readonly ownStake: bigint;
  readonly excluded: bigint;
  readonly rest: bigint;
}

export function remainderParts(lines: readonly PlanLine[], remainder: bigint): RemainderParts {
  const kept = (kind: LineKind) => lines.filter((line) => line.kind === kind).reduce((sum, line) => sum + line.gross - line.earned - line.commission, 0n);
  const ownStake = kept('self');
  const excluded = kept('excluded');
  return { ownStake, excluded, rest: remainder - ownStake - excluded };
}

export interface Plan {
  readonly lines: readonly PlanLine[];
  readonly totals: PlanTotals;
}

/**
 * The payout plan of an epoch: pure and exact. Each delegator's share of
 * every block is pro rata to its balance among the delegators that share
 * that part of the block: the coinbase among all, the fees among those not
 * excluded from them, a supercharged coinbase's extra part among those
 * unlocked at that slot. Shares are summed over the epoch as exact
 * fractions and floored once.
 */
export function computePlan(delegators: readonly Delegator[], blocks: readonly BlockRecord[], settings: PlanSettings): Plan {
  checkBlocks(delegators, blocks);
  const context: LineContext = {
    pools: new Set(settings.pools),
    producers: producerTallies(delegators, blocks),
    settings,
    newPayees: new Set(settings.newAccounts?.payees ?? []),
  };
  const shares = exactShares(delegators, blocks, settings);
  const accountLines = [...delegators, ...departedWithCarry(delegators, settings)].map((delegator) =>
    planLine(delegator, shares.entitlements.get(delegator.pk) ?? ZERO, context),
  );
  const burn = burnLine(accountLines, shares, settings);
  const lines = [...accountLines, ...(burn === null ? [] : [burn])].sort((a, b) => compareKeys(a.pk, b.pk));
  const totals = planTotals(
    lines,
    blocks.reduce((sum, block) => sum + blockReward(block), 0n),
    shares.superchargeBurned,
    settings.newAccounts ?? null,
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
  /** Payees without an account (settings.newAccounts), as a set. */
  readonly newPayees: ReadonlySet<string>;
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

/** Each delegator's exact share of the rewards before commission, and what the supercharge rule burns. */
interface ExactShares {
  readonly entitlements: ReadonlyMap<string, Rational>;
  readonly superchargeBurned: bigint;
  /** The producer of the first block whose supercharged extra is burned: the burn payment's memo names it. */
  readonly burnProducer: string | null;
}

function exactShares(delegators: readonly Delegator[], blocks: readonly BlockRecord[], settings: PlanSettings): ExactShares {
  const entitlements = new Map<string, Rational>();
  const credit = (pk: string, amount: Rational) => entitlements.set(pk, add(entitlements.get(pk) ?? ZERO, amount));
  let coinbaseForAll = 0n;
  let feesForSharers = 0n;
  let superchargeBurned = 0n;
  let burnProducer: string | null = null;
  for (const block of blocks) {
    const parts = rewardParts(block, settings);
    coinbaseForAll += parts.coinbase;
    feesForSharers += parts.fees;
    if (parts.extra > 0n && burnsSupercharge(block, settings)) {
      superchargeBurned += parts.extra;
      burnProducer ??= block.creator;
    } else if (parts.extra > 0n) shareProRata(unlockedAt(delegators, block.globalSlotSinceGenesis), parts.extra, credit);
  }
  // Sums shared once over the epoch, not per block: the same exact fractions, fewer of them. When every delegator
  // shares the fees (no override keeps them), coinbase and fees are one sum: c b/s + f b/s = (c + f) b/s.
  const feeSharers = delegators.filter((d) => feeClass(d.pk, settings) === 'share');
  if (feeSharers.length === delegators.length) shareProRata(delegators, coinbaseForAll + feesForSharers, credit);
  else {
    shareProRata(delegators, coinbaseForAll, credit);
    shareProRata(feeSharers, feesForSharers, credit);
  }
  return { entitlements, superchargeBurned, burnProducer };
}

function feeClass(pk: string, settings: PlanSettings): FeeClass {
  return settings.overrides.get(pk)?.fees ?? 'share';
}

/**
 * A block's reward in the parts that are shared differently: the coinbase
 * less the snark fees paid from it, shared by every delegator; of that, a
 * supercharged coinbase's extra part, shared only by those unlocked at its
 * slot; and the transaction fees to the producer, shared by the delegators
 * whose fee class shares them, or kept by the pool under `--fees keep`.
 * The parts add up to the block's reward, or to its coinbase part when fees
 * are kept.
 */
function rewardParts(block: BlockRecord, settings: PlanSettings): { coinbase: bigint; extra: bigint; fees: bigint } {
  const coinbasePart = block.coinbase > block.feeTransferViaCoinbase ? block.coinbase - block.feeTransferViaCoinbase : 0n;
  const feePart = blockReward(block) - coinbasePart;
  const extra = supercharged(block, settings) ? minimum(block.coinbase - settings.baseCoinbase, coinbasePart) : 0n;
  return { coinbase: coinbasePart - extra, extra, fees: settings.fees === 'share' ? feePart : 0n };
}

function supercharged(block: BlockRecord, settings: PlanSettings): boolean {
  return settings.superchargeFactor > 1 && block.coinbase === settings.baseCoinbase * BigInt(settings.superchargeFactor);
}

function minimum(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/**
 * Before Berkeley, the extra part of a supercharged coinbase won by a
 * Foundation (or investor) account went to the burn address
 * (docs/protocol.md, "Foundation delegation program rule").
 */
function burnsSupercharge(block: BlockRecord, settings: PlanSettings): boolean {
  const program = settings.overrides.get(block.winner)?.program;
  return program === 'foundation' || program === 'investor';
}

function unlockedAt(delegators: readonly Delegator[], slot: number): Delegator[] {
  return delegators.filter((d) => d.timing === null || lockedAt(d.timing, slot) === 0n);
}

function shareProRata(among: readonly Delegator[], amount: bigint, credit: (pk: string, share: Rational) => void): void {
  if (amount === 0n) return;
  const stake = among.reduce((sum, d) => sum + d.balance, 0n);
  // Nobody to share with (no stake, or nobody unlocked): the amount stays with the pool as remainder.
  if (stake === 0n) return;
  for (const d of among) credit(d.pk, rational(amount * d.balance, stake));
}

function planLine(delegator: PlannedAccount, entitlement: Rational, context: LineContext): PlanLine {
  const { settings } = context;
  const terms = settings.overrides.get(delegator.pk);
  const kind: LineKind = context.pools.has(delegator.pk) ? 'self' : terms?.exclude === true ? 'excluded' : 'delegator';
  // The pool's own share is paid only when --self-pay-to asks for it; an excluded account's never.
  const paid = kind === 'delegator' || (kind === 'self' && settings.selfPayTo !== null);
  const program = kind === 'delegator' ? (terms?.program ?? null) : null;
  const commissionRate = paid ? (terms?.commission ?? defaultCommission(kind, program, settings)) : ONE;
  const burnRate = terms?.burn ?? ZERO;
  const { earned, commission, burned } = paid
    ? lineAmounts(delegator, entitlement, { commissionRate, burnRate, program }, context)
    : { earned: 0n, commission: 0n, burned: 0n };
  const carriedIn = settings.carriedIn.get(delegator.pk) ?? 0n;
  const payees = terms?.payTo ?? [{ payTo: kind === 'self' && settings.selfPayTo !== null ? settings.selfPayTo : delegator.pk, weight: ONE }];
  return {
    pk: delegator.pk,
    index: delegator.index,
    kind,
    stake: delegator.balance,
    gross: floor(entitlement),
    fees: feeClass(delegator.pk, settings),
    commissionRate,
    commission,
    burnRate,
    burned,
    earned,
    carriedIn,
    // What was carried is owed whatever the account's terms are now.
    ...toNewAccounts(delivery(earned + carriedIn, payees, paid || carriedIn > 0n, settings), context),
    program,
    memo: program === 'foundation' || program === 'investor' ? md5Hex(delegator.delegate) : null,
  };
}

/** Commission when no override names one: the foundation's and investors' 8 %, nothing on the pool's own stake, else the pool's rate. */
function defaultCommission(kind: LineKind, program: Program | null, settings: PlanSettings): Rational {
  if (program === 'foundation' || program === 'investor') return FOUNDATION_COMMISSION;
  return kind === 'self' ? ZERO : settings.commission;
}

interface LineRates {
  readonly commissionRate: Rational;
  readonly burnRate: Rational;
  readonly program: Program | null;
}

/**
 * What a paid account earns, the commission the pool keeps and the part of
 * the commission burned: the burn is floored from the exact commission and
 * the pool keeps the floored commission less the burn, so that the two
 * together are the commission without a burn.
 */
function lineAmounts(
  delegator: PlannedAccount,
  entitlement: Rational,
  rates: LineRates,
  context: LineContext,
): { earned: bigint; commission: bigint; burned: bigint } {
  const { earned, commission } =
    rates.program === 'foundation'
      ? foundationTerms(delegator, entitlement, rates.commissionRate, context)
      : { earned: floor(multiply(entitlement, subtract(ONE, rates.commissionRate))), commission: multiply(entitlement, rates.commissionRate) };
  const burned = floor(multiply(commission, rates.burnRate));
  return { earned, commission: floor(commission) - burned, burned };
}

/**
 * The foundation's rule: its share of the stake delegated to the producer
 * key x (1 - rate) x the base coinbase, for every block that key produced
 * with a non-zero reward, however much more or less than the base coinbase
 * the block earned. The pool keeps what its share of the rewards holds
 * beyond that as commission, and pays any shortfall itself.
 */
function foundationTerms(delegator: PlannedAccount, entitlement: Rational, rate: Rational, context: LineContext): { earned: bigint; commission: Rational } {
  const producer = context.producers.get(delegator.delegate);
  if (producer === undefined || producer.stake === 0n) return { earned: 0n, commission: ZERO };
  const guaranteed = multiply(rational(delegator.balance * producer.blocks * context.settings.baseCoinbase, producer.stake), subtract(ONE, rate));
  const earned = floor(guaranteed);
  const beyond = floor(entitlement) - earned;
  return { earned, commission: rational(beyond > 0n ? beyond : 0n) };
}

/** The memo the foundation asks for: MD5 hex of the block producer's public key. */
function md5Hex(producer: string): string {
  return createHash('md5').update(producer).digest('hex');
}

interface Delivery {
  readonly payTo: string;
  readonly split: readonly SplitPayment[] | null;
  readonly amount: bigint;
  readonly txFee: bigint;
  readonly carriedOut: bigint;
}

/**
 * Whether what is due is sent now or carried, to which addresses, and the
 * fees of sending it. A split payout is sent whole or carried whole: each
 * address gets its exact share floored, the first also the dust, and each
 * payment pays its own fee when delegators pay fees.
 */
function delivery(due: bigint, payees: readonly PayShare[], payable: boolean, settings: PlanSettings): Delivery {
  const parts = splitAmounts(due, payees);
  const deducted = settings.feePayer === 'delegator' ? settings.txFee : 0n;
  const send = payable && due > 0n && due >= settings.minPayout && parts.every((part) => part > deducted);
  const carriedOut = payable && due > 0n && !send ? due : 0n;
  const payments = payees.map((payee, index) => ({
    payTo: payee.payTo,
    weight: payee.weight,
    amount: send ? parts[index]! - deducted : 0n,
    txFee: send ? settings.txFee : 0n,
  }));
  return {
    payTo: payees[0]!.payTo,
    split: payees.length > 1 ? payments : null,
    amount: payments.reduce((sum, payment) => sum + payment.amount, 0n),
    txFee: payments.reduce((sum, payment) => sum + payment.txFee, 0n),
    carriedOut,
  };
}

/**
 * A delivery with payments to payees without an account, as the new-account
 * choice has it: the fee added to each such payment (pay-fee), or the line
 * carried whole (skip; allow when such a payment cannot cover the fee),
 * since a split payout is sent whole or carried whole.
 */
function toNewAccounts(sent: Delivery, context: LineContext): Delivery & { newAccount?: NewAccountChoice; accountCreationFee?: bigint } {
  const newAccounts = context.settings.newAccounts;
  const payments = sent.split ?? [{ payTo: sent.payTo, amount: sent.amount, txFee: sent.txFee }];
  const fresh = payments.filter((payment) => payment.amount > 0n && context.newPayees.has(payment.payTo));
  if (newAccounts === null || newAccounts === undefined || fresh.length === 0) return sent;
  const { choice, fee } = newAccounts;
  if (choice === 'skip' || (choice === 'allow' && fresh.some((payment) => payment.amount <= fee))) {
    // Carried whole: what the payments would have sent, and the fees they would have taken from a delegator who pays them.
    const deducted = context.settings.feePayer === 'delegator' ? sent.txFee : 0n;
    const split = sent.split === null ? null : sent.split.map((payment) => ({ ...payment, amount: 0n, txFee: 0n }));
    return { ...sent, split, amount: 0n, txFee: 0n, carriedOut: sent.carriedOut + sent.amount + deducted, newAccount: choice, accountCreationFee: 0n };
  }
  if (choice === 'allow') return { ...sent, newAccount: choice, accountCreationFee: 0n };
  const feeOf = (payTo: string) => (context.newPayees.has(payTo) ? fee : 0n);
  const split =
    sent.split === null ? null : sent.split.map((payment) => (payment.amount > 0n ? { ...payment, accountCreationFee: feeOf(payment.payTo) } : payment));
  return { ...sent, split, newAccount: choice, accountCreationFee: fee * BigInt(fresh.length) };
}

/** Each address's floor of its weighted share; the first takes what the floors leave. */
export function splitAmounts(due: bigint, payees: readonly PayShare[]): bigint[] {
  const total = payees.reduce((sum, payee) => add(sum, payee.weight), ZERO);
  // due x (weight / total), floored: weights and their total are positive.
  const rest = payees.slice(1).map((payee) => (due * payee.weight.num * total.den) / (payee.weight.den * total.num));
  return [due - rest.reduce((sum, part) => sum + part, 0n), ...rest];
}

/**
 * The payment to the burn address, when anything is burned: the negotiated
 * parts of commissions and the supercharged extras the rule burns. It is
 * never carried (it is not a delegator's), and the pool pays its fee. Its
 * memo names the producer when a supercharge is burned, as the Foundation
 * asks of its burn payments; a negotiated burn takes the signing memo.
 */
function burnLine(accountLines: readonly PlanLine[], shares: ExactShares, settings: PlanSettings): PlanLine | null {
  const amount = accountLines.reduce((sum, line) => sum + line.burned, 0n) + shares.superchargeBurned;
  if (amount === 0n) return null;
  if (settings.burnAddress === null) {
    throw new MinapayError(
      'ERA_START_UNKNOWN',
      `the plan burns ${amount} nanomina, but no burn address is known for this network; give one with --burn-address`,
    );
  }
  const burnAddress = settings.burnAddress;
  if (accountLines.some((line) => line.pk === burnAddress)) {
    throw new MinapayError(
      'PLAN_LEDGER_MISMATCH',
      `the burn address ${burnAddress} delegates to the pool in this ledger: it cannot be both paid and burned to`,
    );
  }
  return {
    pk: burnAddress,
    // Not an account of the ledger: the burn line has no index, like a line paid a carry only.
    index: null,
    kind: 'burn',
    payTo: burnAddress,
    split: null,
    stake: 0n,
    gross: 0n,
    fees: 'exclude',
    commissionRate: ZERO,
    commission: 0n,
    burnRate: ZERO,
    burned: 0n,
    earned: 0n,
    carriedIn: 0n,
    amount,
    txFee: settings.txFee,
    carriedOut: 0n,
    program: null,
    memo: shares.burnProducer === null ? null : md5Hex(shares.burnProducer),
  };
}

/** Each payment a line makes: one per address of a split payout, else one to its payTo (zero amounts included). */
export function linePayees(line: PlanLine): readonly Omit<SplitPayment, 'weight'>[] {
  return line.split ?? [{ payTo: line.payTo, amount: line.amount, txFee: line.txFee, accountCreationFee: line.accountCreationFee }];
}

/** What a payment sends: its amount, and the account creation fee when the pool pays it. */
export function paymentAmount(payment: Pick<SplitPayment, 'amount' | 'accountCreationFee'>): bigint {
  return payment.amount + (payment.accountCreationFee ?? 0n);
}

function planTotals(lines: readonly PlanLine[], rewards: bigint, superchargeBurned: bigint, newAccounts: NewAccounts | null): PlanTotals {
  const sum = (field: (line: PlanLine) => bigint) => lines.reduce((total, line) => total + field(line), 0n);
  const earned = sum((l) => l.earned);
  const commission = sum((l) => l.commission);
  const burned = sum((l) => l.burned);
  return {
    rewards,
    earned,
    commission,
    burned,
    superchargeBurned,
    remainder: rewards - earned - commission - burned - superchargeBurned,
    carriedIn: sum((l) => l.carriedIn),
    sent: sum((l) => l.amount),
    txFees: sum((l) => l.txFee),
    carriedOut: sum((l) => l.carriedOut),
    paidDelegators: lines.filter((l) => l.amount > 0n && l.kind !== 'burn').length,
    ...(newAccounts === null ? {} : { accountCreationFees: sum((l) => l.accountCreationFee ?? 0n) }),
  };
}

/**
 * rewards = earned + commission + burned + remainder, and what is due
 * (earned, carried in, burned) is either sent or carried, exactly; the
 * fees deducted from delegators' payments are theirs, the burn's the pool's.
 */
function assertConserved(totals: PlanTotals, lines: readonly PlanLine[], feePayer: PlanSettings['feePayer']): void {
  const deducted = feePayer === 'delegator' ? lines.reduce((sum, line) => sum + (line.kind === 'burn' ? 0n : line.txFee), 0n) : 0n;
  const burnt = totals.burned + totals.superchargeBurned;
  const poolMaySubsidise = lines.some((line) => line.program === 'foundation');
  if ((totals.remainder < 0n && !poolMaySubsidise) || totals.earned + totals.carriedIn + burnt !== totals.sent + deducted + totals.carriedOut) {
    throw new Error(`payout plan does not balance: ${JSON.stringify(totals, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
  }
}
