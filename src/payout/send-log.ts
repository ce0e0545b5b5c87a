import { type FileHandle, open, readFile } from 'node:fs/promises';

import { MinapayError } from '../errors.js';
import { writeError, writeWhole } from '../io/atomic-file.js';

/**
 * send-log.jsonl: what `payout send` did and saw, one JSON record per line,
 * appended and fsynced one at a time. `broadcasting` is on disk before its
 * request leaves, so after a crash every payment that may have reached the
 * daemon has a record naming its nonce and hash. The later records are what
 * the daemon showed of the payment itself (by its ID and hash), never what
 * it answered to a broadcast: a payment's lifecycle is signed (no record),
 * broadcasting, accepted (in the daemon's pool), included or failed (on the
 * best chain), or void (another transaction took its nonce); rejected is a
 * refusal the next run looks into.
 */
export type SendRecord =
  | { readonly event: 'broadcasting'; readonly nonce: string; readonly hash: string; readonly at: string }
  /**
   * The daemon's pool holds the payment. how: sent (the daemon took it from this broadcast), confirmed (found in the pool by
   * its ID), duplicate (logs of earlier versions only, which took a "Duplicate" answer on trust: looked up again like any other).
   */
  | { readonly event: 'accepted'; readonly nonce: string; readonly hash: string; readonly how: 'sent' | 'confirmed' | 'duplicate'; readonly at: string }
  /** The payment is on the daemon's best chain, in this block. */
  | { readonly event: 'included'; readonly nonce: string; readonly hash: string; readonly block: BlockRef; readonly at: string }
  /** The payment is on the best chain but failed there (its fee is spent and its nonce used): reason is the chain's. */
  | { readonly event: 'failed'; readonly nonce: string; readonly hash: string; readonly block: BlockRef; readonly reason: string; readonly at: string }
  /**
   * The sender's committed nonce had passed the payment's nonce while the daemon knew the payment neither in its pool nor on
   * its best chain: another transaction took the nonce (takenBy, when the best chain shows which). Never sent again.
   */
  | {
      readonly event: 'void';
      readonly nonce: string;
      readonly hash: string;
      readonly committedNonce: string;
      readonly takenBy: string | null;
      readonly at: string;
    }
  | { readonly event: 'rejected'; readonly nonce: string; readonly hash: string; readonly reason: string; readonly at: string };

/** A block of the best chain, as the daemon names it. */
export interface BlockRef {
  readonly height: string;
  readonly stateHash: string;
}

/** Where a signed payment stands by its latest record. */
export type PaymentState = SendRecord['event'];

const PAYMENT_STATES: readonly PaymentState[] = ['broadcasting', 'accepted', 'included', 'failed', 'void', 'rejected'];

export interface SendLogWriter {
  append(record: SendRecord): Promise<void>;
  close(): Promise<void>;
}

/** The records of a send log; none when there is no log yet. A torn last line (a crash mid-write) was never acted on and is ignored. */
export async function readSendLog(path: string): Promise<SendRecord[]> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw new MinapayError('IO_ERROR', `${path}: cannot read send log (${error.code})`);
  });
  // Whatever follows the last newline is either nothing or a torn record.
  const complete = text.split('\n').slice(0, -1);
  return complete.filter((line) => line !== '').map((line, index) => sendRecord(line, `${path}: line ${index + 1}`));
}

function sendRecord(line: string, where: string): SendRecord {
  let record: Partial<Record<string, unknown>>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new MinapayError('SEND_LOG_INVALID', `${where} is not a JSON record`);
  }
  const known = PAYMENT_STATES.includes(record['event'] as PaymentState);
  if (!known || typeof record['nonce'] !== 'string' || typeof record['hash'] !== 'string')
    throw new MinapayError('SEND_LOG_INVALID', `${where} is not a send record (event, nonce, hash)`);
  return record as unknown as SendRecord;
}

/** The latest state of each payment hash in the log. */
export function paymentStates(records: readonly SendRecord[]): Map<string, PaymentState> {
  return new Map(records.map((record) => [record.hash, record.event]));
}

/**
 * Opens the log for appending. A torn last record (a crash or a full disk
 * mid-write: no final newline) was never acted on, for nothing is done until
 * its append has resolved; it is cut off, durably, before anything is
 * appended after it. Each record is then written whole or not at all, and
 * is durable before append resolves.
 */
export async function openSendLog(path: string): Promise<SendLogWriter> {
  const handle = await open(path, 'a+', 0o644).catch((error: NodeJS.ErrnoException) => {
    throw new MinapayError('OUTPUT_CANNOT_CREATE', `${path}: cannot open send log (${error.code})`);
  });
  let length: number;
  try {
    length = await cutTornRecord(handle, path);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return {
    async append(record) {
      const bytes = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
      try {
        await writeWhole(handle, bytes, path);
        await handle.datasync();
      } catch (error) {
        // Part of a record is taken back, so the log ends in a whole record; should that fail too, the next open cuts it.
        await handle
          .truncate(length)
          .then(() => handle.datasync())
          .catch(() => {});
        throw writeError(path, `append the ${record.event} record of nonce ${record.nonce} to the send log`, error);
      }
      length += bytes.length;
    },
    close: () => handle.close(),
  };
}

/** Truncates the log to just after its last newline (and fsyncs) when something follows it; resolves to the log's length. */
async function cutTornRecord(handle: FileHandle, path: string): Promise<number> {
  try {
    const content = await handle.readFile();
    if (content.length === 0 || content[content.length - 1] === NEWLINE) return content.length;
    const whole = content.lastIndexOf(NEWLINE) + 1;
    await handle.truncate(whole);
    await handle.datasync();
    return whole;
  } catch (error) {
    throw writeError(path, 'cut off the torn last record of the send log', error);
  }
}

const NEWLINE = 0x0a;
