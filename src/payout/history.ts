import type { StoredPlan } from './plan-file.js';
import { paymentKey, paymentRows, reportEpochOf, type LinePayment, type PaymentRow, type ReportEpoch } from './report.js';

/** One payment (or unpaid line) of one epoch, as `payout report` lists it, with the payment once signed. */
export interface HistoryRow extends PaymentRow {
  readonly epoch: number;
  readonly pool: string;
  readonly planHash: string;
  readonly payment: LinePayment | undefined;
  /** What the epoch's report rows share. */
  readonly report: ReportEpoch;
}

/** An epoch of the journal: its plan, and each line's payment by account. */
export interface EpochHistory {
  readonly plan: StoredPlan;
  readonly payments: ReadonlyMap<string, LinePayment>;
}

export interface HistoryFilter {
  readonly pool: string | undefined;
  /** An account, matched as the delegating key or the address paid. */
  readonly delegator: string | undefined;
  readonly from: number | undefined;
  readonly to: number | undefined;
}

/** The rows of the plans that pass the filter, in journal order (pool, epoch, account, address of a split payout). */
export function historyRows(epochs: readonly EpochHistory[], filter: HistoryFilter): HistoryRow[] {
  return epochs
    .filter(
      ({ plan }) =>
        (filter.pool === undefined || plan.pools.includes(filter.pool)) &&
        (filter.from === undefined || plan.epoch >= filter.from) &&
        (filter.to === undefined || plan.epoch <= filter.to),
    )
    .flatMap(({ plan, payments }) =>
      plan.lines
        .flatMap(paymentRows)
        .filter((row) => filter.delegator === undefined || row.line.pk === filter.delegator || row.payTo === filter.delegator)
        .map((row) => ({
          ...row,
          epoch: plan.epoch,
          pool: plan.pools[0]!,
          planHash: plan.planHash,
          payment: payments.get(paymentKey(row.line.pk, row.payTo)),
          report: reportEpochOf(plan),
        })),
    );
}
