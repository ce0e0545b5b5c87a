import { MinapayError } from '../errors.js';
import { fileRecords } from '../io/records.js';
import { publicKeyProblem } from '../protocol/keys.js';
import { compare, ONE, parseDecimal, parseRate, ZERO, type Rational } from '../protocol/rational.js';
import { PROGRAMS, type DelegatorTerms, type FeeClass, type PayShare, type Program } from './plan.js';

/**
 * Per-delegator terms from a JSON array of objects or a CSV file with a
 * header row; both carry pk, commission, payTo, exclude, program, fees and
 * burn, all but pk optional (an empty CSV cell means not given).
 */
export function parseOverrides(content: string, path: string): Map<string, DelegatorTerms> {
  return termsFile(content, path, 'overrides', overrideEntry);
}

/**
 * A delegation-program list: per account its program, rate and return
 * address, as the programs publish them (JSON or CSV like overrides). Its
 * accounts share only the coinbase part of each block, as the programs'
 * rules are written on the coinbase.
 */
export function parsePrograms(content: string, path: string): Map<string, DelegatorTerms> {
  return termsFile(content, path, 'programs', programEntry);
}

/**
 * Program terms with the overrides on top, field by field: an override
 * names the exceptions to an account's program (another commission, a split
 * payout), not all of its terms again.
 */
export function mergeTerms(programs: ReadonlyMap<string, DelegatorTerms>, overrides: ReadonlyMap<string, DelegatorTerms>): Map<string, DelegatorTerms> {
  const merged = new Map(programs);
  for (const [pk, terms] of overrides) {
    const given = Object.fromEntries(Object.entries(terms).filter(([, value]) => value !== undefined));
    merged.set(pk, { ...programs.get(pk), ...given });
  }
  return merged;
}

type EntryReader = (given: (field: string) => string | undefined, where: string) => [string, DelegatorTerms];

const FIELDS: Readonly<Record<'overrides' | 'programs', ReadonlySet<string>>> = {
  overrides: new Set(['pk', 'commission', 'payTo', 'exclude', 'program', 'fees', 'burn']),
  programs: new Set(['pk', 'program', 'rate', 'returnAddress']),
};

function termsFile(content: string, path: string, kind: keyof typeof FIELDS, entry: EntryReader): Map<string, DelegatorTerms> {
  const terms = new Map<string, DelegatorTerms>();
  for (const { raw, where } of fileRecords(content, path, 'entry', (message) => new MinapayError('OVERRIDES_INVALID', message))) {
    const at = `${path}: ${where}`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw overridesError(at, 'is not an object');
    const record = raw as Record<string, unknown>;
    const unknown = Object.keys(record).find((field) => !FIELDS[kind].has(field));
    if (unknown !== undefined) throw overridesError(at, `has an unknown field ${unknown} (known: ${[...FIELDS[kind]].join(', ')})`);
    const [pk, entryTerms] = entry((field) => givenText(record, field), at);
    if (terms.has(pk)) throw overridesError(at, `repeats ${pk}`);
    terms.set(pk, entryTerms);
  }
  // An empty file is more likely a failed export than a wish for no terms, which is said by leaving the option out.
  if (terms.size === 0) throw overridesError(path, `has no entries; leave out --${kind} to plan without any`);
  return terms;
}

function givenText(record: Record<string, unknown>, field: string): string | undefined {
  const value = record[field];
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

function overrideEntry(given: (field: string) => string | undefined, where: string): [string, DelegatorTerms] {
  const pk = entryKey(given, where);
  const at = `${where} (${pk})`;
  const payTo = given('payTo');
  return [
    pk,
    {
      commission: rateField(given('commission'), 'commission', at),
      payTo: payTo === undefined ? undefined : payShares(payTo, at),
      exclude: flag(given('exclude'), at),
      program: programField(given('program'), at),
      fees: feeClassField(given('fees'), at),
      burn: rateField(given('burn'), 'burn', at),
    },
  ];
}

function programEntry(given: (field: string) => string | undefined, where: string): [string, DelegatorTerms] {
  const pk = entryKey(given, where);
  const at = `${where} (${pk})`;
  const program = programField(given('program'), at);
  if (program === undefined) throw overridesError(at, `has no program (one of ${PROGRAMS.join(', ')})`);
  const returnAddress = key(given('returnAddress'), 'returnAddress', at);
  return [
    pk,
    {
      program,
      commission: rateField(given('rate'), 'rate', at),
      payTo: returnAddress === undefined ? undefined : [{ payTo: returnAddress, weight: ONE }],
      fees: 'exclude',
    },
  ];
}

function entryKey(given: (field: string) => string | undefined, where: string): string {
  const pk = key(given('pk'), 'pk', where);
  if (pk === undefined) throw overridesError(where, 'has no pk');
  return pk;
}

function rateField(text: string | undefined, field: string, where: string): Rational | undefined {
  if (text === undefined) return undefined;
  const rate = parseRate(text);
  if (rate === null) throw overridesError(where, `${field} must be a decimal from 0 to 1, not ${text}`);
  return rate;
}

function programField(text: string | undefined, where: string): Program | undefined {
  if (text !== undefined && !PROGRAMS.includes(text as Program)) throw overridesError(where, `program must be one of ${PROGRAMS.join(', ')}, not ${text}`);
  return text as Program | undefined;
}

function feeClassField(text: string | undefined, where: string): FeeClass | undefined {
  if (text !== undefined && text !== 'share' && text !== 'exclude') throw overridesError(where, `fees must be share or exclude, not ${text}`);
  return text;
}

/**
 * `B62a...` or weighted addresses `B62a...:70,B62b...:30`: each weight a
 * positive exact decimal, relative to their sum; every address once.
 */
export function payShares(text: string, where: string): PayShare[] {
  const parts = text.split(',').map((part) => part.trim());
  const shares = parts.map((part) => {
    const [address = '', weightText, extra] = part.split(':').map((piece) => piece.trim());
    const weight = weightText === undefined && parts.length === 1 ? ONE : parseDecimal(weightText ?? '');
    if (extra !== undefined || weight === null || compare(weight, ZERO) <= 0) {
      throw overridesError(where, `payTo ${part} is not an address with a positive weight (B62...:70)`);
    }
    return { payTo: key(address, 'payTo', where)!, weight };
  });
  const repeated = shares.find((share, index) => shares.findIndex((other) => other.payTo === share.payTo) !== index);
  if (repeated !== undefined) throw overridesError(where, `payTo names ${repeated.payTo} twice`);
  return shares;
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
