import { clipped, MinapayError, quoted, type ErrorCode } from '../errors.js';
import { parseMina } from '../protocol/amounts.js';
import { hasPublicKeyShape } from '../protocol/keys.js';
import { MAX_GLOBAL_SLOT, type Timing } from '../protocol/timing.js';
import { safeWholeNumber } from '../protocol/whole-number.js';
import { isMinaTokenId, MINA_TOKEN_ID, type LedgerAccount } from './account.js';

/**
 * Normalises one raw account of an export into the strict LedgerAccount.
 * Pure: it only reads `raw`. Errors name the account index and pk. The
 * account's strings are those of `raw`, not copies (see LedgerAccount).
 */
export function parseAccount(raw: unknown, index: number): LedgerAccount {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw accountError('LEDGER_BAD_ACCOUNT', index, undefined, 'is not a JSON object');
  }
  const fields = raw as Record<string, unknown>;
  const pk = fields['pk'];
  if (typeof pk !== 'string' || !hasPublicKeyShape(pk)) {
    const shown = typeof pk === 'string' ? clipped(pk) : undefined;
    throw accountError('LEDGER_BAD_PUBLIC_KEY', index, shown, `has pk ${quoted(pk)}, not a B62 public key`);
  }
  const context = { index, pk };
  const token = optionalString(fields['token'], 'token', context) ?? MINA_TOKEN_ID;
  const isMinaToken = isMinaTokenId(token);
  const delegate = isMinaToken ? delegateOf(fields['delegate'], context) : null;
  return {
    index,
    pk,
    token,
    isMinaToken,
    balance: amountField(fields['balance'], 'balance', context),
    delegate,
    timing: timingOf(fields['timing'], context),
  };
}

interface AccountContext {
  readonly index: number;
  readonly pk: string;
}

/** A MINA-token account without `delegate` delegates to itself (MinaProtocol/mina account.ml `create`). */
function delegateOf(value: unknown, context: AccountContext): string {
  const delegate = optionalString(value, 'delegate', context);
  // Delegating to itself (most accounts): the key was checked as pk, and the account's own string stands for it.
  if (delegate === undefined || delegate === context.pk) return context.pk;
  if (!hasPublicKeyShape(delegate)) {
    throw accountError('LEDGER_BAD_PUBLIC_KEY', context.index, context.pk, `has delegate ${quoted(delegate)}, not a B62 public key`);
  }
  return delegate;
}

function timingOf(value: unknown, context: AccountContext): Timing | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw accountError('LEDGER_BAD_ACCOUNT', context.index, context.pk, 'has a timing that is not an object');
  }
  const timing = value as Record<string, unknown>;
  return {
    initialMinimumBalance: amountField(timing['initial_minimum_balance'], 'timing.initial_minimum_balance', context),
    cliffTime: slotField(timing['cliff_time'], 'timing.cliff_time', context),
    cliffAmount: amountField(timing['cliff_amount'], 'timing.cliff_amount', context),
    vestingPeriod: slotField(timing['vesting_period'], 'timing.vesting_period', context),
    vestingIncrement: amountField(timing['vesting_increment'], 'timing.vesting_increment', context),
  };
}

function amountField(value: unknown, field: string, context: AccountContext): bigint {
  if (typeof value !== 'string') {
    throw accountError('LEDGER_BAD_AMOUNT', context.index, context.pk, `has ${field} ${quoted(value)}; expected a decimal MINA string`);
  }
  const parsed = parseMina(value);
  if (!parsed.ok) throw accountError('LEDGER_BAD_AMOUNT', context.index, context.pk, `has ${field} that ${parsed.reason}`);
  return parsed.nanomina;
}

function slotField(value: unknown, field: string, context: AccountContext): number {
  const slot = typeof value === 'string' ? safeWholeNumber(value, MAX_GLOBAL_SLOT) : null;
  if (slot === null) throw accountError('LEDGER_BAD_ACCOUNT', context.index, context.pk, `has ${field} ${quoted(value)}; expected a slot number string`);
  return slot;
}

function optionalString(value: unknown, field: string, context: AccountContext): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw accountError('LEDGER_BAD_ACCOUNT', context.index, context.pk, `has ${field} ${quoted(value)}; expected a string`);
  }
  return value;
}

/** How every error names an account: its position in the export, and its key when known. */
export function accountLabel(index: number, pk: string | undefined): string {
  return pk === undefined ? `account #${index}` : `account #${index} (${pk})`;
}

export function accountError(code: ErrorCode, index: number, pk: string | undefined, problem: string): MinapayError {
  return new MinapayError(code, `${accountLabel(index, pk)} ${problem}`);
}
