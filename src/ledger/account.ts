import { MinapayError } from '../errors.js';
import { MAX_UINT64 } from '../protocol/amounts.js';
import type { Timing } from '../protocol/timing.js';

/**
 * The strict form of a staking-ledger account, produced once at the boundary
 * by parse.ts. Amounts are integer nanomina; slots are global slots since
 * genesis (the protocol's u32, so a number is exact).
 *
 * Its strings (pk, token, delegate) are the parser's: V8 slices of the whole
 * text chunk they were read from. Whatever keeps one past the batch it came
 * in keeps it through ownedCopy, or each kept key would pin its 64 KiB chunk
 * (2,500 kept delegator keys held 220 MB instead of 100 MB on the 250k bench
 * ledger). Copying only those few, not every account's strings, is what
 * makes it cheap.
 */
export interface LedgerAccount {
  /** Position of the account in the export, counted from 0. */
  readonly index: number;
  readonly pk: string;
  /** Token id as written in the export ("1" before Berkeley, base58 after). */
  readonly token: string;
  /** Only MINA-token accounts stake. */
  readonly isMinaToken: boolean;
  readonly balance: bigint;
  /** Whom the account's stake is delegated to; null for custom-token accounts. */
  readonly delegate: string | null;
  readonly timing: Timing | null;
}

/** Pre-Berkeley exports call the MINA token "1". */
export const LEGACY_MINA_TOKEN_ID = '1';
/** Post-Berkeley base58 id of the MINA token. */
export const MINA_TOKEN_ID = 'wSHV2S4qX9jFsLjQo8r1BsMLH2ZRKsZx6EJd1sbozGPieEC4Jf';

export function isMinaTokenId(token: string): boolean {
  return token === MINA_TOKEN_ID || token === LEGACY_MINA_TOKEN_ID;
}

/** Byte-wise key order, independent of locale, so every machine sorts alike. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A copy of an ASCII string with storage of its own, so that keeping it does not keep the text chunk it was sliced from. */
export function ownedCopy(ascii: string): string {
  return Buffer.from(ascii, 'latin1').toString('latin1');
}

/**
 * The sum of a ledger's MINA-token balances, checked: the protocol keeps its
 * total currency in a uint64 of nanomina, so a ledger whose balances add up to
 * more is no Mina ledger, and plan.json or the archive's manifest could not
 * record its total.
 */
export function checkedTotalCurrency(total: bigint, ledgerName: string): bigint {
  if (total > MAX_UINT64) {
    throw new MinapayError(
      'LEDGER_TOO_MUCH_CURRENCY',
      `${ledgerName}: its MINA-token balances add up to ${total} nanomina, ` +
        "more than the protocol's total currency can be (2^64 - 1): not a Mina staking ledger",
    );
  }
  return total;
}
