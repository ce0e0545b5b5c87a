import type { ErrorCode } from '../errors.js';

/** sysexits(3) codes, so that cron and scripts can tell failures apart. */
export const EXIT = {
  ok: 0,
  internal: 1,
  /** `payout verify`: the plan does not hold. */
  notVerified: 1,
  usage: 64,
  dataError: 65,
  noInput: 66,
  unavailable: 69,
  cannotCreate: 73,
  ioError: 74,
  tempFailure: 75,
} as const;

/** Every error code maps to exactly one exit code (the compiler checks none is missing). */
export const EXIT_CODE_OF: Readonly<Record<ErrorCode, number>> = {
  USAGE: EXIT.usage,
  INVALID_PUBLIC_KEY: EXIT.usage,
  CONFIG_INVALID: EXIT.usage,
  ERA_START_UNKNOWN: EXIT.usage,
  INPUT_NOT_FOUND: EXIT.noInput,
  LEDGER_INVALID_JSON: EXIT.dataError,
  LEDGER_TRUNCATED: EXIT.dataError,
  LEDGER_BAD_GZIP: EXIT.dataError,
  LEDGER_NOT_A_LEDGER: EXIT.dataError,
  LEDGER_BAD_ACCOUNT: EXIT.dataError,
  LEDGER_BAD_AMOUNT: EXIT.dataError,
  LEDGER_BAD_PUBLIC_KEY: EXIT.dataError,
  LEDGER_DUPLICATE_ACCOUNT: EXIT.dataError,
  BLOCKS_INVALID: EXIT.dataError,
  PLAN_LEDGER_MISMATCH: EXIT.dataError,
  OVERRIDES_INVALID: EXIT.dataError,
  PLAN_INVALID: EXIT.dataError,
  PLAN_FROZEN: EXIT.cannotCreate,
  PLAN_NOT_VERIFIED: EXIT.notVerified,
  ARCHIVE_UNAVAILABLE: EXIT.unavailable,
  ARCHIVE_INVALID: EXIT.dataError,
  ARCHIVE_GAP: EXIT.dataError,
  // Not final yet: a later run (cron) will succeed.
  EPOCH_NOT_FINAL: EXIT.tempFailure,
  OUTPUT_CANNOT_CREATE: EXIT.cannotCreate,
  IO_ERROR: EXIT.ioError,
  LOCKED: EXIT.tempFailure,
};
