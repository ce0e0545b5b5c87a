import { basename, dirname, join } from 'node:path';

import { MinapayError } from '../errors.js';
import { type OutputFile, stageFiles, writeFilesAtomic } from '../io/atomic-file.js';
import { readInputText } from '../io/text-file.js';
import { exists, journalEpochDirectories, PLAN_FILE, readPlanFile, REPORT_FILE, SEND_LOG_FILE, SIGNED_FILE, supplementFileName } from './journal.js';
import type { StoredPlan } from './plan-file.js';
import { delegatorReport, type LinePayment, reportEpochOf } from './report.js';
import { readSendLog, type SendRecord } from './send-log.js';
import {
  parseSignedDocument,
  parseSupplementDocument,
  type SignedPayment,
  type SignedPayments,
  type SignedSupplement,
  signedDocument,
  supplementDocument,
} from './signed-file.js';
import { type EpochBatch, linePayments } from './status.js';

/**
 * An epoch's payments in the journal (journal.ts): signed.json, its
 * supplements and the send log, read back and written with the report that
 * shows them. Apart from journal.ts so that \`payout plan\`, which only
 * checks that none exists, loads none of the modules that read them.
 */

/**
 * signed.json and the report showing its payments land together or not at
 * all: both are written whole first; `beforeLanding` runs only then (it may
 * move files the new payments replace), and signed.json lands last, for its
 * presence is what freezes the epoch.
 */
export async function writeSignedFiles(epochDir: string, plan: StoredPlan, signed: SignedPayments, beforeLanding: () => Promise<void>): Promise<void> {
  const staged = await stageFiles([
    epochReport(epochDir, plan, linePayments(epochBatch(signed, []), [])),
    { path: join(epochDir, SIGNED_FILE), content: signedDocument(signed) },
  ]);
  try {
    await beforeLanding();
  } catch (error) {
    await staged.discard();
    throw error;
  }
  await staged.land();
}

/**
 * A supplement and the report showing its payments land together: the
 * supplement last, since its presence is what the next send acts on.
 */
export async function writeSupplementFiles(epochDir: string, epoch: EpochPayments, supplement: SignedSupplement): Promise<void> {
  const batch = epochBatch(epoch.signed!, [...epoch.supplements, supplement]);
  await writeFilesAtomic([
    epochReport(epochDir, epoch.plan, linePayments(batch, epoch.records)),
    { path: join(epochDir, supplementFileName(supplement.supplement)), content: supplementDocument(supplement) },
  ]);
}

/** An epoch's payment state: its plan, signed.json and its supplements if signed, and the send log's records. */
export interface EpochPayments {
  readonly plan: StoredPlan;
  readonly signed: SignedPayments | null;
  readonly supplements: readonly SignedSupplement[];
  readonly records: readonly SendRecord[];
  /** Every payment of signed.json and the supplements, null before signing. */
  readonly batch: EpochBatch | null;
}

export async function readEpochPayments(epochDir: string): Promise<EpochPayments> {
  const plan = await readPlanFile(join(epochDir, PLAN_FILE));
  const signedPath = join(epochDir, SIGNED_FILE);
  const signed = (await exists(signedPath)) ? parseSignedDocument(await readInputText(signedPath, 'signed payments'), signedPath, plan) : null;
  const supplements: SignedSupplement[] = [];
  for (let number = 1; signed !== null; number += 1) {
    const path = join(epochDir, supplementFileName(number));
    if (!(await exists(path))) break;
    const earlier = { sender: signed.sender, payments: epochBatch(signed, supplements).payments };
    supplements.push(parseSupplementDocument(await readInputText(path, 'signed payments'), path, plan, earlier, number));
  }
  const batch = signed === null ? null : epochBatch(signed, supplements);
  return { plan, signed, supplements, records: await readSendLog(join(epochDir, SEND_LOG_FILE)), batch };
}

/** signed.json's payments, then each supplement's, in nonce order, with where each comes from. */
export function epochBatch(signed: SignedPayments, supplements: readonly SignedSupplement[]): EpochBatch & { readonly sender: string } {
  const payments: SignedPayment[] = [...signed.payments];
  const supplementOf = new Map<string, number>();
  for (const supplement of supplements) {
    for (const payment of supplement.payments) {
      payments.push(payment);
      supplementOf.set(payment.hash, supplement.supplement);
    }
  }
  return { sender: signed.sender, payments, supplementOf };
}

/** An epoch whose files cannot be read back: named with the error, while the journal's other epochs are read. */
export interface DamagedEpoch {
  readonly pool: string;
  readonly epoch: number;
  readonly damage: MinapayError;
}

/**
 * Every epoch of a network in the journal with its plan and payments, in
 * journal order, for status and reports: signatures were verified when made
 * and are again before sending, so they are not here.
 */
export async function* journalEpochPayments(journal: string, network: string): AsyncGenerator<EpochPayments | DamagedEpoch> {
  for await (const epochDir of journalEpochDirectories(journal, network)) {
    try {
      yield await readEpochPayments(epochDir);
    } catch (error) {
      if (!(error instanceof MinapayError)) throw error;
      yield { pool: basename(dirname(epochDir)), epoch: Number(basename(epochDir).slice('epoch-'.length)), damage: error };
    }
  }
}

export function isDamaged<T extends object>(epoch: T | DamagedEpoch): epoch is DamagedEpoch {
  return 'damage' in epoch;
}

/** Rewrites report.csv with each line's payment (nonce, hash, status). */
export async function writeEpochReport(epochDir: string, plan: StoredPlan, payments: ReadonlyMap<string, LinePayment>): Promise<void> {
  await writeFilesAtomic([epochReport(epochDir, plan, payments)]);
}

/** report.csv of an epoch with each line's payment. */
function epochReport(epochDir: string, plan: StoredPlan, payments: ReadonlyMap<string, LinePayment>): OutputFile {
  return { path: join(epochDir, REPORT_FILE), content: delegatorReport(reportEpochOf(plan), plan.lines, payments) };
}
