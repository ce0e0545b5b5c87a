import type { Timing } from '../protocol/timing.js';

/**
 * The strict form of a staking-ledger account, produced once at the boundary
 * by parse.ts. Amounts are integer nanomina; slots are global slots since
 * genesis (the protocol's u32, so a number is exact).
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
