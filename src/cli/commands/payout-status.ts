import type { Argv } from 'yargs';

import { MinapayError } from '../../errors.js';
import { journalIsEmpty } from '../../payout/journal.js';
import { isDamaged, journalEpochPayments, type DamagedEpoch } from '../../payout/epoch-payments.js';
import { epochStatus, type EpochStatus, type PaymentView, unfinishedError } from '../../payout/status.js';
import { formatMina } from '../../protocol/amounts.js';
import type { CliContext } from '../context.js';
import { emit, jsonDocument } from '../output.js';
import { globalOptions, JOURNAL_OPTION, nonNegativeInteger, publicKeyOption, type RawArgs, resultOptions } from '../options.js';
import { renderTable } from '../table.js';

export function builder(yargs: Argv): Argv {
  return yargs
    .option('journal', JOURNAL_OPTION)
    .option('pool', { type: 'string', describe: "only this pool's epochs" })
    .option('epoch', { type: 'number', describe: 'only this epoch' })
    .options(resultOptions({ table: 'an epoch a row', json: 'every payment with its state, block, depth and attempts' }));
}

/**
 * One row per planned epoch (a damaged one too, named); exit 80 when any epoch's payments need attention, else 75 while any
 * is not final yet; 0 only when every payment is final.
 */
export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const { network, output } = globalOptions(args);
  const journal = String(args['journal']);
  // Before a pool's first plan there is nothing to pay, and nothing for cron to report.
  if (await journalIsEmpty(journal, network)) {
    await emit(args['format'] === 'json' ? '[]\n' : `${journal}: no ${network} epoch planned yet: nothing to pay\n`, output, context);
    return;
  }
  const pool = args['pool'] === undefined ? undefined : publicKeyOption(args['pool'], '--pool');
  const epoch = args['epoch'] === undefined ? undefined : nonNegativeInteger(args['epoch'], '--epoch');
  const rows: (EpochStatus | DamagedEpoch)[] = [];
  for await (const found of journalEpochPayments(journal, network)) {
    const pools = isDamaged(found) ? [found.pool] : found.plan.pools;
    const foundEpoch = isDamaged(found) ? found.epoch : found.plan.epoch;
    if ((pool === undefined || pools.includes(pool)) && (epoch === undefined || foundEpoch === epoch)) {
      rows.push(isDamaged(found) ? found : epochStatus(found.plan, found.batch, found.records));
    }
  }
  if (rows.length === 0) throw new MinapayError('INPUT_NOT_FOUND', `${journal}: no planned epoch matches`);
  await emit(args['format'] === 'json' ? statusJson(rows) : statusTable(rows), output, context);
  const unfinished = unfinishedError(
    rows.map((row) => (isDamaged(row) ? { epoch: row.epoch, attention: `damaged: ${row.damage.message}`, waiting: null } : row)),
  );
  if (unfinished !== null) throw unfinished;
}

const COUNTS = ['planned', 'signed', 'sent', 'pending', 'included', 'final', 'unknown', 'failed', 'void'] as const;

function statusTable(rows: readonly (EpochStatus | DamagedEpoch)[]): string {
  return renderTable(
    rows.map((row) =>
      isDamaged(row)
        ? [row.pool, String(row.epoch), ...COUNTS.map(() => '-'), '-', `damaged: ${row.damage.code}`]
        : [row.pool, String(row.epoch), ...COUNTS.map((field) => String(row[field])), formatMina(row.carried), epochState(row)],
    ),
    { headers: ['pool', 'epoch', ...COUNTS, 'carried MINA', 'state'], rightAligned: new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) },
  );
}

/** The table's state of an epoch: what needs a person, what it waits for, planned (not signed yet), or ok (every payment final). */
function epochState(row: EpochStatus): string {
  return row.attention ?? row.waiting ?? (isPlannedOnly(row) ? 'planned' : 'ok');
}

function isPlannedOnly(row: EpochStatus): boolean {
  return row.signed === 0 && row.planned > 0;
}

/** Per epoch its state and counts, and per payment its state, hash, nonce, block and depth where seen, and attempts. */
function statusJson(rows: readonly (EpochStatus | DamagedEpoch)[]): string {
  const epochs = rows.map((row) =>
    isDamaged(row)
      ? { pool: row.pool, epoch: row.epoch, state: 'damaged', damage: { code: row.damage.code, message: row.damage.message } }
      : {
          pool: row.pool,
          epoch: row.epoch,
          state: row.attention !== null ? 'needs attention' : row.waiting !== null ? 'waiting' : isPlannedOnly(row) ? 'planned' : 'final',
          attention: row.attention,
          waiting: row.waiting,
          ...Object.fromEntries(COUNTS.map((field) => [field, row[field]])),
          carried: row.carried.toString(),
          payments: row.payments.map(paymentJson),
        },
  );
  return jsonDocument(epochs);
}

function paymentJson(payment: PaymentView) {
  return {
    pk: payment.pk,
    payTo: payment.payTo,
    amount: payment.amount.toString(),
    nonce: payment.nonce.toString(),
    hash: payment.hash,
    state: payment.status,
    settled: payment.settled,
    current: payment.current,
    supplement: payment.supplement,
    blockHeight: payment.block?.height ?? null,
    stateHash: payment.block?.stateHash ?? null,
    depth: payment.depth,
    attempts: payment.attempts,
    reason: payment.reason,
    takenBy: payment.takenBy,
  };
}
