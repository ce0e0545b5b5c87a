import type { Argv } from 'yargs';

import { formatCsv } from '../../io/csv.js';
import { poolDelegators, type Delegator, type PoolDelegators } from '../../ledger/delegators.js';
import { formatMina, sharePercent } from '../../protocol/amounts.js';
import type { CliContext, GlobalOptions } from '../context.js';
import { ARCHIVE_EPOCH_OPTION, chosenLedger, ledgerAccounts, ledgerArgument } from '../ledger-source.js';
import { emit } from '../output.js';
import { globalOptions, poolKeys, type RawArgs, resultOptions } from '../options.js';
import { renderTable } from '../table.js';

export interface LedgerDelegatorsOptions extends GlobalOptions {
  readonly ledger: string;
  readonly pool: readonly string[];
  readonly format: 'table' | 'json' | 'jsonl' | 'csv';
}

export function builder(yargs: Argv): Argv {
  return ledgerArgument(yargs)
    .option('epoch', ARCHIVE_EPOCH_OPTION)
    .option('pool', { type: 'string', array: true, demandOption: true, describe: 'block-producer key of the pool (repeatable)' })
    .options(
      resultOptions({
        table: 'aligned columns',
        json: 'one document (amounts in nanomina, as strings)',
        jsonl: 'a JSON line per delegator',
        csv: 'a row per delegator',
      }),
    );
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const global = globalOptions(args);
  await ledgerDelegatorsCommand(
    { ...global, ledger: await chosenLedger(args, global.network), pool: poolKeys(args['pool']), format: args['format'] as LedgerDelegatorsOptions['format'] },
    context,
  );
}

export async function ledgerDelegatorsCommand(options: LedgerDelegatorsOptions, context: CliContext): Promise<void> {
  const { name, accounts } = ledgerAccounts(options.ledger, context, options.quiet);
  const result = await poolDelegators(accounts, options.pool, name);
  await emit(RENDERERS[options.format](result), options.output, context);
}

const RENDERERS: Readonly<Record<LedgerDelegatorsOptions['format'], (result: PoolDelegators) => string>> = {
  json: (result) =>
    `${JSON.stringify({ pools: result.pools, totalStake: result.totalStake.toString(), delegators: result.delegators.map(delegatorJson) }, null, 2)}\n`,
  jsonl: (result) => result.delegators.map((d) => `${JSON.stringify(delegatorJson(d))}\n`).join(''),
  csv: (result) =>
    formatCsv(
      result.delegators.map((d) => [d.pk, d.delegate, formatMina(d.balance), sharePercent(d.balance, result.totalStake), d.timing !== null]),
      ['pk', 'delegate', 'balance_mina', 'share_percent', 'timed'],
    ),
  table: (result) =>
    renderTable(
      [
        ...result.delegators.map((d) => [
          d.pk,
          d.delegate,
          formatMina(d.balance),
          sharePercent(d.balance, result.totalStake),
          d.timing !== null ? 'timed' : '',
        ]),
        ['total', '', formatMina(result.totalStake), sharePercent(result.totalStake, result.totalStake), `${result.delegators.length} delegators`],
      ],
      { headers: ['delegator', 'delegate', 'balance (MINA)', 'share %', ''], rightAligned: new Set([2, 3]) },
    ),
};

function delegatorJson(d: Delegator): { pk: string; delegate: string; balance: string; timed: boolean } {
  return { pk: d.pk, delegate: d.delegate, balance: d.balance.toString(), timed: d.timing !== null };
}
