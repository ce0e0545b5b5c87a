import type { Argv } from 'yargs';

import { MinapayError } from '../../errors.js';
import { poolDelegators, type PoolDelegators } from '../../ledger/delegators.js';
import { DelegatedBalances } from '../../ledger/delegate-tally.js';
import { ledgerStats } from '../../ledger/stats.js';
import { formatMina } from '../../protocol/amounts.js';
import { stakeOdds, type OddsMethod, type Probability, type StakeOdds, type StakeOddsInput } from '../../protocol/odds.js';
import { underThresholdFloor } from '../../protocol/vrf-threshold.js';
import type { CliContext, GlobalOptions } from '../context.js';
import { eraOptions, eraSelection } from '../era-options.js';
import { ARCHIVE_EPOCH_OPTION, chosenLedger, ledgerAccounts, ledgerArgument } from '../ledger-source.js';
import { emit, jsonDocument } from '../output.js';
import { globalOptions, nonNegativeInteger, poolKeys, positiveNanominaOption, type RawArgs, resultOptions } from '../options.js';
import { renderTable } from '../table.js';

/** Significant digits of every probability and ratio printed. */
const DIGITS = 20;

export interface OddsOptions extends GlobalOptions {
  readonly ledger: string;
  /** Pool keys, or `all` with how many of the ranked delegate keys to show. */
  readonly keys: { readonly pools: readonly string[] } | { readonly all: true; readonly top: number };
  readonly method: OddsMethod;
  readonly slotsPerEpoch: number;
  readonly totalCurrency: bigint | undefined;
  readonly won: number | undefined;
  readonly format: 'table' | 'json';
}

export function builder(yargs: Argv): Argv {
  return eraOptions(
    ledgerArgument(yargs)
      .option('epoch', ARCHIVE_EPOCH_OPTION)
      .option('pool', { type: 'string', array: true, describe: 'block-producer key of the pool (repeatable)' })
      .option('all', { type: 'boolean', describe: 'rank every delegate key of the ledger by stake' })
      .conflicts('pool', 'all')
      .option('top', { type: 'number', default: 10, describe: 'with --all: how many keys to show' })
      .option('method', { choices: ['float', 'daemon'], default: 'float', describe: "float: 1-(1/4)^alpha; daemon: the daemon's exact threshold" })
      .option('total-currency', { type: 'string', describe: 'nanomina that alpha divides by (default: the MINA-token balances of the ledger)' })
      .option('won', { type: 'number', describe: 'blocks actually won: how likely so few or so many' })
      .options(resultOptions({ table: 'aligned columns', json: 'one document with every figure' })),
  );
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const global = globalOptions(args);
  await oddsCommand(
    {
      ...global,
      ledger: await chosenLedger(args, global.network),
      keys: oddsKeys(args),
      method: args['method'] as OddsMethod,
      slotsPerEpoch: eraSelection(args, global.network).era.slotsPerEpoch,
      totalCurrency: args['total-currency'] === undefined ? undefined : positiveNanominaOption(args['total-currency'], '--total-currency'),
      won: args['won'] === undefined ? undefined : nonNegativeInteger(args['won'], '--won'),
      format: args['format'] as OddsOptions['format'],
    },
    context,
  );
}

function oddsKeys(args: RawArgs): OddsOptions['keys'] {
  if (args['all'] === true) return { all: true, top: nonNegativeInteger(args['top'], '--top') };
  if (args['pool'] === undefined) throw new MinapayError('USAGE', 'give --pool PK (repeatable) or --all');
  return { pools: poolKeys(args['pool']) };
}

interface KeyOdds extends StakeOdds {
  readonly pk: string;
  readonly delegators: number;
}

interface OddsReport {
  readonly method: OddsMethod;
  readonly slotsPerEpoch: number;
  readonly totalCurrency: bigint;
  readonly keys: readonly KeyOdds[];
  readonly combined: StakeOdds | undefined;
}

export async function oddsCommand(options: OddsOptions, context: CliContext): Promise<void> {
  const report = 'pools' in options.keys ? await poolOdds(options, options.keys.pools, context) : await rankedOdds(options, options.keys.top, context);
  await emit(options.format === 'json' ? reportJson(report) : reportTable(report), options.output, context);
}

async function poolOdds(options: OddsOptions, pools: readonly string[], context: CliContext): Promise<OddsReport> {
  const { name, accounts } = ledgerAccounts(options.ledger, context, options.quiet);
  const delegation = await poolDelegators(accounts, pools, name);
  const totalCurrency = options.totalCurrency ?? ledgerTotalCurrency(delegation.totalCurrency, name);
  const byDelegate = balancesByDelegate(delegation);
  const keys = delegation.pools.map((pk) => keyOdds(options, pk, byDelegate.get(pk) ?? [], totalCurrency));
  const combined = oddsOf(
    options,
    delegation.delegators.map((d) => d.balance),
    totalCurrency,
  );
  return { method: options.method, slotsPerEpoch: options.slotsPerEpoch, totalCurrency, keys, combined };
}

/**
 * Every delegate key ranked by stake, which is the order of expected blocks
 * under the float formula. The daemon method needs each leader's
 * delegators' balances, but the leaders are known only at the end of the
 * read: it keeps every balance that can reach the threshold's floor (the
 * rest never win a slot, and only their count and sum matter).
 */
async function rankedOdds(options: OddsOptions, top: number, context: CliContext): Promise<OddsReport> {
  const { name, accounts } = ledgerAccounts(options.ledger, context, options.quiet);
  const given = options.totalCurrency;
  // Without --total-currency the floor is the ledger's own total, which the balances read so far can only reach up to.
  const balances = options.method === 'daemon' ? new DelegatedBalances((balance, soFar) => !underThresholdFloor(balance, given ?? soFar)) : undefined;
  const stats = await ledgerStats(accounts, top, name, balances);
  const totalCurrency = given ?? ledgerTotalCurrency(stats.totalStake, name);
  const byLeader = balances?.of(stats.topDelegates);
  const keys = stats.topDelegates.map((leader) => {
    // The float formula adds up over delegators, so a leader's whole stake stands for its accounts.
    const { kept, others } = byLeader?.get(leader.pk) ?? { kept: [leader.stake], others: undefined };
    const odds = stakeOdds({ ...oddsTerms(options, totalCurrency), balances: kept, belowFloor: others });
    return { pk: leader.pk, ...odds, delegators: leader.delegators };
  });
  return { method: options.method, slotsPerEpoch: options.slotsPerEpoch, totalCurrency, keys, combined: undefined };
}

/**
 * The total currency a ledger gives alpha: its MINA-token balances. Odds are
 * a share of it, so a ledger whose balances add up to 0 has none to give.
 */
function ledgerTotalCurrency(total: bigint, ledger: string): bigint {
  if (total === 0n) {
    throw new MinapayError('LEDGER_NO_CURRENCY', `${ledger}: its MINA-token balances add up to 0, so no stake has a share of it (give --total-currency N)`);
  }
  return total;
}

/** The delegators' balances grouped by the key they delegate to, in one pass. */
function balancesByDelegate(delegation: PoolDelegators): Map<string, bigint[]> {
  const groups = new Map<string, bigint[]>();
  for (const d of delegation.delegators) {
    const group = groups.get(d.delegate);
    if (group === undefined) groups.set(d.delegate, [d.balance]);
    else group.push(d.balance);
  }
  return groups;
}

function keyOdds(options: OddsOptions, pk: string, balances: readonly bigint[], totalCurrency: bigint): KeyOdds {
  return { pk, delegators: balances.length, ...oddsOf(options, balances, totalCurrency) };
}

function oddsOf(options: OddsOptions, balances: readonly bigint[], totalCurrency: bigint): StakeOdds {
  return stakeOdds({ ...oddsTerms(options, totalCurrency), balances });
}

function oddsTerms(options: OddsOptions, totalCurrency: bigint): Omit<StakeOddsInput, 'balances'> {
  return { method: options.method, totalCurrency, slotsPerEpoch: options.slotsPerEpoch, won: options.won };
}

const show = (value: Probability): string => value.toSignificantDigits(DIGITS).toString();

function oddsJson(odds: StakeOdds): object {
  return {
    stake: odds.stake.toString(),
    totalCurrency: odds.totalCurrency.toString(),
    alpha: show(odds.alpha),
    slotWinProbability: show(odds.slotWinProbability),
    expectedBlocks: show(odds.expected),
    stdDev: show(odds.stdDev),
    pZero: show(odds.pZero),
    p5: odds.p5,
    p95: odds.p95,
    ...(odds.won !== undefined && { won: odds.won.won, pAtMost: show(odds.won.pAtMost), pAtLeast: show(odds.won.pAtLeast) }),
    ...(odds.belowFloor !== undefined && { belowFloorDelegators: odds.belowFloor.delegators, belowFloorStake: odds.belowFloor.stake.toString() }),
  };
}

function reportJson(report: OddsReport): string {
  const json = {
    method: report.method,
    slotsPerEpoch: report.slotsPerEpoch,
    totalCurrency: report.totalCurrency.toString(),
    keys: report.keys.map((key) => ({ pk: key.pk, delegators: key.delegators, ...oddsJson(key) })),
    ...(report.combined !== undefined && { combined: oddsJson(report.combined) }),
  };
  return jsonDocument(json);
}

function reportTable(report: OddsReport): string {
  const withWon = report.keys.some((key) => key.won !== undefined);
  const withFloor = report.method === 'daemon';
  const row = (label: string, odds: StakeOdds): string[] => [
    label,
    formatMina(odds.stake),
    odds.alpha.toSignificantDigits(6).toString(),
    odds.slotWinProbability.toSignificantDigits(6).toString(),
    odds.expected.toFixed(2),
    odds.stdDev.toFixed(2),
    `${odds.p5}-${odds.p95}`,
    odds.pZero.toSignificantDigits(3).toString(),
    ...(withWon && odds.won !== undefined ? [odds.won.pAtMost.toSignificantDigits(3).toString(), odds.won.pAtLeast.toSignificantDigits(3).toString()] : []),
    ...(withFloor && odds.belowFloor !== undefined ? [`${odds.belowFloor.delegators} (${formatMina(odds.belowFloor.stake)})`] : []),
  ];
  const won = report.keys[0]?.won?.won;
  const headers = [
    'key',
    'stake (MINA)',
    'alpha',
    'P(win slot)',
    'expected',
    'std dev',
    '5%-95%',
    'P(0 blocks)',
    ...(withWon ? [`P(<=${won})`, `P(>=${won})`] : []),
    ...(withFloor ? ['below 1/2^20 floor'] : []),
  ];
  const rows = report.keys.map((key) => row(key.pk, key));
  if (report.combined !== undefined && report.keys.length > 1) rows.push(row('combined', report.combined));
  return `${report.method} method, ${report.slotsPerEpoch} slots per epoch, total currency ${formatMina(report.totalCurrency)} MINA\n${renderTable(rows, {
    headers,
    rightAligned: new Set([1, 2, 3, 4, 5, 6, 7, 8, 9]),
  })}`;
}
