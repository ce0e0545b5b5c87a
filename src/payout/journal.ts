import { mkdir, readdir, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { MinapayError } from '../errors.js';
import { sweepTempFiles, writeFilesAtomic } from '../io/atomic-file.js';
import { acquireLock } from '../io/lock-file.js';
import type { TextPieces } from '../io/text-pieces.js';
import { readInputText } from '../io/text-file.js';
import { parsePlanDocument, readPlanDocument, type StoredPlan } from './plan-file.js';

/**
 * The journal keeps every epoch's payout state on disk:
 * `<journal>/<network>/<pool>/epoch-<E>/` holds plan.json and report.csv,
 * and later signed.json and send-log.jsonl (read and written by
 * epoch-payments.ts). <pool> is the pool's first key in key order.
 */
export const PLAN_FILE = 'plan.json';
export const REPORT_FILE = 'report.csv';
export const SIGNED_FILE = 'signed.json';
export const SEND_LOG_FILE = 'send-log.jsonl';

/** supplement-<n>.json: payments for lines whose payment became void or failed, signed after signed.json (n from 1). */
export function supplementFileName(number: number): string {
  return `supplement-${number}.json`;
}
/**
 * Held by `payout plan`, `sign` and `send` of an epoch from before they read
 * its state until their files have landed: a plan replaced while it is
 * signed, or signed.json replaced while it is signed or sent, would pay what
 * no plan says.
 */
const EPOCH_LOCK_FILE = 'epoch.lock';
/** Held in the pool's directory while `payout plan` runs for any of its epochs. */
const PLAN_LOCK_FILE = 'plan.lock';
/** Files whose presence means payments may have left: the epoch's plan is frozen. */
const PAYMENT_FILES = [SIGNED_FILE, SEND_LOG_FILE];

export function poolDirectory(journal: string, network: string, pools: readonly string[]): string {
  return join(journal, network, [...pools].sort()[0]!);
}

export function epochDirectory(poolDir: string, epoch: number): string {
  return join(poolDir, `epoch-${epoch}`);
}

export function epochPlanPath(poolDir: string, epoch: number): string {
  return join(epochDirectory(poolDir, epoch), PLAN_FILE);
}

/** Takes the pool's planning lock (LOCKED while another plan of the pool runs); resolves to its release. */
export async function lockPoolPlanning(poolDir: string): Promise<() => Promise<void>> {
  await makeJournalDirectory(poolDir);
  return acquireLock(join(poolDir, PLAN_LOCK_FILE), `payout plan of ${poolDir}`);
}

/**
 * Takes the epoch's lock (LOCKED while a plan, sign or send of the epoch
 * runs); resolves to its release. Only `payout plan` creates an epoch's
 * directory: for the others a missing one is a wrong path.
 */
export async function lockEpoch(epochDir: string, create: 'create' | 'existing'): Promise<() => Promise<void>> {
  if (create === 'create') await makeJournalDirectory(epochDir);
  else if (!(await exists(epochDir))) throw new MinapayError('INPUT_NOT_FOUND', `${epochDir}: no such epoch directory in the journal (payout plan writes it)`);
  const release = await acquireLock(join(epochDir, EPOCH_LOCK_FILE), 'payout plan, sign or send of this epoch');
  await sweepTempFiles(epochDir);
  return release;
}

/**
 * The locks `payout plan` holds: the pool's planning lock (carried amounts),
 * then the epoch's (no sign or send of the epoch while its plan is
 * replaced); resolves to the release of both.
 */
export async function lockEpochPlanning(poolDir: string, epoch: number): Promise<() => Promise<void>> {
  const releasePool = await lockPoolPlanning(poolDir);
  const epochDir = epochDirectory(poolDir, epoch);
  // The epoch's lock lives in its directory; a first plan that fails leaves no empty directory behind (rmdir refuses one with files).
  const created = !(await exists(epochDir));
  const removeIfEmpty = async () => {
    if (created) await rmdir(epochDir).catch(() => {});
  };
  try {
    const releaseEpoch = await lockEpoch(epochDir, 'create');
    return async () => {
      await releaseEpoch();
      await removeIfEmpty();
      await releasePool();
    };
  } catch (error) {
    await removeIfEmpty();
    await releasePool();
    throw error;
  }
}

/** The epochs with a plan under a pool's directory, ascending. */
export async function plannedEpochs(poolDir: string): Promise<number[]> {
  const names = await readdir(poolDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const epochs: number[] = [];
  for (const name of names) {
    const match = /^epoch-(\d+)$/.exec(name);
    if (match !== null && (await exists(join(poolDir, name, PLAN_FILE)))) epochs.push(Number(match[1]));
  }
  return epochs.sort((a, b) => a - b);
}

/** Every epoch directory with a plan, of every pool of a network in the journal, by pool directory then epoch. */
export async function* journalEpochDirectories(journal: string, network: string): AsyncGenerator<string> {
  const poolDirs = await networkPoolDirectories(journal, network);
  if (poolDirs === null) throw new MinapayError('INPUT_NOT_FOUND', `${join(journal, network)}: no ${network} payouts in this journal`);
  for (const poolDir of poolDirs) {
    for (const epoch of await plannedEpochs(poolDir)) yield epochDirectory(poolDir, epoch);
  }
}

/** The pool directories of a network in the journal, sorted; null when the journal has no such network yet. */
async function networkPoolDirectories(journal: string, network: string): Promise<string[] | null> {
  const networkDir = join(journal, network);
  const pools = await readdir(networkDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  return pools === null ? null : pools.sort().map((pool) => join(networkDir, pool));
}

/** Whether the journal holds no planned epoch of the network yet: before a pool's first payout. */
export async function journalIsEmpty(journal: string, network: string): Promise<boolean> {
  for (const poolDir of (await networkPoolDirectories(journal, network)) ?? []) {
    if ((await plannedEpochs(poolDir)).length > 0) return false;
  }
  return true;
}

/** Every plan of a network in the journal, in journal order; a plan that fails its planHash stops the walk. */
export async function* journalPlans(journal: string, network: string): AsyncGenerator<StoredPlan> {
  for await (const epochDir of journalEpochDirectories(journal, network)) yield readPlanFile(join(epochDir, PLAN_FILE));
}

export async function readPlanFile(path: string): Promise<StoredPlan> {
  return parsePlanDocument(await readInputText(path, 'plan'), path);
}

/** A plan.json read back without checking its planHash, for `payout verify` to name what changed. */
export async function readPlanToVerify(path: string): Promise<StoredPlan> {
  return readPlanDocument(await readInputText(path, 'plan'), path);
}

/** Refuses to replace a plan once any of its payments may have been signed or sent. */
export async function assertNoPayments(epochDir: string, epoch: number): Promise<void> {
  for (const name of PAYMENT_FILES) {
    if (await exists(join(epochDir, name))) {
      throw new MinapayError('PLAN_FROZEN', `${join(epochDir, name)} exists: epoch ${epoch} already has signed or sent payments, so its plan cannot change`);
    }
  }
}

/**
 * plan.json and its report.csv land together or not at all (a full disk
 * fails before either lands): report.csv first, then plan.json, so a plan
 * on disk always has its report.
 */
export async function writePlanFiles(epochDir: string, planJson: TextPieces, reportCsv: TextPieces): Promise<void> {
  await makeJournalDirectory(epochDir);
  await writeFilesAtomic([
    { path: join(epochDir, REPORT_FILE), content: reportCsv },
    { path: join(epochDir, PLAN_FILE), content: planJson },
  ]);
}

async function makeJournalDirectory(directory: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    throw new MinapayError('OUTPUT_CANNOT_CREATE', `${directory}: cannot create journal directory (${(error as NodeJS.ErrnoException).code})`);
  }
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
