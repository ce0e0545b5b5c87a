import { MinapayError } from '../errors.js';
import { fileRecords } from '../io/records.js';
import { publicKeyProblem } from '../protocol/keys.js';
import { compare, ONE, parseDecimal, type Rational } from '../protocol/rational.js';
import type { DelegatorTerms, Program } from './plan.js';

const PROGRAMS: readonly Program[] = ['foundation'];

/**
 * A commission rate: a plain decimal fraction from 0 to 1 ("0.05"), exact.
 * Null when the text is not one.
 */
export function parseRate(text: string): Rational | null {
  const rate = parseDecimal(text.trim());
  return rate === null || compare(rate, ONE) > 0 ? null : rate;
}

/**
 * Per-delegator terms from a JSON array of objects or a CSV file with a
 * header row; both carry pk, commission, payTo, exclude and program, all
 * but pk optional (an empty CSV cell means not given).
 */
export function parseOverrides(content: string, path: string): Map<string, DelegatorTerms> {
  const overrides = new Map<string, DelegatorTerms>();
  for (const { raw, where } of fileRecords(content, path, 'entry', (message) => new MinapayError('OVERRIDES_INVALID', message))) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw overridesError(`${path}: ${where}`, 'is not an object');
    const [pk, terms] = overrideEntry(raw as Record<string, unknown>, `${path}: ${where}`);
    if (overrides.has(pk)) throw overridesError(`${path}: ${where}`, `repeats ${pk}`);
    overrides.set(pk, terms);
  }
  // An empty file is more likely a failed export than a wish for no overrides, which is said by giving none.
  if (overrides.size === 0) throw overridesError(path, 'has no entries; leave out --overrides to plan without any');
  return overrides;
}

const FIELDS = new Set(['pk', 'commission', 'payTo', 'exclude', 'program']);

function overrideEntry(raw: Record<string, unknown>, where: string): [string, DelegatorTerms] {
  const unknown = Object.keys(raw).find((field) => !FIELDS.has(field));
  if (unknown !== undefined) throw overridesError(where, `has an unknown field ${unknown} (known: ${[...FIELDS].join(', ')})`);
  const given = (field: string): string | undefined => {
    const value = raw[field];
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };
  const pk = key(given('pk'), 'pk', where);
  if (pk === undefined) throw overridesError(where, 'has no pk');
  const commissionText = given('commission');
  const commission = commissionText === undefined ? undefined : parseRate(commissionText);
  if (commission === null) throw overridesError(`${where} (${pk})`, `commission must be a decimal from 0 to 1, not ${commissionText}`);
  const program = given('program');
  if (program !== undefined && !PROGRAMS.includes(program as Program))
    throw overridesError(`${where} (${pk})`, `program must be one of ${PROGRAMS.join(', ')}, not ${program}`);
  return [
    pk,
    { commission, payTo: key(given('payTo'), 'payTo', where), exclude: flag(given('exclude'), `${where} (${pk})`), program: program as Program | undefined },
  ];
}

function key(text: string | undefined, field: string, where: string): string | undefined {
  if (text === undefined) return undefined;
  const problem = publicKeyProblem(text);
  if (problem !== null) throw overridesError(where, `${field} ${text} ${problem}`);
  return text;
}

function flag(text: string | undefined, where: string): boolean | undefined {
  if (text === undefined) return undefined;
  const value = text.toLowerCase();
  if (['true', 'yes', '1'].includes(value)) return true;
  if (['false', 'no', '0'].includes(value)) return false;
  throw overridesError(where, `exclude must be true or false, not ${text}`);
}

function overridesError(where: string, problem: string): MinapayError {
  return new MinapayError('OVERRIDES_INVALID', `${where} ${problem}`);
}
