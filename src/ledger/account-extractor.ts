import type { Token } from 'stream-json/parser.js';

/**
 * The fields of one account that minapay reads, as the export wrote them:
 * what JSON.parse would give for each (a string, a number, true, false,
 * null, or undefined when absent), except that an object or an array is only
 * told by its kind (AN_OBJECT, AN_ARRAY). parse.ts checks them.
 */
export class RawAccount {
  pk: unknown = undefined;
  balance: unknown = undefined;
  delegate: unknown = undefined;
  token: unknown = undefined;
  /** A RawTiming when the export's timing is an object. */
  timing: unknown = undefined;
}

/** The fields of an account's timing, as RawAccount holds the account's. */
export class RawTiming {
  initial_minimum_balance: unknown = undefined;
  cliff_time: unknown = undefined;
  cliff_amount: unknown = undefined;
  vesting_period: unknown = undefined;
  vesting_increment: unknown = undefined;
}

/** Stand-ins for an object or array value minapay does not read inside: errors name only its kind (errors.ts `quoted`). */
export const AN_OBJECT: object = Object.freeze({});
export const AN_ARRAY: readonly never[] = Object.freeze([]);

/** A value or element that is no account object, as JSON.parse's caller would see it (kind only for containers). */
export type RawElement = RawAccount | string | number | boolean | null | typeof AN_OBJECT | typeof AN_ARRAY;

type AccountField = 'pk' | 'balance' | 'delegate' | 'token' | 'timing';
type TimingField = keyof RawTiming;

const ACCOUNT_FIELDS: ReadonlySet<string> = new Set<AccountField>(['pk', 'balance', 'delegate', 'token', 'timing']);
const TIMING_FIELDS: ReadonlySet<string> = new Set<TimingField>([
  'initial_minimum_balance',
  'cliff_time',
  'cliff_amount',
  'vesting_period',
  'vesting_increment',
]);

// Where the extractor is in the account array.
/** Between elements of the account array. */
const ELEMENT = 0;
/** Inside an account object, before a key or its end. */
const ACCOUNT_KEY = 1;
/** After a key of an account, before its value. */
const ACCOUNT_VALUE = 2;
/** Inside an account's timing object, before a key or its end. */
const TIMING_KEY = 3;
/** After a key of the timing, before its value. */
const TIMING_VALUE = 4;
/** Inside a container nobody reads: its tokens are only counted until it closes. */
const SKIPPING = 5;
/** The account array has closed. */
const CLOSED = 6;
type At = typeof ELEMENT | typeof ACCOUNT_KEY | typeof ACCOUNT_VALUE | typeof TIMING_KEY | typeof TIMING_VALUE | typeof SKIPPING | typeof CLOSED;

/**
 * Reads accounts out of the tokens of a JSON array of accounts, keeping only
 * the fields minapay needs instead of assembling every object: permissions,
 * zkApp state and the rest are skipped by counting brackets. Strings are the
 * tokenizer's own (slices of its text chunk), not copies. Nesting of any
 * depth is counted, never recursed into. Give it the tokens that follow the
 * array's `startArray`; each element comes out once it has closed, in order.
 */
export class AccountExtractor {
  #at: At = ELEMENT;
  /** Containers still open while Skipping. */
  #open = 0;
  /** Where to go back to when the skipped container closes. */
  #after: At = ELEMENT;
  #account = new RawAccount();
  #timing = new RawTiming();
  #field: AccountField | null = null;
  #timingField: TimingField | null = null;
  /** An element of the array that is not an object, held until it has closed. */
  #element: RawElement = null;

  /** True once the array's `endArray` has been read. */
  get closed(): boolean {
    return this.#at === CLOSED;
  }

  /** Takes one token; pushes an element to `out` when one is complete. Returns false if the array has closed (the token is not consumed). */
  take(token: Token, out: RawElement[]): boolean {
    switch (this.#at) {
      case ELEMENT:
        return this.#atElement(token, out);
      case ACCOUNT_KEY:
        this.#accountKey(token, out);
        return true;
      case ACCOUNT_VALUE:
        this.#accountValue(token);
        return true;
      case TIMING_KEY:
        this.#timingKey(token);
        return true;
      case TIMING_VALUE:
        this.#timingValue(token);
        return true;
      case SKIPPING:
        this.#skip(token, out);
        return true;
      case CLOSED:
        return false;
    }
  }

  #atElement(token: Token, out: RawElement[]): boolean {
    switch (token.name) {
      case 'startObject':
        this.#account = new RawAccount();
        this.#at = ACCOUNT_KEY;
        return true;
      case 'endArray':
        this.#at = CLOSED;
        return true;
      case 'startArray':
        this.#element = AN_ARRAY;
        this.#skipFrom(ELEMENT);
        return true;
      default:
        out.push(scalar(token));
        return true;
    }
  }

  #accountKey(token: Token, out: RawElement[]): void {
    if (token.name === 'keyValue') {
      this.#field = ACCOUNT_FIELDS.has(token.value) ? (token.value as AccountField) : null;
      this.#at = ACCOUNT_VALUE;
      return;
    }
    // The tokenizer allows only a key or the object's end here: the account is complete.
    out.push(this.#account);
    this.#at = ELEMENT;
  }

  #accountValue(token: Token): void {
    const field = this.#field;
    switch (token.name) {
      case 'startObject':
        if (field === 'timing') {
          this.#timing = new RawTiming();
          this.#account.timing = this.#timing;
          this.#at = TIMING_KEY;
          return;
        }
        if (field !== null) this.#account[field] = AN_OBJECT;
        this.#skipFrom(ACCOUNT_KEY);
        return;
      case 'startArray':
        if (field !== null) this.#account[field] = AN_ARRAY;
        this.#skipFrom(ACCOUNT_KEY);
        return;
      default:
        if (field !== null) this.#account[field] = scalar(token);
        this.#at = ACCOUNT_KEY;
    }
  }

  #timingKey(token: Token): void {
    if (token.name === 'keyValue') {
      this.#timingField = TIMING_FIELDS.has(token.value) ? (token.value as TimingField) : null;
      this.#at = TIMING_VALUE;
      return;
    }
    this.#at = ACCOUNT_KEY;
  }

  #timingValue(token: Token): void {
    const field = this.#timingField;
    switch (token.name) {
      case 'startObject':
      case 'startArray':
        if (field !== null) this.#timing[field] = token.name === 'startObject' ? AN_OBJECT : AN_ARRAY;
        this.#skipFrom(TIMING_KEY);
        return;
      default:
        if (field !== null) this.#timing[field] = scalar(token);
        this.#at = TIMING_KEY;
    }
  }

  #skipFrom(after: At): void {
    this.#after = after;
    this.#open = 1;
    this.#at = SKIPPING;
  }

  #skip(token: Token, out: RawElement[]): void {
    switch (token.name) {
      case 'startObject':
      case 'startArray':
        this.#open++;
        return;
      case 'endObject':
      case 'endArray':
        if (--this.#open > 0) return;
        this.#at = this.#after;
        if (this.#after === ELEMENT) out.push(this.#element);
    }
  }
}

/** A scalar token's value as JSON.parse gives it: a number becomes a JavaScript number, so that one rule refuses amounts written as numbers in every format. */
function scalar(token: Token): string | number | boolean | null {
  switch (token.name) {
    case 'stringValue':
      return token.value as string;
    case 'numberValue':
      return Number(token.value);
    case 'trueValue':
      return true;
    case 'falseValue':
      return false;
    default:
      return null;
  }
}
