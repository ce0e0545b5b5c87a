import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';

import { MinapayError } from '../errors.js';
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
export async function readOverridesFile(path: string): Promise<Map<string, DelegatorTerms>> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    throw new MinapayError('INPUT_NOT_FOUND', `${path}: cannot open overrides file (${(error as NodeJS.ErrnoException).code})`);
  }
  return parseOverrides(content, path);
}

export function parseOverrides(content: string, path: string): Map<string, DelegatorTerms> {
  const first = content.trimStart()[0];
  const entries = first === '[' ? jsonEntries(content, path) : csvEntries(content, path);
  const overrides = new Map<string, DelegatorTerms>();
  for (const { raw, where } of entries) {
    const [pk, terms] = overrideEntry(raw, `${path}: ${where}`);
    if (overrides.has(pk)) throw overridesError(`${path}: ${where}`, `repeats ${pk}`);
    overrides.set(pk, terms);
  }
  return overrides;
}

interface RawEntry {
  readonly raw: Record<string, unknown>;
  readonly where: string;
}

function jsonEntries(content: string, path: string): RawEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw overridesError(path, `is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw overridesError(path, 'must be a JSON array of objects with pk');
  return parsed.map((raw: unknown, index) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw overridesError(`${path}: entry ${index}`, 'is not an object');
    return { raw: raw as Record<string, unknown>, where: `entry ${index}` };
  });
}

function csvEntries(content: string, path: string): RawEntry[] {
  try {
    const rows = parseCsv(content, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
    // Row 1 is the header.
    return rows.map((raw, index) => ({ raw, where: `row ${index + 2}` }));
  } catch (error) {
    throw overridesError(path, `is not valid CSV: ${(error as Error).message}`);
  }
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
  if (program !== undefined && !PROGRAMS.includes(program as Program)) throw overridesError(`${where} (${pk})`, `program must be one of ${PROGRAMS.join(', ')}, not ${program}`);
  return [pk, { commission, payTo: key(given('payTo'), 'payTo', where), exclude: flag(given('exclude'), `${where} (${pk})`), program: program as Program | undefined }];
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
