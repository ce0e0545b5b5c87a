import { none } from 'stream-chain/defs.js';
import { jsonlParser } from 'stream-chain/jsonl/parser.js';
import lines from 'stream-chain/utils/lines.js';
import { jsonParser, type Token } from 'stream-json/parser.js';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';

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
type Streamed = { value: unknown } | typeof none;

/** The path of the account array inside the genesis/runtime-config wrapper. */
const WRAPPED_ACCOUNTS_PATH = 'ledger.accounts';

/**
 * JSON (array or wrapper) through stream-json's bare tokenizer and array
 * streamer, called as plain functions from one loop: no stream hop per token.
 * Packed tokens only (streamValues: false) halve the token count. A JSON
 * number stays a number, as JSON.parse gives it to the JSON Lines decoder, so
 * that one rule refuses it in both: exports write amounts and slots as
 * strings, and parse.ts takes only strings, so no amount passes through a float.
 */
class TokenDecoder implements AccountDecoder {
  readonly #tokenize = jsonParser({ packValues: true, streamValues: false }) as Flushable<string, TokenBatch>;
  readonly #stream = streamArray() as (token: Token) => Streamed;
  readonly #pick: ((token: Token) => TokenBatch) | null;
  #sawAccounts = false;
  #charsRead = 0;

  constructor(format: 'array' | 'wrapper') {
    this.#pick = format === 'wrapper' ? (pick({ filter: WRAPPED_ACCOUNTS_PATH }) as (token: Token) => TokenBatch) : null;
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
    if (this.#pick !== null && !this.#sawAccounts) {
      throw new DecodeFailure('LEDGER_NOT_A_LEDGER', `is a JSON object without a "${WRAPPED_ACCOUNTS_PATH}" array; expected a ledger export`);
    }
  }

  #consume(tokens: TokenBatch, out: unknown[]): void {
    if (tokens === none) return;
    const list = 'values' in tokens ? tokens.values : [tokens];
    try {
      if (this.#pick === null) {
        for (const token of list) this.#streamToken(token, out);
      } else {
        for (const token of list) this.#pickToken(token, out);
      }
    } catch (error) {
      if (error instanceof DecodeFailure) throw error;
      // stream-json's array streamer rejects a top level that is not an array.
      throw new DecodeFailure('LEDGER_NOT_A_LEDGER', `is not a ledger export: ${(error as Error).message}`);
    }
  }

  #streamToken(token: Token, out: unknown[]): void {
    const item = this.#stream(token);
    if (item !== none) out.push(item.value);
  }

  #pickToken(token: Token, out: unknown[]): void {
    const picked = (this.#pick as (token: Token) => TokenBatch)(token);
    if (picked === none) return;
    this.#sawAccounts = true;
    if ('values' in picked) for (const inner of picked.values) this.#streamToken(inner, out);
    else this.#streamToken(picked, out);
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
