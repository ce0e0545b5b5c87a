import { createHash } from 'node:crypto';

import { blockReward, type BlockRecord } from '../blocks/block.js';
import { blockJson } from '../blocks/format.js';
import { MinapayError } from '../errors.js';
import { parseVersionedDocument } from '../io/versioned-document.js';
import type { Era, SlotRange } from '../protocol/eras.js';
import { formatDecimal, type Rational } from '../protocol/rational.js';
import type { Plan, PlanLine, PlanSettings, PlanTotals } from './plan.js';

/** Bumped when the layout of plan.json changes. */
export const PLAN_FORMAT_VERSION = 1;

/** What a plan was computed from, so that anyone can recompute it. */
export interface PlanInputs {
  readonly ledger: { readonly path: string; readonly sha256: string; readonly accounts: number; readonly delegators: number; readonly totalStake: bigint };
  readonly blocks: { readonly path: string; readonly sha256: string; readonly count: number };
  readonly overrides: { readonly path: string; readonly sha256: string } | null;
  /** The earlier plan whose carried amounts this one pays. */
  readonly carriedFrom: { readonly epoch: number; readonly planHash: string } | null;
}

export interface PlanHeader {
  readonly network: string;
  readonly epoch: number;
  readonly pools: readonly string[];
  readonly era: Era;
  readonly slots: SlotRange;
  readonly inputs: PlanInputs;
  readonly settings: PlanSettings;
}

/** plan.json as JSON data: amounts are nanomina strings, rates exact decimals. */
export type PlanDocument = Readonly<Record<string, unknown>> & { readonly planHash: string };

export function planDocument(header: PlanHeader, blocks: readonly BlockRecord[], plan: Plan): PlanDocument {
  const { inputs, settings, era } = header;
  const body = {
    version: PLAN_FORMAT_VERSION,
    network: header.network,
    epoch: header.epoch,
    pools: header.pools,
    slots: header.slots,
    inputs: {
      ledger: { ...inputs.ledger, totalStake: inputs.ledger.totalStake.toString() },
      blocks: inputs.blocks,
      overrides: inputs.overrides,
      carriedFrom: inputs.carriedFrom,
    },
    settings: {
      commission: rate(settings.commission),
      fees: settings.fees,
      minPayout: settings.minPayout.toString(),
      txFee: settings.txFee.toString(),
      feePayer: settings.feePayer,
    },
    era: {
      name: era.name,
      firstGlobalSlot: era.firstGlobalSlot,
      slotsPerEpoch: era.slotsPerEpoch,
      baseCoinbase: settings.baseCoinbase.toString(),
      superchargeFactor: settings.superchargeFactor,
    },
    blocks: blocks.map((block) => ({ ...blockJson(block), reward: blockReward(block).toString() })),
    lines: plan.lines.map(lineJson),
    totals: totalsJson(plan.totals),
  };
  return { ...body, planHash: planHash(body) };
}

function lineJson(line: PlanLine): Record<string, unknown> {
  return {
    pk: line.pk,
    kind: line.kind,
    payTo: line.payTo,
    stake: line.stake.toString(),
    gross: line.gross.toString(),
    commissionRate: rate(line.commissionRate),
    commission: line.commission.toString(),
    earned: line.earned.toString(),
    carriedIn: line.carriedIn.toString(),
    amount: line.amount.toString(),
    txFee: line.txFee.toString(),
    carriedOut: line.carriedOut.toString(),
    program: line.program,
    memo: line.memo,
  };
}

function totalsJson(totals: PlanTotals): Record<string, unknown> {
  return Object.fromEntries(Object.entries(totals).map(([name, value]) => [name, typeof value === 'bigint' ? value.toString() : value]));
}

function rate(value: Rational): string {
  const text = formatDecimal(value);
  if (text === null) throw new Error(`rate ${value.num}/${value.den} has no exact decimal form`);
  return text;
}

/** sha256 of the canonical JSON (keys sorted, no spaces) of everything but planHash. */
export function planHash(body: Readonly<Record<string, unknown>>): string {
  const { planHash: _ignored, ...rest } = body;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, field]) => `${JSON.stringify(name)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function formatPlanDocument(document: PlanDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The parts of a plan.json that other commands read back: checked, not trusted. */
export interface StoredPlan {
  readonly document: PlanDocument;
  readonly epoch: number;
  readonly network: string;
  readonly pools: readonly string[];
  /** The staking ledger the plan was computed from. */
  readonly ledger: { readonly path: string; readonly sha256: string; readonly totalStake: bigint };
  /** The epoch's global slots since genesis. */
  readonly slots: SlotRange;
  /** The earlier plan whose carried amounts this one pays. */
  readonly carriedFrom: PlanInputs['carriedFrom'];
  readonly lines: readonly StoredLine[];
}

export interface StoredLine {
  readonly pk: string;
  readonly kind: string;
  readonly payTo: string;
  readonly stake: bigint;
  readonly gross: bigint;
  readonly commissionRate: string;
  readonly commission: bigint;
  readonly carriedIn: bigint;
  readonly amount: bigint;
  readonly txFee: bigint;
  readonly carriedOut: bigint;
  readonly memo: string | null;
}

/** Reads a plan.json back, unchecked against its planHash (payout verify names what changed). */
export function readPlanDocument(text: string, path: string): PlanDocument {
  return parseVersionedDocument(text, path, { what: 'plan', version: PLAN_FORMAT_VERSION, code: 'PLAN_INVALID' }) as PlanDocument;
}

/** Reads a plan.json back; a plan whose contents do not match its planHash is refused. */
export function parsePlanDocument(text: string, path: string): StoredPlan {
  const document = readPlanDocument(text, path);
  if (typeof document.planHash !== 'string' || planHash(document) !== document.planHash) {
    throw planError(path, 'does not match its planHash: it was changed after it was planned');
  }
  return storedPlan(document, path);
}

/** The typed view of a plan document's header and lines. */
export function storedPlan(document: PlanDocument, path: string): StoredPlan {
  const lines = document['lines'];
  if (!Array.isArray(lines)) throw planError(path, 'has no lines');
  return {
    document,
    epoch: document['epoch'] as number,
    network: document['network'] as string,
    pools: document['pools'] as string[],
    ledger: storedLedger(document, path),
    slots: storedSlots(document, path),
    carriedFrom: storedCarriedFrom(document, path),
    lines: lines.map((line: Record<string, unknown>, index) => storedLine(line, `${path}: line ${index}`)),
  };
}

function storedLedger(document: PlanDocument, path: string): StoredPlan['ledger'] {
  const ledger = (document['inputs'] as { ledger?: Record<string, unknown> } | undefined)?.ledger;
  const { path: ledgerPath, sha256, totalStake } = ledger ?? {};
  if (typeof ledgerPath !== 'string' || typeof sha256 !== 'string' || typeof totalStake !== 'string' || !/^\d+$/.test(totalStake)) {
    throw planError(path, 'has no inputs.ledger with path, sha256 and totalStake');
  }
  return { path: ledgerPath, sha256, totalStake: BigInt(totalStake) };
}

function storedSlots(document: PlanDocument, path: string): SlotRange {
  const { first, last } = (document['slots'] ?? {}) as Record<string, unknown>;
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || (first as number) < 0 || (last as number) < (first as number)) {
    throw planError(path, 'has no slots with a first and a last global slot');
  }
  return { first: first as number, last: last as number };
}

function storedCarriedFrom(document: PlanDocument, path: string): StoredPlan['carriedFrom'] {
  const from = (document['inputs'] as { carriedFrom?: unknown } | undefined)?.carriedFrom;
  if (from === null) return null;
  const { epoch, planHash } = (from ?? {}) as Record<string, unknown>;
  if (!Number.isSafeInteger(epoch) || (epoch as number) < 0 || typeof planHash !== 'string') {
    throw planError(path, 'has no inputs.carriedFrom: null, or an epoch and planHash');
  }
  return { epoch: epoch as number, planHash };
}

/** What a plan carries into the next epoch, by delegating account. */
export function carriedOut(plan: StoredPlan): Map<string, bigint> {
  return new Map(plan.lines.filter((line) => line.carriedOut > 0n).map((line) => [line.pk, line.carriedOut]));
}

function storedLine(line: Record<string, unknown>, where: string): StoredLine {
  const amount = (field: string): bigint => {
    const value = line[field];
    if (typeof value !== 'string' || !/^\d+$/.test(value)) throw planError(where, `${field} is not a nanomina amount`);
    return BigInt(value);
  };
  const text = (field: string): string => {
    const value = line[field];
    if (typeof value !== 'string') throw planError(where, `has no ${field}`);
    return value;
  };
  return {
    pk: text('pk'),
    kind: text('kind'),
    payTo: text('payTo'),
    stake: amount('stake'),
    gross: amount('gross'),
    commissionRate: text('commissionRate'),
    commission: amount('commission'),
    carriedIn: amount('carriedIn'),
    amount: amount('amount'),
    txFee: amount('txFee'),
    carriedOut: amount('carriedOut'),
    memo: typeof line['memo'] === 'string' ? line['memo'] : null,
  };
}

function planError(where: string, problem: string): MinapayError {
  return new MinapayError('PLAN_INVALID', `${where} ${problem}`);
}
