import type { ErrorCode } from '../errors.js';

/** sysexits(3) codes, so that cron and scripts can tell failures apart. */
export const EXIT = {
  ok: 0,
  /** `payout verify`, `statement verify`: the plan or statement does not hold (a verdict, as diff and cmp give 1). */
  notVerified: 1,
  usage: 64,
  dataError: 65,
  noInput: 66,
  unavailable: 69,
  cannotCreate: 73,
  ioError: 74,
  tempFailure: 75,
  /** The daemon refused or answered nonsense. */
  protocol: 76,
  /** A bug in minapay (EX_SOFTWARE). */
  internal: 70,
  /** A key file others can read, or a wrong password. */
  noPermission: 77,
  /** `ledger archive`: the same epoch and ledger hash arrived with other content; both are kept for a human. */
  archiveConflict: 79,
  /** `payout status`: an epoch's payments need a person. */
  attention: 80,
  /** `ledger verify`: an archived file does not match the manifest. */
  archiveMismatch: 81,
} as const;

/** Every error code maps to exactly one exit code (the compiler checks none is missing). */
export const EXIT_CODE_OF: Readonly<Record<ErrorCode, number>> = {
  USAGE: EXIT.usage,
  INVALID_PUBLIC_KEY: EXIT.usage,
  CONFIG_INVALID: EXIT.usage,
  ERA_START_UNKNOWN: EXIT.usage,
  // The chain's own data and the era table disagree: the input, or the table, is wrong.
  ERA_MISMATCH: EXIT.dataError,
  INPUT_NOT_FOUND: EXIT.noInput,
  LEDGER_INVALID_JSON: EXIT.dataError,
  LEDGER_TRUNCATED: EXIT.dataError,
  LEDGER_BAD_GZIP: EXIT.dataError,
  LEDGER_NOT_A_LEDGER: EXIT.dataError,
  LEDGER_BAD_ACCOUNT: EXIT.dataError,
  LEDGER_BAD_AMOUNT: EXIT.dataError,
  LEDGER_BAD_PUBLIC_KEY: EXIT.dataError,
  LEDGER_DUPLICATE_ACCOUNT: EXIT.dataError,
  // odds: no stake can have a share of a total currency of 0.
  LEDGER_NO_CURRENCY: EXIT.dataError,
  // A ledger whose MINA adds up to more than the protocol's uint64 total currency.
  LEDGER_TOO_MUCH_CURRENCY: EXIT.dataError,
  BLOCKS_INVALID: EXIT.dataError,
  PLAN_LEDGER_MISMATCH: EXIT.dataError,
  OVERRIDES_INVALID: EXIT.dataError,
  PLAN_INVALID: EXIT.dataError,
  PLAN_FROZEN: EXIT.cannotCreate,
  // A plan out of epoch order would pay a carried amount twice or never.
  CARRY_CHAIN_BROKEN: EXIT.cannotCreate,
  PLAN_NOT_VERIFIED: EXIT.notVerified,
  ARCHIVE_UNAVAILABLE: EXIT.unavailable,
  ARCHIVE_INVALID: EXIT.dataError,
  ARCHIVE_GAP: EXIT.dataError,
  // A locked table or a busy server: a later run gets its answer.
  ARCHIVE_TIMEOUT: EXIT.tempFailure,
  // Not final yet: a later run (cron) will succeed.
  EPOCH_NOT_FINAL: EXIT.tempFailure,
  KEY_MISSING: EXIT.usage,
  KEY_INVALID: EXIT.dataError,
  KEY_FILE_INSECURE: EXIT.noPermission,
  KEY_PASSWORD_MISSING: EXIT.usage,
  KEY_PASSWORD_WRONG: EXIT.noPermission,
  NETWORK_MISMATCH: EXIT.usage,
  MEMO_TOO_LONG: EXIT.usage,
  // Signed payments are frozen: only --resign, when nothing can have been included, replaces them.
  SIGNED_EXISTS: EXIT.cannotCreate,
  SIGNED_INVALID: EXIT.dataError,
  RESIGN_REFUSED: EXIT.cannotCreate,
  // Fund the sender, then sign again.
  INSUFFICIENT_BALANCE: EXIT.tempFailure,
  DAEMON_UNAVAILABLE: EXIT.unavailable,
  DAEMON_INVALID: EXIT.protocol,
  PAYMENT_REJECTED: EXIT.protocol,
  NONCE_CONFLICT: EXIT.protocol,
  // The daemon's pool kept dropping a payment: minapay stopped broadcasting it (--max-broadcasts) until a person looks.
  PAYMENT_DROPPED: EXIT.protocol,
  // payout sign --unpaid: a payment of the epoch is not settled yet (pending, on chain but not final, unknown): later.
  PAYMENTS_UNSETTLED: EXIT.tempFailure,
  // payout sign --unpaid: a payment failed for want of the account creation fee, and its payee still has no account.
  NEW_ACCOUNT_UNPAYABLE: EXIT.attention,
  SEND_LOG_INVALID: EXIT.dataError,
  NEEDS_ATTENTION: EXIT.attention,
  // Payments wait in the daemon's pool: a later send sees them on chain.
  PAYMENTS_PENDING: EXIT.tempFailure,
  INVALID_LEDGER_HASH: EXIT.usage,
  LEDGER_EXPORT_FAILED: EXIT.unavailable,
  // Cron tries again later: by then the daemon has caught up, or the new epoch has settled.
  DAEMON_NOT_SYNCED: EXIT.tempFailure,
  EPOCH_CHANGED: EXIT.tempFailure,
  LEDGER_ARCHIVE_CONFLICT: EXIT.archiveConflict,
  LEDGER_ARCHIVE_INVALID: EXIT.dataError,
  LEDGER_ARCHIVE_MISSING: EXIT.noInput,
  LEDGER_ARCHIVE_AMBIGUOUS: EXIT.usage,
  LEDGER_ARCHIVE_MISMATCH: EXIT.archiveMismatch,
  OUTPUT_CANNOT_CREATE: EXIT.cannotCreate,
  // A write failed half-way for want of space: nothing landed; free space and run again.
  OUTPUT_DISK_FULL: EXIT.ioError,
  IO_ERROR: EXIT.ioError,
  LOCKED: EXIT.tempFailure,
  INVALID_EPOCH_SEED: EXIT.usage,
  // Pre-Berkeley epochs hashed the VRF differently: minapay does not evaluate them.
  VRF_PRE_BERKELEY: EXIT.usage,
  // The daemon's staking ledger for the epoch is not the ledger given: the slots would be another ledger's.
  EPOCH_LEDGER_MISMATCH: EXIT.dataError,
  SLOTS_CHECKPOINT_INVALID: EXIT.dataError,
  // No statements for an epoch not signed yet, or planned before commitments (plan format 1).
  STATEMENT_UNAVAILABLE: EXIT.noInput,
  STATEMENT_INVALID: EXIT.dataError,
  STATEMENT_NOT_VERIFIED: EXIT.notVerified,
};
