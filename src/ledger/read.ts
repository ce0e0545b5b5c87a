import { type FileHandle, open } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

import { MinapayError, isMinapayError } from '../errors.js';
import { FILE_READ_BYTES, fileReadStream } from '../io/file-reads.js';
import { inputReadError } from '../io/input-error.js';
import type { LedgerAccount } from './account.js';
import { jsonVerifier } from 'stream-json/core/utils/verifier.js';
import { none } from 'stream-chain/defs.js';

import { createAccountDecoder, DecodeFailure, type LedgerFormat } from './decode.js';
import { FingerprintLog, type RepeatedFingerprints } from './fingerprint-table.js';
import { accountLabel, parseAccount } from './parse.js';

/** Where a ledger comes from: a file that can be read again, or a one-shot stream. */
export interface LedgerInput {
  /** How errors name the input: the path, or "<stdin>". */
  readonly name: string;
  open(): Readable;
  /** True for files: an invalid-JSON error is then located exactly by a second read. */
  readonly reopenable: boolean;
  /** A file's path: a file can be read into memory the reader is given (ReadOptions.bytesInto). */
  readonly path?: string;
}

/**
 * At most this many bytes are decoded and parsed at a time, however much a
 * read (FILE_READ_BYTES) or gunzip gives: it keeps each piece's tokens and
 * objects small and short-lived. On the 250k bench ledger (Node's default
 * V8 flags), 512 KiB reads parsed whole peaked at 155 MB and took 2.10 s,
 * and so did their text cut into 64 KiB slices, which share the whole
 * read's string (1 MiB reads parsed whole: 180 MB and 2.5 s), against 110
 * MB and 1.80 s for 64 KiB pieces.
 */
const TEXT_PIECE_BYTES = 64 * 1024;

export function fileInput(path: string): LedgerInput {
  return { name: path, open: () => fileReadStream(path), reopenable: true, path };
}

export function streamInput(name: string, stream: Readable): LedgerInput {
  return { name, open: () => stream, reopenable: false };
}

/** A ledger's accounts, a batch per chunk of input read (readLedger). */
export type AccountBatches = AsyncIterable<readonly LedgerAccount[]>;

export interface ReadProgress {
  /** Bytes read from the input as stored (compressed bytes for gzip). */
  readonly bytes: number;
  readonly accounts: number;
}

export interface ReadOptions {
  readonly onProgress?: (progress: ReadProgress) => void;
  /** Each chunk of the input as stored, as it is read: to hash the very bytes that are parsed. */
  readonly onBytes?: (chunk: Buffer) => void;
  /**
   * Memory for the next read of a file (at most FILE_READ_BYTES of it are
   * filled), asked for while the chunk before is still to be parsed: what
   * onBytes is then given lies there, so that a hashing thread's shared ring
   * takes a read's bytes without a copy. It may be memory an earlier read
   * filled once that read's bytes are parsed.
   */
  readonly bytesInto?: () => Uint8Array;
  readonly onWarning?: (message: string) => void;
}

/**
 * Streams the accounts of a staking-ledger export in constant memory, each
 * normalised once into a strict LedgerAccount, in batches: the accounts of
 * each chunk of text read come out together, so a consumer handles a chunk in
 * one loop instead of one await per account. Accepts the daemon's JSON array
 * (compact or pretty-printed), the genesis/runtime-config wrapper, JSON Lines,
 * and any of these gzip-compressed; skips leading non-JSON lines (a daemon in
 * docker may print one) with a warning. An account's strings may share
 * storage with the chunk they came from: see LedgerAccount.
 *
 * An account that appears twice is refused once the last batch is out, not
 * where it appears: looking each account up in a table as it came cost 6%
 * of `ledger delegators` on a million accounts, in cache misses (see
 * FingerprintLog). A consumer must not act on a read that has not ended.
 */
export async function* readLedger(input: LedgerInput, options: ReadOptions = {}): AsyncGenerator<readonly LedgerAccount[]> {
  const seen = new FingerprintLog();
  try {
    for await (const accounts of parsedAccounts(input, options)) {
      for (const account of accounts) seen.add(accountKey(account));
      yield accounts;
    }
    const repeated = seen.repeats();
    if (repeated.size > 0) await refuseRepeatedAccount(input, repeated);
  } finally {
    // The log is the largest thing a read holds (16 MB at two million accounts): what follows a read, a plan, gets it back at once.
    seen.release();
  }
}

/**
 * What tells one account from another: its key and token. The two
 * spellings of the MINA token ("1", base58 id) are one token.
 */
function accountKey(account: LedgerAccount): string {
  return account.isMinaToken ? account.pk : `${account.pk}/${account.token}`;
}

/**
 * The accounts that appear twice are found at the end of a read, from the
 * fingerprints of every account's key (FingerprintLog); a second read of a
 * file names the first account that repeats an earlier one, as the message
 * always has. Two different keys that share a fingerprint (odds of about
 * 1e-7 at two million accounts) are told apart there, and the read stands.
 * A stream cannot be read twice: its error names no account.
 */
async function refuseRepeatedAccount(input: LedgerInput, repeated: RepeatedFingerprints): Promise<void> {
  if (!input.reopenable) {
    throw new MinapayError('LEDGER_DUPLICATE_ACCOUNT', `${input.name}: an account appears twice for its token (read the ledger from a file to have it named)`);
  }
  const candidates = new Set<string>();
  for await (const accounts of parsedAccounts(input, {})) {
    for (const account of accounts) {
      const key = accountKey(account);
      if (!repeated.hasKeyOf(key)) continue;
      if (candidates.has(key)) {
        throw new MinapayError(
          'LEDGER_DUPLICATE_ACCOUNT',
          `${input.name}: ${accountLabel(account.index, account.pk)} appears twice for token ${account.token}`,
        );
      }
      candidates.add(key);
    }
  }
}

/** readLedger's accounts, each checked on its own: no look across accounts. */
async function* parsedAccounts(input: LedgerInput, options: ReadOptions): AsyncGenerator<LedgerAccount[]> {
  const progress = { bytes: 0, accounts: 0 };
  const located = await locateJsonStart(inputText(input, progress, options), input.name, options.onWarning);
  const decoder = createAccountDecoder(located.format, located.skippedLines + 1);
  const parser = new AccountParser(input.name);
  const raw: unknown[] = [];
  try {
    for await (const chunk of located.chunks) {
      decoder.write(chunk, raw);
      if (raw.length > 0) yield parser.parsed(raw);
      progress.accounts = parser.accounts;
      options.onProgress?.(progress);
    }
    decoder.end(raw);
    if (raw.length > 0) yield parser.parsed(raw);
  } catch (error) {
    if (!(error instanceof DecodeFailure)) throw error;
    throw await decodeError(error, input, located.format);
  }
}

/** Turns raw accounts into LedgerAccounts, numbering them. */
class AccountParser {
  readonly #name: string;
  #index = 0;

  constructor(name: string) {
    this.#name = name;
  }

  /** Accounts parsed so far. */
  get accounts(): number {
    return this.#index;
  }

  /** The accounts of `raw`, which it empties. */
  parsed(raw: unknown[]): LedgerAccount[] {
    const accounts = raw.map((one) => this.#parse(one));
    raw.length = 0;
    return accounts;
  }

  #parse(raw: unknown): LedgerAccount {
    try {
      return parseAccount(raw, this.#index++);
    } catch (error) {
      throw inFile(error, this.#name);
    }
  }
}

/** Gives an account-level error the file name, keeping its code. */
function inFile(error: unknown, name: string): unknown {
  return isMinapayError(error) ? new MinapayError(error.code, `${name}: ${error.message}`) : error;
}

/** A file read into memory the caller lends (ReadOptions.bytesInto). */
interface LentReads {
  readonly path: string;
  readonly bytesInto: () => Uint8Array;
}

/**
 * The input's text, decoded as it is read. A file is read into memory the
 * caller lends where options.bytesInto gives it: each chunk is then used up
 * before the next is asked for (decodeUtf8 turns it into text at once), but
 * zlib may hold on to several, so gzip input is copied for it.
 */
function inputText(input: LedgerInput, progress: { bytes: number }, { onBytes, bytesInto }: ReadOptions = {}): AsyncGenerator<string> {
  const lent = input.path !== undefined && bytesInto !== undefined ? { path: input.path, bytesInto } : null;
  return decodeUtf8(gunzipIfCompressed(rawBytes(input, progress, onBytes, lent), input.name, lent !== null));
}

/** The input's bytes as stored, a read at a time: from its stream, or read into lent memory. */
async function* rawBytes(
  input: LedgerInput,
  progress: { bytes: number },
  onBytes: ((chunk: Buffer) => void) | undefined,
  lent: LentReads | null,
): AsyncGenerator<Buffer> {
  // A failure of onBytes or bytesInto (a hashing thread's) is passed on as it is: only the input's own is the input's.
  let inCaller = false;
  const byCaller = <T>(call: () => T): T => {
    inCaller = true;
    const result = call();
    inCaller = false;
    return result;
  };
  try {
    const chunks = lent === null ? input.open() : fileReads(lent.path, () => byCaller(lent.bytesInto));
    for await (const chunk of chunks as AsyncIterable<Buffer>) {
      progress.bytes += chunk.length;
      byCaller(() => onBytes?.(chunk));
      yield chunk;
    }
  } catch (error) {
    if (inCaller) throw error;
    throw inputReadError(input.name, 'ledger', error);
  }
}

/**
 * A file's bytes, each read filling the memory `bytesInto` gives (at most
 * FILE_READ_BYTES of it) unless the file ends: the chunks lie one after
 * another in memory given one after another. The next read is started
 * before a chunk is handed on, so that reading and parsing overlap as with
 * a read stream.
 */
async function* fileReads(path: string, bytesInto: () => Uint8Array): AsyncGenerator<Buffer> {
  const file = await open(path, 'r');
  let next: Promise<Buffer> | undefined;
  try {
    next = readFilling(file, bytesInto());
    for (;;) {
      const chunk = await next;
      if (chunk.length === 0) return;
      next = readFilling(file, bytesInto());
      yield chunk;
    }
  } finally {
    // A read still under way must end before the file is closed (a parse that failed leaves one).
    await next?.catch(() => undefined);
    await file.close();
  }
}

/** Reads into `memory` until it is full or the file ends. */
async function readFilling(file: FileHandle, memory: Uint8Array): Promise<Buffer> {
  const wanted = Math.min(memory.length, FILE_READ_BYTES);
  let filled = 0;
  while (filled < wanted) {
    const { bytesRead } = await file.read(memory, filled, wanted - filled, null);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return Buffer.from(memory.buffer, memory.byteOffset, filled);
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Detects gzip by its magic bytes, never by the file name. `lent`: the chunks' memory may be filled again by a later read. */
async function* gunzipIfCompressed(chunks: AsyncGenerator<Buffer>, name: string, lent: boolean): AsyncGenerator<Buffer> {
  let head: Buffer = Buffer.alloc(0);
  let next = await chunks.next();
  while (!next.done) {
    head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
    if (head.length >= GZIP_MAGIC.length) break;
    next = await chunks.next();
  }
  const all = (async function* () {
    if (head.length > 0) yield head;
    if (!next.done) yield* chunks;
  })();
  if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) {
    yield* all;
    return;
  }
  // Decompressed as much at a time as a file is read (zlib's default is 16 KiB): an archived 250k-account ledger is read
  // in 0.75 s instead of 0.95 s.
  const gunzip = createGunzip({ chunkSize: FILE_READ_BYTES });
  let inputFailure: unknown;
  const source = (async function* () {
    try {
      // Lent chunks are copied: zlib and the pipeline may hold several.
      if (lent) for await (const chunk of all) yield Buffer.from(chunk);
      else yield* all;
    } catch (error) {
      inputFailure = error;
      throw error;
    }
  })();
  // pipeline forwards errors and destroys both ends; its callback is only for bookkeeping.
  pipeline(source, gunzip, () => {});
  try {
    yield* gunzip;
  } catch (error) {
    if (inputFailure !== undefined) throw inputFailure;
    throw gzipError(error, name);
  }
}

function gzipError(error: unknown, name: string): MinapayError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'Z_BUF_ERROR') return new MinapayError('LEDGER_TRUNCATED', `${name}: gzip data ends early (truncated file)`);
  return new MinapayError('LEDGER_BAD_GZIP', `${name}: corrupt gzip data: ${(error as Error).message}`);
}

/** The text of `chunks`, decoded in pieces of at most TEXT_PIECE_BYTES bytes (a character cut between two is kept whole). */
async function* decodeUtf8(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    for (let from = 0; from < chunk.length; from += TEXT_PIECE_BYTES) {
      const text = decoder.write(chunk.subarray(from, from + TEXT_PIECE_BYTES));
      if (text.length > 0) yield text;
    }
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}

/** A docker daemon prints a few lines first; anything longer is not a ledger. */
const MAX_PREAMBLE_LINES = 20;
/** Enough to hold the first line of any JSON Lines ledger (an account is a few KB). */
const MAX_FIRST_LINE = 1 << 20;

interface LocatedJson {
  readonly format: LedgerFormat;
  readonly skippedLines: number;
  readonly chunks: AsyncIterable<string>;
}

/**
 * Skips leading lines that do not start JSON, then tells the format apart:
 * "[" is the daemon's array; "{" is JSON Lines when its first line is a whole
 * account, otherwise the genesis/runtime-config wrapper.
 */
async function locateJsonStart(texts: AsyncGenerator<string>, name: string, onWarning: ((message: string) => void) | undefined): Promise<LocatedJson> {
  let buffered = '';
  let skippedLines = 0;
  let exhausted = false;
  const more = async (): Promise<boolean> => {
    const next = await texts.next();
    if (next.done) exhausted = true;
    else buffered += next.value;
    return !next.done;
  };
  for (;;) {
    if (skippedLines === 0 && buffered.charCodeAt(0) === 0xfeff) buffered = buffered.slice(1);
    const start = buffered.search(/\S/);
    if (start >= 0 && (buffered[start] === '[' || buffered[start] === '{')) break;
    const lineEnd = buffered.indexOf('\n');
    if (start >= 0 && lineEnd >= 0) {
      if (skippedLines === MAX_PREAMBLE_LINES) break;
      onWarning?.(`${name}: skipped non-JSON line ${skippedLines + 1}: ${buffered.slice(0, Math.min(lineEnd, 120)).trim()}`);
      buffered = buffered.slice(lineEnd + 1);
      skippedLines++;
      continue;
    }
    if (exhausted || buffered.length > MAX_FIRST_LINE) break;
    await more();
  }
  const first = buffered.trimStart()[0];
  if (first !== '[' && first !== '{') {
    const what = buffered.trim() === '' && skippedLines === 0 ? 'is empty' : 'does not contain a JSON array or object';
    throw new MinapayError('LEDGER_NOT_A_LEDGER', `${name}: ${what}; expected a ledger export`);
  }
  let format: LedgerFormat = 'array';
  if (first === '{') {
    while (!exhausted && buffered.indexOf('\n') < 0 && buffered.length <= MAX_FIRST_LINE) await more();
    format = isJsonLinesStart(buffered) ? 'jsonl' : 'wrapper';
  }
  const chunks = (async function* () {
    yield buffered;
    yield* texts;
  })();
  return { format, skippedLines, chunks };
}

function isJsonLinesStart(text: string): boolean {
  const lineEnd = text.indexOf('\n');
  const firstLine = lineEnd < 0 ? text : text.slice(0, lineEnd);
  try {
    const value: unknown = JSON.parse(firstLine);
    return typeof value === 'object' && value !== null && 'pk' in value;
  } catch {
    return false;
  }
}

/**
 * Names the input in a decoder's complaint. Invalid JSON in a file is
 * pinpointed by reading it again with stream-json's verifier, since the
 * tokenizer does not report positions; a one-shot stream keeps the character
 * range of the chunk that failed. (JSON Lines errors already name the line.)
 */
async function decodeError(failure: DecodeFailure, input: LedgerInput, format: LedgerFormat): Promise<MinapayError> {
  if (failure.code === 'LEDGER_INVALID_JSON' && input.reopenable && format !== 'jsonl') {
    const position = await invalidJsonPosition(input);
    if (position !== null) return new MinapayError(failure.code, `${input.name}: invalid JSON at ${position}`);
  }
  return new MinapayError(failure.code, `${input.name}: ${failure.message}`);
}

async function invalidJsonPosition(input: LedgerInput): Promise<string | null> {
  const located = await locateJsonStart(inputText(input, { bytes: 0 }), input.name, undefined);
  const verify = jsonVerifier() as (input: string | typeof none) => unknown;
  try {
    for await (const chunk of located.chunks) verify(chunk);
    verify(none);
  } catch (error) {
    const { line, pos, message } = error as { line?: number; pos?: number; message: string };
    if (line === undefined || pos === undefined) return null;
    const reason = message.replace(/^ERROR at .*?: /, '');
    return `line ${line + located.skippedLines}, column ${pos}: ${reason}`;
  }
  return null;
}
