import { MinapayError, quoted } from '../errors.js';
import { formatMina, MINIMUM_TRANSACTION_FEE, NANOMINA_PER_MINA, parseMina, parseNanomina } from '../protocol/amounts.js';
import { publicKeyProblem } from '../protocol/keys.js';
import { parseRate, type Rational } from '../protocol/rational.js';
import { safeWholeNumber } from '../protocol/whole-number.js';
import type { GlobalOptions } from './context.js';

/** --journal, as every payout command that reads or writes the journal takes it. */
export const JOURNAL_OPTION = { type: 'string', default: 'payouts', describe: 'directory of per-epoch payout state' } as const;

/** What yargs hands a command handler, before normalisation. */
export type RawArgs = Readonly<Record<string, unknown>>;

export function globalOptions(args: RawArgs): GlobalOptions {
  return {
    network: args['network'] as GlobalOptions['network'],
    output: typeof args['output'] === 'string' ? args['output'] : undefined,
    quiet: args['quiet'] === true,
  };
}

/** What each --format choice writes, in the order of the choices; the first is the default. */
export type FormatChoices = Readonly<Record<string, string>>;

/**
 * --format and --output (for yargs' `options`), declared by every command that
 * has a result (what it writes to stdout) and by no other: yargs refuses them
 * elsewhere, so an option a command cannot honour is never silently ignored.
 */
export function resultOptions(formats: FormatChoices) {
  const choices = Object.keys(formats);
  return {
    format: { choices, default: choices[0], describe: choices.map((choice) => `${choice}: ${formats[choice]}`).join('; ') },
    output: { type: 'string', describe: 'write the result to FILE (atomically, complete or not at all) instead of stdout' },
  } as const;
}

/** The --format of a command whose result is a line of text or one JSON document. */
export const TEXT_OR_JSON: FormatChoices = {
  text: 'a line for people',
  json: 'one JSON document (amounts in nanomina, as strings)',
};

/** Pool keys are where money is credited from: each must be a well-formed key. */
export function poolKeys(value: unknown): string[] {
  const keys = (Array.isArray(value) ? value : [value]).map((key) => publicKeyOption(key, '--pool'));
  return [...new Set(keys)];
}

export function publicKeyOption(value: unknown, flag: string): string {
  const key = String(value);
  const problem = publicKeyProblem(key);
  if (problem !== null) throw new MinapayError('INVALID_PUBLIC_KEY', `${flag} ${key} ${problem}`);
  return key;
}

/** Bounds of a whole-number option; a number past them is refused, not clamped. */
export interface WholeNumberBounds {
  readonly min?: number;
  readonly max?: number;
}

/** The one parser of whole-number options: a safe integer within `bounds` (by default 0 up). */
export function nonNegativeInteger(value: unknown, flag: string, bounds: WholeNumberBounds = {}): number {
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = bounds;
  // yargs hands number options over as numbers (NaN for text); only those are options' whole numbers.
  const whole = typeof value === 'number' ? safeWholeNumber(value, max) : null;
  if (whole === null || whole < min) throw new MinapayError('USAGE', `${flag} must be ${wholeNumberRange(min, max)}, not ${quoted(value)}`);
  return whole;
}

/** `--workers`: how many worker threads, at least one. */
export function workerCount(value: unknown): number {
  return nonNegativeInteger(value, '--workers', { min: 1 });
}

function wholeNumberRange(min: number, max: number): string {
  if (max !== Number.MAX_SAFE_INTEGER) return `a whole number from ${min} to ${max}`;
  return min === 0 ? 'a whole number' : `a whole number of at least ${min}`;
}

/** A positive whole number of nanomina given on the command line (`--total-currency`). */
export function positiveNanominaOption(value: unknown, flag: string): bigint {
  const amount = parseNanomina(String(value));
  if (amount === null || amount === 0n) throw new MinapayError('USAGE', `${flag} must be a positive whole number of nanomina, not ${quoted(value)}`);
  return amount;
}

/** A MINA amount given on the command line ("0.01"), as nanomina. */
export function minaOption(value: unknown, flag: string): bigint {
  const parsed = parseMina(String(value));
  if (!parsed.ok) throw new MinapayError('USAGE', `${flag} ${parsed.reason}`);
  return parsed.nanomina;
}

/** A fee above this per payment is refused as a likely slip of the keyboard: the protocol sets no maximum. */
const MAXIMUM_TRANSACTION_FEE = NANOMINA_PER_MINA;

/** A fee per payment (`--tx-fee`, `--fee`): at least the protocol's minimum, at most 1 MINA. */
export function transactionFeeOption(value: unknown, flag: string): bigint {
  const fee = minaOption(value, flag);
  if (fee < MINIMUM_TRANSACTION_FEE) {
    throw new MinapayError('USAGE', `${flag} ${String(value)} is below the protocol minimum of ${formatMina(MINIMUM_TRANSACTION_FEE)} MINA`);
  }
  if (fee > MAXIMUM_TRANSACTION_FEE) {
    throw new MinapayError(
      'USAGE',
      `${flag} ${String(value)} is over ${formatMina(MAXIMUM_TRANSACTION_FEE)} MINA per payment, which minapay refuses as a likely typo`,
    );
  }
  return fee;
}

/** `--commission`: the pool's default rate, an exact fraction from 0 to 1. */
export function commissionOption(value: unknown): Rational {
  const rate = parseRate(String(value));
  if (rate === null) throw new MinapayError('USAGE', `--commission must be a fraction from 0 to 1 such as 0.05, not ${String(value)}`);
  return rate;
}
