import type { Argv } from 'yargs';

import { ledgerStats, type LedgerStats } from '../../ledger/stats.js';
import { formatMina } from '../../protocol/amounts.js';
import type { CliContext, GlobalOptions } from '../context.js';
import { ARCHIVE_EPOCH_OPTION, chosenLedger, ledgerAccounts, ledgerArgument } from '../ledger-source.js';
import { emit, jsonDocument } from '../output.js';
import { globalOptions, nonNegativeInteger, type RawArgs, resultOptions } from '../options.js';
import { renderTable } from '../table.js';

export interface LedgerStatsOptions extends GlobalOptions {
  readonly ledger: string;
  readonly top: number;
  readonly format: 'table' | 'json';
}

export function builder(yargs: Argv): Argv {
  return ledgerArgument(yargs)
    .option('epoch', ARCHIVE_EPOCH_OPTION)
    .option('top', { type: 'number', default: 10, describe: 'how many of the largest delegate keys to list' })
    .options(resultOptions({ table: 'aligned columns', json: 'one document (amounts in nanomina, as strings)' }));
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const global = globalOptions(args);
  await ledgerStatsCommand(
    {
      ...global,
      ledger: await chosenLedger(args, global.network),
      top: nonNegativeInteger(args['top'], '--top'),
      format: args['format'] as LedgerStatsOptions['format'],
    },
    context,
  );
}

export async function ledgerStatsCommand(options: LedgerStatsOptions, context: CliContext): Promise<void> {
  const { name, accounts } = ledgerAccounts(options.ledger, context, options.quiet);
  const stats = await ledgerStats(accounts, options.top, name);
  await emit(options.format === 'json' ? statsJson(stats) : statsTable(stats), options.output, context);
}

function statsJson(stats: LedgerStats): string {
  const json = {
    accounts: stats.accounts,
    minaAccounts: stats.minaAccounts,
    totalStake: stats.totalStake.toString(),
    timedAccounts: stats.timedAccounts,
    selfDelegated: stats.selfDelegated,
    delegates: stats.delegates,
    topDelegates: stats.topDelegates.map((d) => ({ pk: d.pk, stake: d.stake.toString(), delegators: d.delegators })),
  };
  return jsonDocument(json);
}

function statsTable(stats: LedgerStats): string {
  const summary = renderTable(
    [
      ['accounts', String(stats.accounts)],
      ['MINA-token accounts', String(stats.minaAccounts)],
      ['total stake (MINA)', formatMina(stats.totalStake)],
      ['timed accounts', String(stats.timedAccounts)],
      ['self-delegated', String(stats.selfDelegated)],
      ['delegate keys', String(stats.delegates)],
    ],
    { rightAligned: new Set([1]) },
  );
  const top = renderTable(
    stats.topDelegates.map((d) => [d.pk, formatMina(d.stake), String(d.delegators)]),
    { headers: ['delegate', 'stake (MINA)', 'delegators'], rightAligned: new Set([1, 2]) },
  );
  return `${summary}
${top}`;
}
