import { MinapayError, type ErrorCode } from '../errors.js';
import { MAX_UINT64 } from '../protocol/amounts.js';
import { PALLAS_P } from '../protocol/pasta/parameters.js';
import { safeWholeNumber, wholeNumberFromText } from '../protocol/whole-number.js';

/**
 * The fields of a JSON object that minapay wrote and reads back (plan.json,
 * signed.json), each checked for its type on the way in: a hand-edited or
 * damaged file gets one error naming the file and the field's path
 * (`plan.json: settings.commission is not ...`), never a crash later on.
 */
export class JsonFields {
  private constructor(
    private readonly record: Readonly<Record<string, unknown>>,
    private readonly file: string,
    private readonly path: string,
    private readonly code: ErrorCode,
  ) {}

  /** The fields of `value`, which must be a JSON object; `file` names it in errors. */
  static of(value: unknown, file: string, code: ErrorCode, path = ''): JsonFields {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new MinapayError(code, `${file}: ${path === '' ? 'the document' : path} is not an object`);
    }
    return new JsonFields(value as Record<string, unknown>, file, path, code);
  }

  /** The field's path for messages, e.g. `lines[3].amount`. */
  name(field: string): string {
    return this.path === '' ? field : `${this.path}.${field}`;
  }

  problem(field: string, problem: string): MinapayError {
    return new MinapayError(this.code, `${this.file}: ${this.name(field)} ${problem}`);
  }

  raw(field: string): unknown {
    return this.record[field];
  }

  text(field: string): string {
    const value = this.record[field];
    if (typeof value !== 'string') throw this.problem(field, 'is not a string');
    return value;
  }

  nullableText(field: string): string | null {
    return this.record[field] === null ? null : this.text(field);
  }

  /** A safe, non-negative integer written as a JSON number. */
  whole(field: string): number {
    const value = this.record[field];
    const whole = typeof value === 'number' ? safeWholeNumber(value) : null;
    if (whole === null) throw this.problem(field, 'is not a whole number');
    return whole;
  }

  nullableWhole(field: string): number | null {
    return this.record[field] === null ? null : this.whole(field);
  }

  /** A whole number written as a decimal string: nanomina, nonces. */
  wholeText(field: string): bigint {
    const value = this.record[field];
    const whole = typeof value === 'string' ? wholeNumberFromText(value, MAX_UINT64) : null;
    if (whole === null) throw this.problem(field, 'is not a whole number in a string (at most 2^64 - 1)');
    return whole;
  }

  /** A whole number that may be negative, written as a decimal string (a plan's remainder). */
  integerText(field: string): bigint {
    const value = this.record[field];
    const negative = typeof value === 'string' && value.startsWith('-');
    const whole = typeof value === 'string' ? wholeNumberFromText(negative ? value.slice(1) : value, MAX_UINT64) : null;
    if (whole === null) throw this.problem(field, 'is not a whole number in a string (at most 2^64 - 1 either side of 0)');
    return negative ? -whole : whole;
  }

  /** An element of the Pallas base field written in decimal, as o1js writes a Field: a Merkle root or node. */
  fieldText(field: string): bigint {
    return this.fieldElement(this.record[field], field);
  }

  /** A list of field elements in decimal. */
  fieldTexts(field: string): bigint[] {
    return this.list(field).map((item, index) => this.fieldElement(item, `${field}[${index}]`));
  }

  private fieldElement(value: unknown, field: string): bigint {
    const element = typeof value === 'string' ? wholeNumberFromText(value, PALLAS_P - 1n) : null;
    if (element === null) throw this.problem(field, 'is not a field element (decimal digits below the Pallas base field order)');
    return element;
  }

  choice<T extends string>(field: string, choices: readonly T[]): T {
    const value = this.record[field];
    if (!choices.includes(value as T)) throw this.problem(field, `is not one of ${choices.join(', ')}`);
    return value as T;
  }

  /** A string read by `parse`, which answers null for a value it does not take. */
  parsed<T>(field: string, parse: (text: string) => T | null, expected: string): T {
    const value = parse(this.text(field));
    if (value === null) throw this.problem(field, `is not ${expected}`);
    return value;
  }

  object(field: string): JsonFields {
    return JsonFields.of(this.record[field], this.file, this.code, this.name(field));
  }

  nullableObject(field: string): JsonFields | null {
    return this.record[field] === null ? null : this.object(field);
  }

  /** A list of JSON objects. */
  objects(field: string): JsonFields[] {
    return this.list(field).map((item, index) => JsonFields.of(item, this.file, this.code, `${this.name(field)}[${index}]`));
  }

  texts(field: string): string[] {
    const items = this.list(field);
    if (!items.every((item) => typeof item === 'string')) throw this.problem(field, 'is not a list of strings');
    return items as string[];
  }

  private list(field: string): unknown[] {
    const value = this.record[field];
    if (!Array.isArray(value)) throw this.problem(field, 'is not a list');
    return value;
  }
}
