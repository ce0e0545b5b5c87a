import { stringify } from 'csv-stringify/sync';
import type { Argv } from 'yargs';

import { historyRows, type HistoryRow } from '../../payout/history.js';
import { journalPlans } from '../../payout/journal.js';
import type { StoredPlan } from '../../payout/plan-file.js';
import { formatMina } from '../../protocol/amounts.js';
import type { CliContext } from '../context.js';
import { emit } from '../output.js';
import { globalOptions, nonNegativeInteger, publicKeyOption, type RawArgs } from '../options.js';
import { JOURNAL_OPTION } from './payout-plan.js';

export function builder(yargs: Argv): Argv {
  return yargs
    .option('journal', JOURNAL_OPTION)
    .option('pool', { type: 'string', describe: "only this pool's plans" })
    .option('delegator', { type: 'string', describe: 'only this account (delegating key or payee)' })
    .option('from', { type: 'number', describe: 'first epoch' })
    .option('to', { type: 'number', describe: 'last epoch' })
    .option('format', { choices: ['csv', 'json'], default: 'csv' });
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const global = globalOptions(args);
  const optionalEpoch = (flag: string) => (args[flag] === undefined ? undefined : nonNegativeInteger(args[flag], `--${flag}`));
  const plans: StoredPlan[] = [];
  for await (const plan of journalPlans(String(args['journal']), global.network)) plans.push(plan);
  const rows = historyRows(plans, {
    pool: args['pool'] === undefined ? undefined : publicKeyOption(args['pool'], '--pool'),
    delegator: args['delegator'] === undefined ? undefined : publicKeyOption(args['delegator'], '--delegator'),
    from: optionalEpoch('from'),
    to: optionalEpoch('to'),
  });
  await emit(args['format'] === 'json' ? historyJson(rows) : historyCsv(rows), global.output, context);
}

const AMOUNTS = ['stake', 'gross', 'commission', 'carriedIn', 'amount', 'txFee', 'carriedOut'] as const;

function historyJson(rows: readonly HistoryRow[]): string {
  const json = rows.map((row) => ({
    epoch: row.epoch,
    pool: row.pool,
    pk: row.pk,
    payTo: row.payTo,
    kind: row.kind,
    ...Object.fromEntries(AMOUNTS.map((field) => [field, row[field].toString()])),
    commissionRate: row.commissionRate,
    memo: row.memo,
    planHash: row.planHash,
  }));
  return `${JSON.stringify(json, null, 2)}\n`;
}

function historyCsv(rows: readonly HistoryRow[]): string {
  return stringify(
    rows.map((row) => [row.epoch, row.pool, row.pk, row.payTo, row.kind, ...AMOUNTS.map((field) => formatMina(row[field])), row.commissionRate, row.memo ?? '', row.planHash]),
    {
      header: true,
      columns: ['epoch', 'pool', 'pk', 'pay_to', 'kind', ...AMOUNTS.map((field) => `${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_mina`), 'commission_rate', 'memo', 'plan_hash'],
    },
  );
}
