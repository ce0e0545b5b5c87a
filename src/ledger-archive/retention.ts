import { join, resolve } from 'node:path';

import { isMinapayError } from '../errors.js';
import { sha256File } from '../io/sha256.js';
import { journalPlans } from '../payout/journal.js';
import type { StoredPlan } from '../payout/plan-file.js';
import type { ArchiveEntry } from './manifest.js';

/**
 * For `ledger archive --keep N`: whether an archived ledger is the only copy
 * of the staking ledger some payout plan in the journal was computed from
 * (the plan was made from the archive, or its own ledger file is gone or
 * changed). Such a ledger is never removed: without it the plan cannot be
 * verified again.
 */
export async function pinnedByPlans(journal: string, network: string, archiveDirectory: string): Promise<(entry: ArchiveEntry) => Promise<boolean>> {
  const plans = await networkPlans(journal, network);
  return async (entry) => {
    for (const plan of plans) {
      if (plan.epoch === entry.epoch && !(await hasCopyElsewhere(plan.inputs.ledger, join(archiveDirectory, entry.file)))) return true;
    }
    return false;
  };
}

async function networkPlans(journal: string, network: string): Promise<StoredPlan[]> {
  const plans: StoredPlan[] = [];
  try {
    for await (const plan of journalPlans(journal, network)) plans.push(plan);
  } catch (error) {
    // No payouts of this network yet: nothing to pin.
    if (isMinapayError(error) && error.code === 'INPUT_NOT_FOUND' && plans.length === 0) return [];
    throw error;
  }
  return plans;
}

async function hasCopyElsewhere(ledger: StoredPlan['inputs']['ledger'], archivedPath: string): Promise<boolean> {
  if (resolve(ledger.path) === resolve(archivedPath)) return false;
  return (await sha256File(ledger.path).catch(() => null)) === ledger.sha256;
}
