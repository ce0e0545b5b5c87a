import { none } from 'stream-chain/defs.js';
import { jsonlParser } from 'stream-chain/jsonl/parser.js';
import lines from 'stream-chain/utils/lines.js';
// The parser's core module: stream-json/parser.js adds Node and web stream wrappers, and loads all of stream-chain for them.
import { jsonParser, type Token } from 'stream-json/core/parser.js';

import { AccountExtractor, type RawElement } from './account-extractor.js';

export type LedgerFormat = 'array' | 'wrapper' | 'jsonl';

/** Turns text chunks into raw account values (plain JS objects, not yet checked). */
export interface AccountDecoder {
  write(text: string, out: unknown[]): void;
  /** Called once at the end of input; reports truncation. */
  end(out: unknown[]): void;
}

/** A decoder's complaint, before the reader adds the input's name. */
export class DecodeFailure extends Error {
  constructor(
    readonly code: 'LEDGER_INVALID_JSON' | 'LEDGER_TRUNCATED' | 'LEDGER_NOT_A_LEDGER',
    message: string,
  ) {
    super(message);
  }
}

/** @param firstLine line number (1-based) of the first line given to the decoder */
export function createAccountDecoder(format: LedgerFormat, firstLine: number): AccountDecoder {
  return format === 'jsonl' ? new JsonLinesDecoder(firstLine) : new TokenDecoder(format);
}

type TokenBatch = Token | { values: Token[] } | typeof none;
/** stream-chain's flushable stages: called with input, then once with `none` at the end. */
type Flushable<I, O> = (input: I | typeof none) => O;

/** The path of the account array inside the genesis/runtime-config wrapper. */
const WRAPPED_ACCOUNTS_PATH = ['ledger', 'accounts'] as const;

/**
 * JSON (array or wrapper) through stream-json's bare tokenizer, called as a
 * plain function, and minapay's AccountExtractor over its tokens in one loop
 * per chunk: no stream hop per token, and no object assembled for fields
 * nobody reads. Packed tokens only (streamValues: false) halve the token count.
 */
class TokenDecoder implements AccountDecoder {
  readonly #tokenize = jsonParser({ packValues: true, streamValues: false }) as Flushable<string, TokenBatch>;
  readonly #locator: AccountArrayLocator;
  #extractor: AccountExtractor | null = null;
  #charsRead = 0;

  constructor(format: 'array' | 'wrapper') {
    this.#locator = new AccountArrayLocator(format === 'wrapper' ? WRAPPED_ACCOUNTS_PATH : []);
  }

  write(text: string, out: unknown[]): void {
    let tokens: TokenBatch;
    try {
      tokens = this.#tokenize(text);
    } catch (error) {
      const from = this.#charsRead;
      throw new DecodeFailure('LEDGER_INVALID_JSON', `invalid JSON between characters ${from} and ${from + text.length}: ${(error as Error).message}`);
    }
    this.#charsRead += text.length;
    this.#consume(tokens, out);
  }

  end(out: unknown[]): void {
    let tokens: TokenBatch;
    try {
      tokens = this.#tokenize(none);
    } catch (error) {
      throw new DecodeFailure('LEDGER_TRUNCATED', `ends in the middle of the JSON (truncated file): ${(error as Error).message}`);
    }
    this.#consume(tokens, out);
    if (this.#extractor === null) {
      throw new DecodeFailure('LEDGER_NOT_A_LEDGER', `is a JSON object without a "${WRAPPED_ACCOUNTS_PATH.join('.')}" array; expected a ledger export`);
    }
  }

  #consume(tokens: TokenBatch, out: unknown[]): void {
    if (tokens === none) return;
    const list = 'values' in tokens ? tokens.values : [tokens];
    const raw = out as RawElement[];
    for (let i = 0; i < list.length; ) {
      if (this.#extractor?.isOpen) i = this.#extractor.takeAll(list, i, raw);
      else if (this.#locator.isAccountArray(list[i++] as Token)) this.#extractor = new AccountExtractor();
    }
  }
}

/**
 * Finds the account array among the tokens: the top-level value, or the
 * value at a path of object keys (the wrapper's `ledger.accounts`), skipping
 * everything else by counting brackets. Refuses a value there that is not an
 * array.
 */
class AccountArrayLocator {
  readonly #path: readonly string[];
  /** Containers open around the current token, outside the account array. */
  #depth = 0;
  /** How many of them are the objects along the path. */
  #onPath = 0;
  /** The key the next value of the current object sits at. */
  #key: string | null = null;

  constructor(path: readonly string[]) {
    this.#path = path;
  }

  /** True for the `startArray` of the account array; the extractor reads on from there. */
  isAccountArray(token: Token): boolean {
    switch (token.name) {
      case 'keyValue':
        this.#key = token.value as string;
        return false;
      case 'endObject':
      case 'endArray':
        if (this.#onPath === this.#depth) this.#onPath--;
        this.#depth--;
        return false;
    }
    const atPath = this.#onPath === this.#depth && (this.#depth === 0 || this.#key === this.#path[this.#depth - 1]);
    if (atPath && this.#depth === this.#path.length) {
      if (token.name === 'startArray') return true;
      // stream-json's array streamer's words, as earlier versions printed them.
      throw new DecodeFailure('LEDGER_NOT_A_LEDGER', 'is not a ledger export: Top-level object should be an array.');
    }
    if (token.name === 'startObject' || token.name === 'startArray') {
      if (atPath && token.name === 'startObject') this.#onPath++;
      this.#depth++;
    }
    return false;
  }
}

/** One account per line, each parsed natively by JSON.parse (stream-chain's JSONL parser). */
class JsonLinesDecoder implements AccountDecoder {
  readonly #split = lines();
  readonly #parse = jsonlParser() as (line: string) => { value: unknown } | typeof none;
  #line: number;

  constructor(firstLine: number) {
    this.#line = firstLine - 1;
  }

  write(text: string, out: unknown[]): void {
    for (const line of this.#split(text)) this.#take(line, out, false);
  }

  end(out: unknown[]): void {
    // The splitter's last piece is a line with no newline after it.
    for (const line of this.#split(none)) this.#take(line, out, true);
  }

  #take(line: string, out: unknown[], unterminated: boolean): void {
    this.#line++;
    if (line.trim() === '') return;
    try {
      const parsed = this.#parse(line);
      if (parsed !== none) out.push(parsed.value);
    } catch (error) {
      const reason = (error as Error).message;
      if (unterminated) throw new DecodeFailure('LEDGER_TRUNCATED', `line ${this.#line} is cut short (truncated file): ${reason}`);
      throw new DecodeFailure('LEDGER_INVALID_JSON', `invalid JSON on line ${this.#line}: ${reason}`);
    }
  }
}
