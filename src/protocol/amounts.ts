import { Decimal } from 'decimal.js';

import { clipped, quoted } from '../errors.js';
import { wholeNumberFromText } from './whole-number.js';

/**
 * MINA amounts as integer nanomina. The protocol works in unsigned 64-bit
 * nanomina; ledger exports write decimal MINA strings with up to 9 decimals
 * and trailing zeros stripped ("17000", "148837.2", "0.008680556").
 */
export const NANOMINA_PER_MINA = 1_000_000_000n;
export const MINA_DECIMALS = 9;
export const MAX_UINT64 = (1n << 64n) - 1n;
/** The daemon refuses a user command paying less fee than 0.001 MINA (docs/protocol.md, "Payments"). */
export const MINIMUM_TRANSACTION_FEE = 1_000_000n;

export type ParsedAmount = { readonly ok: true; readonly nanomina: bigint } | { readonly ok: false; readonly reason: string };

const DECIMAL_MINA = /^(\d+)(?:\.(\d+))?$/;
/** Digits of 2^64-1 (18446744073709551615): a longer number cannot fit, whatever its digits. */
const MAX_UINT64_DIGITS = 20;

/** Parses a decimal MINA string to nanomina without ever touching a float. */
export function parseMina(text: string): ParsedAmount {
  if (text.startsWith('-')) return { ok: false, reason: `is negative (${clipped(text)})` };
  const match = DECIMAL_MINA.exec(text);
  if (match === null) return { ok: false, reason: `is not a decimal MINA amount (${quoted(text)})` };
  const whole = match[1] as string;
  const fraction = match[2] ?? '';
  if (fraction.length > MINA_DECIMALS) {
    return { ok: false, reason: `has more than ${MINA_DECIMALS} decimals (${clipped(text)})` };
  }
  const exceeds = { ok: false, reason: `exceeds 2^64-1 nanomina (${clipped(text)})` } as const;
  // Refused before BigInt, which takes seconds on a hostile string of millions of digits.
  if (whole.replace(/^0+/, '').length + MINA_DECIMALS > MAX_UINT64_DIGITS) return exceeds;
  const nanomina = BigInt(whole) * NANOMINA_PER_MINA + BigInt(fraction.padEnd(MINA_DECIMALS, '0'));
  if (nanomina > MAX_UINT64) return exceeds;
  return { ok: true, nanomina };
}

/** A whole number of nanomina written as digits, up to 2^64-1; null for anything else. */
export function parseNanomina(text: string): bigint | null {
  return wholeNumberFromText(text, MAX_UINT64);
}

/** Formats nanomina as MINA with all 9 decimals, e.g. 1500000000n -> "1.500000000". */
export function formatMina(nanomina: bigint): string {
  const sign = nanomina < 0n ? '-' : '';
  const magnitude = nanomina < 0n ? -nanomina : nanomina;
  const whole = magnitude / NANOMINA_PER_MINA;
  const fraction = (magnitude % NANOMINA_PER_MINA).toString().padStart(MINA_DECIMALS, '0');
  return `${sign}${whole}.${fraction}`;
}

/** Formats nanomina as a ledger export does: trailing zeros stripped, e.g. 1500000000n -> "1.5", 17n * 10n ** 12n -> "17000". */
export function formatMinaAsExported(nanomina: bigint): string {
  const [whole, fraction] = formatMina(nanomina).split('.') as [string, string];
  const significant = fraction.replace(/0+$/, '');
  return significant === '' ? whole : `${whole}.${significant}`;
}

const SHARE_DECIMALS = 6;

/** A share of a total in percent, 6 decimals, half-even: for reading, never for paying. */
export function sharePercent(part: bigint, total: bigint): string {
  if (total === 0n) return (0).toFixed(SHARE_DECIMALS);
  return new Decimal(part.toString()).times(100).div(total.toString()).toFixed(SHARE_DECIMALS, Decimal.ROUND_HALF_EVEN);
}
