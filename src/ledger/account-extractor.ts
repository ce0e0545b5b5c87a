import type { Token } from 'stream-json/core/parser.js';

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

// The fields kept, by number: a key is told by a switch of string compares (cheap on the tokenizer's fresh,
// unhashed key strings, where a Set lookup hashed every key), and each field is stored by name, not by a
// computed property (a keyed store on every value).
const OTHER = 0;
const PK = 1;
const BALANCE = 2;
const DELEGATE = 3;
const TOKEN = 4;
const TIMING = 5;
const INITIAL_MINIMUM_BALANCE = 6;
const CLIFF_TIME = 7;
const CLIFF_AMOUNT = 8;
const VESTING_PERIOD = 9;
const VESTING_INCREMENT = 10;
type Field = number;

function accountField(key: string): Field {
  switch (key) {
    case 'pk':
      return PK;
    case 'balance':
      return BALANCE;
    case 'delegate':
      return DELEGATE;
    case 'token':
      return TOKEN;
    case 'timing':
      return TIMING;
    default:
      return OTHER;
  }
}

function timingField(key: string): Field {
  switch (key) {
    case 'initial_minimum_balance':
      return INITIAL_MINIMUM_BALANCE;
    case 'cliff_time':
      return CLIFF_TIME;
    case 'cliff_amount':
      return CLIFF_AMOUNT;
    case 'vesting_period':
      return VESTING_PERIOD;
    case 'vesting_increment':
      return VESTING_INCREMENT;
    default:
      return OTHER;
  }
}

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
  /** The field whose value comes next (OTHER: one nobody reads). */
  #field: Field = OTHER;
  /** An element of the array that is not an object, held until it has closed. */
  #element: RawElement = null;

  /** False once the account array has closed: the tokens after it are not the extractor's. */
  get isOpen(): boolean {
    return this.#at !== CLOSED;
  }

  /**
   * Takes tokens from `from` on, pushing each element to `out` once it has
   * closed, until the tokens end or the array closes (its endArray taken);
   * returns the index of the first token not taken. The tokens of skipped
   * containers (most of an account: permissions, zkApp state) are counted
   * here in a loop of their own, without a call per token.
   */
  takeAll(tokens: readonly Token[], from: number, out: RawElement[]): number {
    let i = from;
    while (i < tokens.length && this.#at !== CLOSED) {
      if (this.#at === SKIPPING) {
        i = this.#skipAll(tokens, i, out);
        continue;
      }
      const token = tokens[i++] as Token;
      switch (this.#at) {
        case ELEMENT:
          this.#atElement(token, out);
          break;
        case ACCOUNT_KEY:
        case TIMING_KEY:
          this.#atKey(token, out);
          break;
        default:
          this.#atValue(token);
      }
    }
    return i;
  }

  #atElement(token: Token, out: RawElement[]): void {
    switch (token.name) {
      case 'startObject':
        this.#account = new RawAccount();
        this.#at = ACCOUNT_KEY;
        return;
      case 'endArray':
        this.#at = CLOSED;
        return;
      case 'startArray':
        this.#element = AN_ARRAY;
        this.#skipFrom(ELEMENT);
        return;
      default:
        out.push(scalar(token));
    }
  }

  /** A key, or the end of the account or its timing: the tokenizer allows nothing else here. */
  #atKey(token: Token, out: RawElement[]): void {
    const inTiming = this.#at === TIMING_KEY;
    if (token.name === 'keyValue') {
      this.#field = inTiming ? timingField(token.value) : accountField(token.value);
      this.#at = inTiming ? TIMING_VALUE : ACCOUNT_VALUE;
    } else if (inTiming) {
      this.#at = ACCOUNT_KEY;
    } else {
      out.push(this.#account);
      this.#at = ELEMENT;
    }
  }

  #atValue(token: Token): void {
    const back = this.#at === TIMING_VALUE ? TIMING_KEY : ACCOUNT_KEY;
    switch (token.name) {
      case 'startObject':
        if (this.#field === TIMING) {
          this.#timing = new RawTiming();
          this.#account.timing = this.#timing;
          this.#at = TIMING_KEY;
          return;
        }
        this.#put(AN_OBJECT);
        this.#skipFrom(back);
        return;
      case 'startArray':
        this.#put(AN_ARRAY);
        this.#skipFrom(back);
        return;
      default:
        this.#put(scalar(token));
        this.#at = back;
    }
  }

  #put(value: unknown): void {
    switch (this.#field) {
      case PK:
        this.#account.pk = value;
        return;
      case BALANCE:
        this.#account.balance = value;
        return;
      case DELEGATE:
        this.#account.delegate = value;
        return;
      case TOKEN:
        this.#account.token = value;
        return;
      case TIMING:
        this.#account.timing = value;
        return;
      case INITIAL_MINIMUM_BALANCE:
        this.#timing.initial_minimum_balance = value;
        return;
      case CLIFF_TIME:
        this.#timing.cliff_time = value;
        return;
      case CLIFF_AMOUNT:
        this.#timing.cliff_amount = value;
        return;
      case VESTING_PERIOD:
        this.#timing.vesting_period = value;
        return;
      case VESTING_INCREMENT:
        this.#timing.vesting_increment = value;
    }
  }

  #skipFrom(after: At): void {
    this.#after = after;
    this.#open = 1;
    this.#at = SKIPPING;
  }

  /** Counts brackets from tokens[from] until the skipped container closes or the tokens end; returns the index after the last token taken. */
  #skipAll(tokens: readonly Token[], from: number, out: RawElement[]): number {
    let open = this.#open;
    for (let i = from; i < tokens.length; i++) {
      switch ((tokens[i] as Token).name) {
        case 'startObject':
        case 'startArray':
          open++;
          break;
        case 'endObject':
        case 'endArray':
          if (--open > 0) break;
          this.#open = 0;
          this.#at = this.#after;
          if (this.#after === ELEMENT) out.push(this.#element);
          return i + 1;
      }
    }
    this.#open = open;
    return tokens.length;
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
