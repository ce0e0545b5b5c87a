/**
 * The one error type minapay raises on purpose. Each carries a stable string
 * `code` that tests assert and that src/cli maps to an exit code; the message
 * is a single line naming the file, position or account at fault.
 */
export type ErrorCode =
  | 'USAGE'
  | 'INVALID_PUBLIC_KEY'
  | 'CONFIG_INVALID'
  | 'ERA_START_UNKNOWN'
  | 'ERA_MISMATCH'
  | 'INPUT_NOT_FOUND'
  | 'LEDGER_INVALID_JSON'
  | 'LEDGER_TRUNCATED'
  | 'LEDGER_BAD_GZIP'
  | 'LEDGER_NOT_A_LEDGER'
  | 'LEDGER_BAD_ACCOUNT'
  | 'LEDGER_BAD_AMOUNT'
  | 'LEDGER_BAD_PUBLIC_KEY'
  | 'LEDGER_DUPLICATE_ACCOUNT'
  | 'LEDGER_NO_CURRENCY'
  | 'LEDGER_TOO_MUCH_CURRENCY'
  | 'BLOCKS_INVALID'
  | 'PLAN_LEDGER_MISMATCH'
  | 'OVERRIDES_INVALID'
  | 'PLAN_INVALID'
  | 'PLAN_FROZEN'
  | 'CARRY_CHAIN_BROKEN'
  | 'PLAN_NOT_VERIFIED'
  | 'ARCHIVE_UNAVAILABLE'
  | 'ARCHIVE_INVALID'
  | 'ARCHIVE_GAP'
  | 'ARCHIVE_TIMEOUT'
  | 'EPOCH_NOT_FINAL'
  | 'KEY_MISSING'
  | 'KEY_INVALID'
  | 'KEY_FILE_INSECURE'
  | 'KEY_PASSWORD_MISSING'
  | 'KEY_PASSWORD_WRONG'
  | 'NETWORK_MISMATCH'
  | 'MEMO_TOO_LONG'
  | 'SIGNED_EXISTS'
  | 'SIGNED_INVALID'
  | 'RESIGN_REFUSED'
  | 'INSUFFICIENT_BALANCE'
  | 'DAEMON_UNAVAILABLE'
  | 'DAEMON_INVALID'
  | 'PAYMENT_REJECTED'
  | 'NONCE_CONFLICT'
  | 'PAYMENT_DROPPED'
  | 'PAYMENTS_UNSETTLED'
  | 'NEW_ACCOUNT_UNPAYABLE'
  | 'SEND_LOG_INVALID'
  | 'NEEDS_ATTENTION'
  | 'PAYMENTS_PENDING'
  | 'INVALID_LEDGER_HASH'
  | 'LEDGER_EXPORT_FAILED'
  | 'DAEMON_NOT_SYNCED'
  | 'EPOCH_CHANGED'
  | 'LEDGER_ARCHIVE_CONFLICT'
  | 'LEDGER_ARCHIVE_INVALID'
  | 'LEDGER_ARCHIVE_MISSING'
  | 'LEDGER_ARCHIVE_AMBIGUOUS'
  | 'LEDGER_ARCHIVE_MISMATCH'
  | 'OUTPUT_CANNOT_CREATE'
  | 'OUTPUT_DISK_FULL'
  | 'IO_ERROR'
  | 'LOCKED'
  | 'INVALID_EPOCH_SEED'
  | 'VRF_PRE_BERKELEY'
  | 'EPOCH_LEDGER_MISMATCH'
  | 'SLOTS_CHECKPOINT_INVALID'
  | 'STATEMENT_UNAVAILABLE'
  | 'STATEMENT_INVALID'
  | 'STATEMENT_NOT_VERIFIED';

export class MinapayError extends Error {
  override readonly name = 'MinapayError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isMinapayError(error: unknown): error is MinapayError {
  return error instanceof MinapayError;
}

/** The message of anything thrown: an Error's message, else the value as text. */
export function errorMessage(error: unknown): string {
  return String((error as Error | undefined)?.message ?? error);
}

/** How much of an input text a message quotes: enough to recognise it, never a whole hostile file. */
const QUOTED_CHARACTERS = 60;

/** An input text cut to `limit` characters for a message, saying how long it was. */
export function clipped(text: string, limit = QUOTED_CHARACTERS): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}... (${text.length} characters)`;
}

/**
 * Any input value as a message quotes it, bounded whatever the input: a
 * string as JSON, clipped; a number, boolean or null as JSON writes it; an
 * object or array by its kind alone, since printing one would recurse as
 * deep as it is nested (a stack overflow on a hostile file).
 */
export function quoted(value: unknown): string {
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value !== 'string') return String(value);
  return value.length <= QUOTED_CHARACTERS ? JSON.stringify(value) : `${JSON.stringify(value.slice(0, QUOTED_CHARACTERS))}... (${value.length} characters)`;
}

/** Private keys ("EK" + 50 base58 characters) never reach a message shown or logged, even one that quotes an argument or a library's error. */
const PRIVATE_KEY = /EK[1-9A-HJ-NP-Za-km-z]{50}/g;

export function withoutPrivateKeys(text: string): string {
  return text.replace(PRIVATE_KEY, '<private key>');
}
