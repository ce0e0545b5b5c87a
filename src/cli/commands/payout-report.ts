import type { Argv } from 'yargs';

import { MinapayError } from '../../errors.js';
import { formatCsv } from '../../io/csv.js';
import { historyRows, type EpochHistory, type HistoryRow } from '../../payout/history.js';
import { isDamaged, journalEpochPayments, type DamagedEpoch } from '../../payout/epoch-payments.js';
import { formatRate } from '../../payout/plan-file.js';
import { paymentColumns, REPORT_COLUMNS, reportCells } from '../../payout/report.js';
import { linePayments } from '../../payout/status.js';
import type { CliContext } from '../context.js';
import { emit, jsonDocument } from '../output.js';
import { globalOptions, JOURNAL_OPTION, nonNegativeInteger, publicKeyOption, type RawArgs, resultOptions } from '../options.js';

export function builder(yargs: Argv): Argv {
  return yargs
    .option('journal', JOURNAL_OPTION)
    .option('pool', { type: 'string', describe: "only this pool's plans" })
    .option('delegator', { type: 'string', describe: 'only this account (delegating key or payee)' })
    .option('from', { type: 'number', describe: 'first epoch' })
    .option('to', { type: 'number', describe: 'last epoch' })
    .options(resultOptions({ csv: 'the columns of report.csv, with plan_hash', json: 'the same lines as JSON' }));
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const global = globalOptions(args);
  const optionalEpoch = (flag: string) => (args[flag] === undefined ? undefined : nonNegativeInteger(args[flag], `--${flag}`));
  const epochs: EpochHistory[] = [];
  const damaged: DamagedEpoch[] = [];
  for await (const found of journalEpochPayments(String(args['journal']), global.network)) {
    if (isDamaged(found)) damaged.push(found);
    else epochs.push({ plan: found.plan, payments: linePayments(found.batch, found.records) });
  }
  const rows = historyRows(epochs, {
    pool: args['pool'] === undefined ? undefined : publicKeyOption(args['pool'], '--pool'),
    delegator: args['delegator'] === undefined ? undefined : publicKeyOption(args['delegator'], '--delegator'),
    from: optionalEpoch('from'),
    to: optionalEpoch('to'),
  });
  await emit(args['format'] === 'json' ? historyJson(rows) : historyCsv(rows), global.output, context);
  // The report holds every epoch that could be read; the ones that could not are named, and the exit says so.
  if (damaged.length > 0) {
    const named = damaged.map((epoch) => `epoch ${epoch.epoch} of ${epoch.pool}: ${epoch.damage.message}`).join('; ');
    throw new MinapayError('NEEDS_ATTENTION', `${damaged.length} damaged epoch(s) left out of the report: ${named}`);
  }
}

/** The account's figures, on a split payout's first row only. */
const ACCOUNT_AMOUNTS = ['stake', 'gross', 'commission', 'carriedIn'] as const;

function historyJson(rows: readonly HistoryRow[]): string {
  const json = rows.map((row) => {
    const account = <T>(value: T): T | null => (row.continued ? null : value);
    return {
      epoch: row.epoch,
      pool: row.pool,
      blocksWon: row.report.blocksWon,
      pk: row.line.pk,
      payTo: row.payTo,
      kind: row.line.kind,
      ...Object.fromEntries(ACCOUNT_AMOUNTS.map((field) => [field, account(row.line[field].toString())])),
      amount: row.amount.toString(),
      txFee: row.txFee.toString(),
      feePaidBy: row.amount > 0n ? (row.line.kind === 'burn' ? 'pool' : row.report.feePayer) : null,
      carriedOut: account(row.line.carriedOut.toString()),
      commissionRate: account(formatRate(row.line.commissionRate)),
      memo: row.payment?.memo ?? row.line.memo,
      planHash: row.planHash,
      ...paymentJson(row),
    };
  });
  return jsonDocument(json);
}

/** The payment of a row in JSON: nonce and hash once signed, and the same status as the CSV. */
function paymentJson(row: HistoryRow): { nonce: string | null; txHash: string | null; status: string | null } {
  const [nonce, txHash, status] = paymentColumns(row.amount, row.payment);
  return { nonce: nonce || null, txHash: txHash || null, status: status || null };
}

function historyCsv(rows: readonly HistoryRow[]): string {
  return formatCsv(
    rows.map((row) => [...reportCells(row, row.report, row.payment), row.planHash]),
    [...REPORT_COLUMNS, 'plan_hash'],
  );
}
