import type { Argv } from 'yargs';

import { MinapayError } from '../../errors.js';
import { isDamaged, journalEpochPayments, type DamagedEpoch } from '../../payout/journal.js';
import { epochStatus, type EpochStatus } from '../../payout/status.js';
import { formatMina } from '../../protocol/amounts.js';
import type { CliContext } from '../context.js';
import { globalOptions, JOURNAL_OPTION, nonNegativeInteger, publicKeyOption, type RawArgs } from '../options.js';
import { renderTable } from '../table.js';

export function builder(yargs: Argv): Argv {
  return yargs
    .option('journal', JOURNAL_OPTION)
    .option('pool', { type: 'string', describe: "only this pool's epochs" })
    .option('epoch', { type: 'number', describe: 'only this epoch' });
}

/** One row per planned epoch (a damaged one too, named); exit 80 when any epoch's payments need attention, else 75 while any wait to be seen on chain. */
export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const { network } = globalOptions(args);
  const pool = args['pool'] === undefined ? undefined : publicKeyOption(args['pool'], '--pool');
  const epoch = args['epoch'] === undefined ? undefined : nonNegativeInteger(args['epoch'], '--epoch');
  const rows: (EpochStatus | DamagedEpoch)[] = [];
  for await (const found of journalEpochPayments(String(args['journal']), network)) {
    const pools = isDamaged(found) ? [found.pool] : found.plan.pools;
    const foundEpoch = isDamaged(found) ? found.epoch : found.plan.epoch;
    if ((pool === undefined || pools.includes(pool)) && (epoch === undefined || foundEpoch === epoch)) {
      rows.push(isDamaged(found) ? found : epochStatus(found.plan, found.signed, found.records));
    }
  }
  if (rows.length === 0) throw new MinapayError('INPUT_NOT_FOUND', `${String(args['journal'])}: no planned epoch matches`);
  context.stdout.write(statusTable(rows));
  const needing = rows.flatMap((row) => {
    const attention = isDamaged(row) ? `damaged: ${row.damage.message}` : row.attention;
    return attention === null ? [] : [`epoch ${row.epoch}: ${attention}`];
  });
  if (needing.length > 0) throw new MinapayError('NEEDS_ATTENTION', `${needing.length} epoch(s) need attention: ${needing.join('; ')}`);
  const waiting = rows.flatMap((row) => (isDamaged(row) || row.waiting === null ? [] : [`epoch ${row.epoch}: ${row.waiting}`]));
  if (waiting.length > 0) throw new MinapayError('PAYMENTS_PENDING', `${waiting.length} epoch(s) not on chain yet: ${waiting.join('; ')}`);
}

const COUNTS = ['planned', 'signed', 'sent', 'accepted', 'included', 'unknown', 'failed', 'void'] as const;

function statusTable(rows: readonly (EpochStatus | DamagedEpoch)[]): string {
  return renderTable(
    rows.map((row) =>
      isDamaged(row)
        ? [row.pool, String(row.epoch), ...COUNTS.map(() => '-'), '-', `damaged: ${row.damage.code}`]
        : [row.pool, String(row.epoch), ...COUNTS.map((field) => String(row[field])), formatMina(row.carried), row.attention ?? row.waiting ?? 'ok'],
    ),
    { headers: ['pool', 'epoch', ...COUNTS, 'carried MINA', 'state'], rightAligned: new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) },
  );
}
