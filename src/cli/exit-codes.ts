import type { ErrorCode } from '../errors.js';

/** sysexits(3) codes, so that cron and scripts can tell failures apart. */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 64,
  dataError: 65,
  noInput: 66,
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
  OUTPUT_CANNOT_CREATE: EXIT.cannotCreate,
  IO_ERROR: EXIT.ioError,
  LOCKED: EXIT.tempFailure,
};
