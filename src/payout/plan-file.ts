import { createHash } from 'node:crypto';

import { blockReward, type BlockRecord } from '../blocks/block.js';
import { blockJson } from '../blocks/format.js';
import { MinapayError } from '../errors.js';
import { canonicalJsonPieces, joined, prettyJsonPieces } from '../io/text-pieces.js';
import { parseVersionedDocument } from '../io/versioned-document.js';
import { JsonFields } from '../io/json-fields.js';
import type { Era, EraSource, Network, SlotRange } from '../protocol/eras.js';
import { formatDecimal, multiply, parseDecimal, parseRate, rational, ZERO, type Rational } from '../protocol/rational.js';
import type { PlanCommitment } from './commitment.js';
import {
  LINE_KINDS,
  NEW_ACCOUNT_CHOICES,
  type NewAccounts,
  PROGRAMS,
  type FeeClass,
  type Plan,
  type PlanLine,
  type PlanSettings,
  type PlanTerms,
  type PlanTotals,
  type SplitPayment,
} from './plan.js';

/**
 * Bumped when the layout of plan.json changes. Format 2 added each line's
 * ledger `index`, the ledger's `totalCurrency` and the `commitment`; plans
 * of format 1 are still read (a later plan takes their carried amounts, and
 * they can be verified, signed and sent), but have no commitment. Format 3
 * added the payout rules: each line's fee class, burn and split payments, a
 * line paying the burn address, the era's burn address, `selfPayTo`, the
 * programs input and the burned totals; plans of format 2 are read and
 * verified with the terms they had (fees shared, nothing burned or split).
 */
export const PLAN_FORMAT_VERSION = 3;
const PLAN_FORMATS_READ = [1, 2];

/** What a plan was computed from, so that anyone can recompute it. */
export interface PlanInputs {
  readonly ledger: {
    readonly path: string;
    readonly sha256: string;
    readonly accounts: number;
    readonly delegators: number;
    readonly totalStake: bigint;
    /** Sum of the ledger's MINA-token balances, what block odds divide by; null in plans of format 1. */
    readonly totalCurrency: bigint | null;
  };
  readonly blocks: { readonly path: string; readonly sha256: string; readonly count: number };
  readonly overrides: { readonly path: string; readonly sha256: string } | null;
  /** The delegation-program list (--programs); null without one, and in plans before format 3. */
  readonly programs: { readonly path: string; readonly sha256: string } | null;
  /** The earlier plan whose carried amounts this one pays. */
  readonly carriedFrom: { readonly epoch: number; readonly planHash: string } | null;
  /** Payees found without an account when signing, and the choice made for them (absent: nobody looked). */
  readonly newAccounts?: NewAccounts | null | undefined;
}

export interface PlanHeader {
  readonly network: Network;
  readonly epoch: number;
  readonly pools: readonly string[];
  readonly era: Era;
  /** How the era was learned; null for a plan of a minapay that did not record it (and is verified as it was). */
  readonly eraLearnedFrom: EraSource | null;
  readonly slots: SlotRange;
  readonly inputs: PlanInputs;
  readonly settings: PlanSettings;
}

/** plan.json as JSON data: amounts are nanomina strings, rates exact decimals. */
export type PlanDocument = Readonly<Record<string, unknown>> & { readonly planHash: string };

/** `commitment`: planCommitment of the plan's lines. */
export function planDocument(header: PlanHeader, blocks: readonly BlockRecord[], plan: Plan, commitment: PlanCommitment): PlanDocument {
  const { inputs, settings, era } = header;
  const body = {
    version: PLAN_FORMAT_VERSION,
    network: header.network,
    epoch: header.epoch,
    pools: header.pools,
    slots: header.slots,
    inputs: {
      ledger: { ...inputs.ledger, totalStake: inputs.ledger.totalStake.toString(), totalCurrency: inputs.ledger.totalCurrency?.toString() ?? null },
      blocks: inputs.blocks,
      overrides: inputs.overrides,
      programs: inputs.programs,
      carriedFrom: inputs.carriedFrom,
      // Written only once signing looked for new accounts, so that plans made before keep their planHash.
      newAccounts:
        inputs.newAccounts === null || inputs.newAccounts === undefined
          ? undefined
          : { choice: inputs.newAccounts.choice, fee: inputs.newAccounts.fee.toString(), payees: inputs.newAccounts.payees },
    },
    settings: {
      commission: formatRate(settings.commission),
      fees: settings.fees,
      minPayout: settings.minPayout.toString(),
      txFee: settings.txFee.toString(),
      feePayer: settings.feePayer,
      selfPayTo: settings.selfPayTo,
    },
    era: {
      name: era.name,
      firstGlobalSlot: era.firstGlobalSlot,
      slotsPerEpoch: era.slotsPerEpoch,
      baseCoinbase: settings.baseCoinbase.toString(),
      superchargeFactor: settings.superchargeFactor,
      burnAddress: settings.burnAddress,
      ...(header.eraLearnedFrom === null ? {} : { learnedFrom: header.eraLearnedFrom }),
    },
    blocks: blocks.map((block) => ({ ...blockJson(block), reward: blockReward(block).toString() })),
    lines: plan.lines.map(lineJson),
    totals: totalsJson(plan.totals),
    commitment: { root: commitment.root.toString(), height: commitment.height, leaves: commitment.leaves },
  };
  return { ...body, planHash: planHash(body) };
}

/**
 * A recomputed plan document in the layout of the format a stored plan was
 * written in: what that plan is compared with when it is verified.
 */
export function documentInFormat(document: PlanDocument, version: number): PlanDocument {
  if (version === PLAN_FORMAT_VERSION) return document;
  const formatTwo = formatTwoDocument(document);
  return version === 1 ? formatOneDocument(formatTwo) : formatTwo;
}

/** The fields format 3 added to lines; a plan of format 2 has none of them. */
const FORMAT_THREE_LINE_FIELDS = new Set(['split', 'fees', 'burnRate', 'burned']);

/**
 * A plan document in the layout of format 2, which had no payout rules:
 * no fee class, burn or split on its lines, no burn address, `selfPayTo`,
 * programs input or burned totals.
 */
function formatTwoDocument(document: PlanDocument): PlanDocument {
  const { planHash: _hash, ...rest } = document;
  const { programs: _programs, ...inputs } = rest['inputs'] as Record<string, unknown>;
  const { selfPayTo: _selfPayTo, ...settings } = rest['settings'] as Record<string, unknown>;
  const { burnAddress: _burnAddress, ...era } = rest['era'] as Record<string, unknown>;
  const { burned: _burned, superchargeBurned: _superchargeBurned, ...totals } = rest['totals'] as Record<string, unknown>;
  const body = {
    ...rest,
    version: 2,
    inputs,
    settings,
    era,
    lines: (rest['lines'] as Record<string, unknown>[]).map((line) =>
      Object.fromEntries(Object.entries(line).filter(([name]) => !FORMAT_THREE_LINE_FIELDS.has(name))),
    ),
    totals,
  };
  return { ...body, planHash: planHash(body) };
}

/**
 * A plan document in the layout of format 1, which had no ledger index,
 * total currency or commitment either: what a plan of format 1 is compared
 * with when it is verified.
 */
function formatOneDocument(document: PlanDocument): PlanDocument {
  const { commitment: _commitment, planHash: _hash, ...rest } = document;
  const inputs = rest['inputs'] as { ledger: Record<string, unknown> };
  const { totalCurrency: _totalCurrency, ...ledger } = inputs.ledger;
  const body = {
    ...rest,
    version: 1,
    inputs: { ...inputs, ledger },
    lines: (rest['lines'] as Record<string, unknown>[]).map(({ index: _index, ...line }) => line),
  };
  return { ...body, planHash: planHash(body) };
}

function lineJson(line: PlanLine): Record<string, unknown> {
  return {
    pk: line.pk,
    index: line.index,
    kind: line.kind,
    payTo: line.payTo,
    split: line.split === null ? null : line.split.map(splitJson),
    stake: line.stake.toString(),
    gross: line.gross.toString(),
    fees: line.fees,
    commissionRate: formatRate(line.commissionRate),
    commission: line.commission.toString(),
    burnRate: formatRate(line.burnRate),
    burned: line.burned.toString(),
    earned: line.earned.toString(),
    carriedIn: line.carriedIn.toString(),
    amount: line.amount.toString(),
    txFee: line.txFee.toString(),
    carriedOut: line.carriedOut.toString(),
    program: line.program,
    memo: line.memo,
    newAccount: line.newAccount ?? undefined,
    accountCreationFee: line.newAccount === null || line.newAccount === undefined ? undefined : (line.accountCreationFee ?? 0n).toString(),
  };
}

function splitJson(payment: SplitPayment): Record<string, unknown> {
  return {
    payTo: payment.payTo,
    weight: formatRate(payment.weight),
    amount: payment.amount.toString(),
    txFee: payment.txFee.toString(),
    accountCreationFee: payment.accountCreationFee === undefined ? undefined : payment.accountCreationFee.toString(),
  };
}

function totalsJson(totals: PlanTotals): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(totals)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name, typeof value === 'bigint' ? value.toString() : value]),
  );
}

/**
 * Texts of rates already written, by rate: a plan's lines share a few rate
 * objects (the default commission, zero), and plan.json and report.csv write
 * two or three rates a line, each a division per digit and a fraction's
 * product to make: 8 to 14 ms of a plan at 250k accounts, now 2 (cold, this machine).
 */
const rateTexts = new WeakMap<Rational, string>();
const percentTexts = new WeakMap<Rational, string>();

function remembered(texts: WeakMap<Rational, string>, value: Rational, format: (value: Rational) => string): string {
  let text = texts.get(value);
  if (text === undefined) {
    text = format(value);
    texts.set(value, text);
  }
  return text;
}

/** A rate in percent, as reports for people write it: 0.05 is "5", 1/8 is "12.5". */
export function formatPercent(value: Rational): string {
  return remembered(percentTexts, value, (rate) => formatRate(multiply(rate, rational(100n, 1n))));
}

/** A rate (or a split weight) as plan.json and reports write it: its exact decimal (every rate minapay reads has one). */
export function formatRate(value: Rational): string {
  return remembered(rateTexts, value, (rate) => {
    const text = formatDecimal(rate);
    if (text === null) throw new Error(`rate ${rate.num}/${rate.den} has no exact decimal form`);
    return text;
  });
}

/** sha256 of the canonical JSON (keys sorted, no spaces) of everything but planHash, hashed a piece at a time. */
export function planHash(body: Readonly<Record<string, unknown>>): string {
  const { planHash: _ignored, ...rest } = body;
  const hash = createHash('sha256');
  for (const piece of canonicalJsonPieces(rest)) hash.update(piece);
  return hash.digest('hex');
}

export function formatPlanDocument(document: PlanDocument): string {
  return joined(planDocumentPieces(document));
}

/** plan.json's text in pieces, a line of the plan at a time: what `payout plan` writes, without the whole text at once. */
export function* planDocumentPieces(document: PlanDocument): Generator<string> {
  yield* prettyJsonPieces(document, 'lines', document['lines'] as unknown[]);
  yield '\n';
}

/** The era figures a plan was computed with, as it records them. */
export interface RecordedEra {
  readonly name: string;
  readonly firstGlobalSlot: number | null;
  readonly slotsPerEpoch: number;
  readonly baseCoinbase: bigint;
  readonly superchargeFactor: number;
  /** Null in plans before format 3. */
  readonly burnAddress: string | null;
  readonly learnedFrom: EraSource | null;
}

/** The root of a plan's commitment (commitment.ts), with the tree's height and leaf count, as plan.json records them. */
export interface RecordedCommitment {
  readonly root: bigint;
  readonly height: number;
  readonly leaves: number;
}

/** A block a plan pays for, as plan.json records it: what a statement page shows of it. */
export interface RecordedBlock {
  readonly height: number;
  readonly stateHash: string;
  readonly globalSlotSinceGenesis: number;
  readonly reward: bigint;
}

/** A plan.json read back: every field checked and typed, not trusted. */
export interface StoredPlan {
  /** Its format: 1 has no commitment and no ledger indexes. */
  readonly version: number;
  /** The document as found, for comparing with a recomputed one. */
  readonly document: PlanDocument;
  readonly planHash: string;
  readonly network: Network;
  readonly epoch: number;
  readonly pools: readonly string[];
  /** The epoch's global slots since genesis. */
  readonly slots: SlotRange;
  readonly era: RecordedEra;
  readonly terms: PlanTerms;
  readonly inputs: PlanInputs;
  readonly blocks: readonly RecordedBlock[];
  readonly lines: readonly PlanLine[];
  readonly totals: PlanTotals;
  /** Null in plans of format 1. */
  readonly commitment: RecordedCommitment | null;
}

/** Reads a plan.json back, unchecked against its planHash (payout verify names what changed). */
export function readPlanDocument(text: string, path: string): StoredPlan {
  const kind = { what: 'plan', version: PLAN_FORMAT_VERSION, alsoReads: PLAN_FORMATS_READ, code: 'PLAN_INVALID' } as const;
  return storedPlan(parseVersionedDocument(text, path, kind), path);
}

/** Reads a plan.json back; a plan whose contents do not match its planHash is refused. */
export function parsePlanDocument(text: string, path: string): StoredPlan {
  const plan = readPlanDocument(text, path);
  if (planHash(plan.document) !== plan.planHash)
    throw new MinapayError('PLAN_INVALID', `${path} does not match its planHash: it was changed after it was planned`);
  return plan;
}

const NETWORKS: readonly Network[] = ['mainnet', 'devnet'];
const ERA_SOURCES: readonly EraSource[] = ['option', 'blocks', 'archive', 'daemon', 'table'];
const FEE_CLASSES: readonly FeeClass[] = ['share', 'exclude'];

/**
 * A field format 3 added: read from a plan of format 3, and from an earlier
 * one the value it was computed with then (fees shared, nothing burned or
 * split, the pool's own share kept).
 */
function since3<T>(version: number, read: () => T, before: T): T {
  return version >= 3 ? read() : before;
}

function storedPlan(document: Readonly<Record<string, unknown>>, path: string): StoredPlan {
  const fields = JsonFields.of(document, path, 'PLAN_INVALID');
  const slots = fields.object('slots');
  const era = fields.object('era');
  const settings = fields.object('settings');
  const version = fields.whole('version');
  return {
    version,
    document: { ...document, planHash: fields.text('planHash') },
    planHash: fields.text('planHash'),
    network: fields.choice('network', NETWORKS),
    epoch: fields.whole('epoch'),
    pools: fields.texts('pools'),
    slots: { first: slots.whole('first'), last: slots.whole('last') },
    era: {
      name: era.text('name'),
      firstGlobalSlot: era.nullableWhole('firstGlobalSlot'),
      slotsPerEpoch: era.whole('slotsPerEpoch'),
      baseCoinbase: era.wholeText('baseCoinbase'),
      superchargeFactor: era.whole('superchargeFactor'),
      burnAddress: since3(version, () => era.nullableText('burnAddress'), null),
      learnedFrom: era.raw('learnedFrom') === undefined ? null : era.choice('learnedFrom', ERA_SOURCES),
    },
    terms: {
      commission: settings.parsed('commission', parseRate, 'a rate from 0 to 1'),
      fees: settings.choice('fees', ['share', 'keep'] as const),
      minPayout: settings.wholeText('minPayout'),
      txFee: settings.wholeText('txFee'),
      feePayer: settings.choice('feePayer', ['pool', 'delegator'] as const),
      selfPayTo: since3(version, () => settings.nullableText('selfPayTo'), null),
    },
    inputs: storedInputs(fields.object('inputs'), version),
    blocks: fields.objects('blocks').map(storedBlock),
    lines: fields.objects('lines').map((line) => storedLine(line, version)),
    totals: storedTotals(fields.object('totals'), version),
    commitment: version === 1 ? null : storedCommitment(fields.object('commitment')),
  };
}

function storedBlock(block: JsonFields): RecordedBlock {
  return {
    height: block.whole('height'),
    stateHash: block.text('stateHash'),
    globalSlotSinceGenesis: block.whole('globalSlotSinceGenesis'),
    reward: block.wholeText('reward'),
  };
}

function storedTotals(totals: JsonFields, version: number): PlanTotals {
  return {
    rewards: totals.wholeText('rewards'),
    earned: totals.wholeText('earned'),
    commission: totals.wholeText('commission'),
    burned: since3(version, () => totals.wholeText('burned'), 0n),
    superchargeBurned: since3(version, () => totals.wholeText('superchargeBurned'), 0n),
    remainder: totals.integerText('remainder'),
    carriedIn: totals.wholeText('carriedIn'),
    sent: totals.wholeText('sent'),
    txFees: totals.wholeText('txFees'),
    carriedOut: totals.wholeText('carriedOut'),
    paidDelegators: totals.whole('paidDelegators'),
    ...(totals.raw('accountCreationFees') === undefined ? {} : { accountCreationFees: totals.wholeText('accountCreationFees') }),
  };
}

function storedCommitment(commitment: JsonFields): RecordedCommitment {
  return { root: commitment.fieldText('root'), height: commitment.whole('height'), leaves: commitment.whole('leaves') };
}

function storedInputs(inputs: JsonFields, version: number): PlanInputs {
  const ledger = inputs.object('ledger');
  const blocks = inputs.object('blocks');
  const overrides = inputs.nullableObject('overrides');
  const programs = since3(version, () => inputs.nullableObject('programs'), null);
  const carriedFrom = inputs.nullableObject('carriedFrom');
  const newAccounts = inputs.raw('newAccounts') === undefined ? null : inputs.object('newAccounts');
  return {
    ledger: {
      path: ledger.text('path'),
      sha256: ledger.text('sha256'),
      accounts: ledger.whole('accounts'),
      delegators: ledger.whole('delegators'),
      totalStake: ledger.wholeText('totalStake'),
      totalCurrency: version === 1 ? null : ledger.wholeText('totalCurrency'),
    },
    blocks: { path: blocks.text('path'), sha256: blocks.text('sha256'), count: blocks.whole('count') },
    overrides: overrides === null ? null : { path: overrides.text('path'), sha256: overrides.text('sha256') },
    programs: programs === null ? null : { path: programs.text('path'), sha256: programs.text('sha256') },
    carriedFrom: carriedFrom === null ? null : { epoch: carriedFrom.whole('epoch'), planHash: carriedFrom.text('planHash') },
    newAccounts:
      newAccounts === null
        ? null
        : { choice: newAccounts.choice('choice', NEW_ACCOUNT_CHOICES), fee: newAccounts.wholeText('fee'), payees: newAccounts.texts('payees') },
  };
}

function storedLine(line: JsonFields, version: number): PlanLine {
  const program = line.raw('program') === null ? null : line.choice('program', PROGRAMS);
  return {
    pk: line.text('pk'),
    index: version === 1 ? null : line.nullableWhole('index'),
    kind: line.choice('kind', LINE_KINDS),
    payTo: line.text('payTo'),
    split: since3(version, () => (line.raw('split') === null ? null : line.objects('split').map(storedSplitPayment)), null),
    stake: line.wholeText('stake'),
    gross: line.wholeText('gross'),
    fees: since3(version, () => line.choice('fees', FEE_CLASSES), 'share'),
    commissionRate: line.parsed('commissionRate', parseRate, 'a rate from 0 to 1'),
    commission: line.wholeText('commission'),
    burnRate: since3(version, () => line.parsed('burnRate', parseRate, 'a rate from 0 to 1'), ZERO),
    burned: since3(version, () => line.wholeText('burned'), 0n),
    earned: line.wholeText('earned'),
    carriedIn: line.wholeText('carriedIn'),
    amount: line.wholeText('amount'),
    txFee: line.wholeText('txFee'),
    carriedOut: line.wholeText('carriedOut'),
    program,
    memo: line.nullableText('memo'),
    ...(line.raw('newAccount') === undefined
      ? {}
      : { newAccount: line.choice('newAccount', NEW_ACCOUNT_CHOICES), accountCreationFee: line.wholeText('accountCreationFee') }),
  };
}

function storedSplitPayment(payment: JsonFields): SplitPayment {
  return {
    payTo: payment.text('payTo'),
    weight: payment.parsed('weight', positiveDecimal, 'a positive decimal'),
    amount: payment.wholeText('amount'),
    txFee: payment.wholeText('txFee'),
    ...(payment.raw('accountCreationFee') === undefined ? {} : { accountCreationFee: payment.wholeText('accountCreationFee') }),
  };
}

function positiveDecimal(text: string): Rational | null {
  const value = parseDecimal(text);
  return value !== null && value.num > 0n ? value : null;
}

/** What a plan carries into the next epoch, by delegating account. */
export function carriedOut(plan: StoredPlan): Map<string, bigint> {
  return new Map(plan.lines.filter((line) => line.carriedOut > 0n).map((line) => [line.pk, line.carriedOut]));
}
