import type { Argv } from 'yargs';

import { MinapayError } from '../../errors.js';
import { csvPieces } from '../../io/csv.js';
import { prettyJsonPieces, type TextPieces } from '../../io/text-pieces.js';
import { timedAccounts, type TimedAccount, type TimedAccounts } from '../../ledger/unlocks.js';
import { formatMina } from '../../protocol/amounts.js';
import { MAX_GLOBAL_SLOT } from '../../protocol/timing.js';
import { epochSlots, slotAtTime, slotPosition, slotTime, superchargeFactorAt, type Era, type SlotPosition, type SlotRange } from '../../protocol/eras.js';
import type { CliContext, GlobalOptions } from '../context.js';
import { announceEra, eraOptions, eraSelection, isoTime } from '../era-options.js';
import { chosenLedger, ledgerAccounts, ledgerArgument } from '../ledger-source.js';
import { emit } from '../output.js';
import { globalOptions, nonNegativeInteger, poolKeys, type RawArgs, resultOptions } from '../options.js';
import { tablePieces } from '../table.js';

/** Where locked balances are judged: a slot, a time, or the first slot of an era's epoch. */
interface UnlockPoint {
  readonly eras: readonly Era[];
  readonly slot: number;
  /** When the slot begins, and where it sits, if its era is known for certain. */
  readonly time: string | null;
  readonly position: SlotPosition | null;
  readonly superchargeFactor: number;
  readonly epoch?: { readonly era: string; readonly epoch: number } & SlotRange;
}

export interface UnlockOptions extends GlobalOptions {
  readonly ledger: string;
  readonly pool: readonly string[] | undefined;
  readonly at: UnlockPoint;
  readonly format: 'table' | 'json' | 'csv';
}

export function builder(yargs: Argv): Argv {
  return eraOptions(
    ledgerArgument(yargs)
      .option('pool', { type: 'string', array: true, describe: "only the pool's delegators (repeatable)" })
      .option('slot', { type: 'number', describe: 'global slot since genesis to judge locked balances at' })
      .option('time', { type: 'string', describe: 'or a UTC time (2025-01-01T00:00:00Z): the slot under way then' })
      .option('epoch', { type: 'number', describe: 'or an epoch of the era (see --era), judged at its first slot; with --archive also the ledger read' })
      .conflicts('slot', ['epoch', 'time'])
      .conflicts('time', 'epoch')
      .options(resultOptions({ table: 'aligned columns', json: 'one document (amounts in nanomina, as strings)', csv: 'a row per account' })),
  );
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const global = globalOptions(args);
  await unlockCommand(
    {
      ...global,
      ledger: await chosenLedger(args, global.network),
      pool: args['pool'] === undefined ? undefined : poolKeys(args['pool']),
      at: unlockPoint(args, global, context),
      format: args['format'] as UnlockOptions['format'],
    },
    context,
  );
}

function unlockPoint(args: RawArgs, global: GlobalOptions, context: CliContext): UnlockPoint {
  const selection = eraSelection(args, global.network);
  const { eras, era } = selection;
  if (args['epoch'] !== undefined) {
    // Only an epoch depends on which era is meant; a slot or a time is placed in whichever era holds it.
    announceEra(selection, context, global.quiet);
    const epoch = nonNegativeInteger(args['epoch'], '--epoch');
    const range = epochSlots(era, epoch);
    const at = { eras, slot: range.first, time: slotTime(eras, range.first), position: { era: era.name, epoch, slotInEpoch: 0 } };
    return { ...at, superchargeFactor: era.superchargeFactor, epoch: { era: era.name, epoch, ...range } };
  }
  const slot =
    args['time'] !== undefined
      ? slotAt(eras, String(args['time']))
      : args['slot'] !== undefined
        ? nonNegativeInteger(args['slot'], '--slot', { max: MAX_GLOBAL_SLOT })
        : undefined;
  if (slot === undefined) throw new MinapayError('USAGE', 'give --slot S, --time T or --epoch E');
  return { eras, slot, time: slotTime(eras, slot), position: slotPosition(eras, slot), superchargeFactor: superchargeFactorAt(eras, slot) };
}

function slotAt(eras: readonly Era[], text: string): number {
  const time = isoTime(text, '--time');
  const slot = slotAtTime(eras, Date.parse(time));
  if (slot === null)
    throw new MinapayError(
      'ERA_START_UNKNOWN',
      `--time ${text} may fall in an era whose start is not known; give --era, --era-start-slot and --era-start-time`,
    );
  if (slot < 0) throw new MinapayError('USAGE', `--time ${text} is before genesis`);
  if (slot > MAX_GLOBAL_SLOT) throw new MinapayError('USAGE', `--time ${text} is past the last global slot ${MAX_GLOBAL_SLOT}`);
  return slot;
}

export async function unlockCommand(options: UnlockOptions, context: CliContext): Promise<void> {
  const { accounts } = ledgerAccounts(options.ledger, context, options.quiet);
  const { eras, slot, superchargeFactor, epoch } = options.at;
  const timed = await timedAccounts(accounts, { pools: options.pool, eras, slot, superchargeFactor, epoch });
  await emit(RENDERERS[options.format](timed, options.at), options.output, context);
}

/** Each row of the timed accounts as `cells` makes it, made one at a time as the output is written. */
function* eachRow<T>(timed: TimedAccounts, cells: (row: TimedAccount) => T): Generator<T> {
  for (const row of timed.rows()) yield cells(row);
}

const RENDERERS: Readonly<Record<UnlockOptions['format'], (timed: TimedAccounts, at: UnlockPoint) => TextPieces>> = {
  json: function* (timed, { eras: _eras, ...at }) {
    yield* prettyJsonPieces({ ...at, accounts: null }, 'accounts', eachRow(timed, accountJson));
    yield '\n';
  },
  csv: (timed, at) =>
    csvPieces(
      eachRow(timed, (row) => [
        row.pk,
        row.delegate,
        formatMina(row.balance),
        formatMina(row.timing.initialMinimumBalance),
        row.timing.cliffTime,
        formatMina(row.timing.cliffAmount),
        row.timing.vestingPeriod,
        formatMina(row.timing.vestingIncrement),
        row.unlockedAtSlot ?? 'never',
        row.unlockedAtTime ?? '',
        formatMina(row.lockedAtSlot),
        row.supercharged,
        ...(at.epoch === undefined ? [] : [row.unlocksInEpoch]),
      ]),
      [
        'pk',
        'delegate',
        'balance_mina',
        'initial_minimum_balance_mina',
        'cliff_time',
        'cliff_amount_mina',
        'vesting_period',
        'vesting_increment_mina',
        'unlocked_at_slot',
        'unlocked_at_time',
        `locked_at_slot_${at.slot}_mina`,
        'supercharged',
        ...(at.epoch === undefined ? [] : ['unlocks_in_epoch']),
      ],
    ),
  table: (timed, at) =>
    tablePieces(
      () =>
        eachRow(timed, (row) => [
          row.pk,
          formatMina(row.balance),
          formatMina(row.lockedAtSlot),
          row.unlockedAtSlot === null ? 'never' : String(row.unlockedAtSlot),
          row.unlockedAtTime ?? '',
          row.supercharged ? 'yes' : 'no',
          ...(at.epoch === undefined ? [] : [row.unlocksInEpoch === true ? 'yes' : '']),
        ]),
      {
        headers: [
          'account',
          'balance (MINA)',
          `locked at ${at.slot} (MINA)`,
          'unlocked at slot',
          'unlocked at (UTC)',
          'supercharged',
          ...(at.epoch === undefined ? [] : [`unlocks in epoch ${at.epoch.epoch}`]),
        ],
        rightAligned: new Set([1, 2, 3]),
      },
    ),
};

function accountJson(row: TimedAccount): object {
  const { timing } = row;
  return {
    pk: row.pk,
    delegate: row.delegate,
    balance: row.balance.toString(),
    timing: {
      initialMinimumBalance: timing.initialMinimumBalance.toString(),
      cliffTime: timing.cliffTime,
      cliffAmount: timing.cliffAmount.toString(),
      vestingPeriod: timing.vestingPeriod,
      vestingIncrement: timing.vestingIncrement.toString(),
    },
    unlockedAtSlot: row.unlockedAtSlot,
    unlockedAtTime: row.unlockedAtTime,
    lockedAtSlot: row.lockedAtSlot.toString(),
    supercharged: row.supercharged,
    ...(row.unlocksInEpoch === undefined ? {} : { unlocksInEpoch: row.unlocksInEpoch }),
  };
}
