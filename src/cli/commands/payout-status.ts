import type { Argv } from 'yargs';

import { MinapayError } from '../../errors.js';
import { journalEpochPayments } from '../../payout/journal.js';
import { epochStatus, type EpochStatus } from '../../payout/status.js';
import { formatMina } from '../../protocol/amounts.js';
import type { CliContext } from '../context.js';
import { globalOptions, nonNegativeInteger, publicKeyOption, type RawArgs } from '../options.js';
import { renderTable } from '../table.js';
import { JOURNAL_OPTION } from './payout-plan.js';

export function builder(yargs: Argv): Argv {
  return yargs
    .option('journal', JOURNAL_OPTION)
    .option('pool', { type: 'string', describe: "only this pool's epochs" })
    .option('epoch', { type: 'number', describe: 'only this epoch' });
}

/** One row per planned epoch; exit 1 when any epoch's payments need attention. */
export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const { network } = globalOptions(args);
  const pool = args['pool'] === undefined ? undefined : publicKeyOption(args['pool'], '--pool');
  const epoch = args['epoch'] === undefined ? undefined : nonNegativeInteger(args['epoch'], '--epoch');
  const statuses: EpochStatus[] = [];
  for await (const { plan, signed, records } of journalEpochPayments(String(args['journal']), network)) {
    if ((pool === undefined || plan.pools.includes(pool)) && (epoch === undefined || plan.epoch === epoch)) statuses.push(epochStatus(plan, signed, records));
  }
  if (statuses.length === 0) throw new MinapayError('INPUT_NOT_FOUND', `${String(args['journal'])}: no planned epoch matches`);
  context.stdout.write(statusTable(statuses));
  const needing = statuses.filter((status) => status.attention !== null);
  if (needing.length > 0)
    throw new MinapayError(
      'NEEDS_ATTENTION',
      `${needing.length} epoch(s) need attention: ${needing.map((s) => `epoch ${s.epoch}: ${s.attention}`).join('; ')}`,
    );
}

function statusTable(statuses: readonly EpochStatus[]): string {
  const counts = ['planned', 'signed', 'sent', 'accepted', 'pending', 'failed'] as const;
  return renderTable(
    statuses.map((s) => [s.pool, String(s.epoch), ...counts.map((field) => String(s[field])), formatMina(s.carried), s.attention ?? 'ok']),
    { headers: ['pool', 'epoch', ...counts, 'carried MINA', 'state'], rightAligned: new Set([1, 2, 3, 4, 5, 6, 7, 8]) },
  );
}
