import { formatMinaAsExported } from '../protocol/amounts.js';
import { MINA_TOKEN_ID, type LedgerAccount } from './account.js';

/**
 * One account as one line of JSON in the export's own field names, holding
 * exactly what parseAccount keeps: reading the line back gives the same
 * LedgerAccount (its index being the line's position). Fields at their
 * default are left out, as the daemon does: the post-Berkeley MINA token id,
 * a missing timing. Archived ledgers are these lines, one per account, so
 * later commands read them through the reader's JSON Lines path.
 */
export function accountLine(account: LedgerAccount): string {
  const line: Record<string, unknown> = { pk: account.pk, balance: formatMinaAsExported(account.balance) };
  if (account.token !== MINA_TOKEN_ID) line['token'] = account.token;
  if (account.delegate !== null) line['delegate'] = account.delegate;
  if (account.timing !== null) {
    line['timing'] = {
      initial_minimum_balance: formatMinaAsExported(account.timing.initialMinimumBalance),
      cliff_time: String(account.timing.cliffTime),
      cliff_amount: formatMinaAsExported(account.timing.cliffAmount),
      vesting_period: String(account.timing.vestingPeriod),
      vesting_increment: formatMinaAsExported(account.timing.vestingIncrement),
    };
  }
  return JSON.stringify(line);
}
