import { type FileHandle, open, readFile } from 'node:fs/promises';

import { MinapayError } from '../errors.js';
import { writeError, writeWhole } from '../io/atomic-file.js';

/**
 * send-log.jsonl: what `payout send` did and saw, one JSON record per line,
 * appended and fsynced one at a time. `broadcasting` is on disk before its
 * request leaves, so after a crash every payment that may have reached the
 * daemon has a record naming its nonce and hash. The later records are what
 * the daemon (or the archive database) showed of the payment itself (by its
 * ID and hash), never what the daemon answered to a broadcast: a payment's
 * lifecycle is signed (no record), broadcasting, accepted (in the daemon's
 * pool), included (on the best chain, fewer blocks deep than the confirmations
 * asked for), final (at least that deep), or failed (on the best chain with a
 * failure status) or void (another transaction took its nonce); rejected is
 * a refusal the next run looks into. Failed and void become `final` too once
 * the block that shows it is deep enough: only then is the payee unpaid for
 * certain, and may be paid anew.
 */
export type SendRecord =
  | { readonly event: 'broadcasting'; readonly nonce: string; readonly hash: string; readonly at: string }
  /**
   * The daemon's pool holds the payment. how: sent (the daemon took it from this broadcast), confirmed (found in the pool by
   * its ID), duplicate (logs of earlier versions only, which took a "Duplicate" answer on trust: looked up again like any other).
   */
  | { readonly event: 'accepted'; readonly nonce: string; readonly hash: string; readonly how: 'sent' | 'confirmed' | 'duplicate'; readonly at: string }
  /** The payment is on the best chain, in this block, `depth` blocks below the tip (logs of earlier versions have no depth). */
  | ({ readonly event: 'included'; readonly nonce: string; readonly hash: string; readonly block: BlockRef; readonly at: string } & Sighting)
  /** The payment is applied in a block at least the confirmations asked for below the tip: paid. */
  | ({ readonly event: 'final'; readonly nonce: string; readonly hash: string; readonly block: BlockRef; readonly at: string } & Required<Sighting>)
  /** The payment is on the best chain but failed there (its fee is spent and its nonce used): reason is the chain's. */
  | ({
      readonly event: 'failed';
      readonly nonce: string;
      readonly hash: string;
      readonly block: BlockRef;
      readonly reason: string;
      readonly at: string;
    } & Sighting &
      Settled)
  /**
   * The sender's committed nonce had passed the payment's nonce while the daemon (and the archive) knew the payment neither in
   * its pool nor on its best chain: another transaction took the nonce (takenBy, in block, when a chain shows which).
   */
  | ({
      readonly event: 'void';
      readonly nonce: string;
      readonly hash: string;
      readonly committedNonce: string;
      readonly takenBy: string | null;
      readonly block?: BlockRef | null;
      readonly at: string;
    } & Sighting &
      Settled)
  | { readonly event: 'rejected'; readonly nonce: string; readonly hash: string; readonly reason: string; readonly at: string }
  /**
   * The daemon had taken the payment and no longer has it (an eviction, a restart), its nonce still free, and it is not
   * broadcast again now: it waits out its back-off, or (exhausted) it was broadcast as often as allowed and waits for a person.
   */
  | { readonly event: 'dropped'; readonly nonce: string; readonly hash: string; readonly broadcasts: number; readonly exhausted: boolean; readonly at: string };

/** Where a block that shows a payment (or what took its nonce) stood when it was seen. */
export interface Sighting {
  /** Blocks above it on the best chain then: 0 for the tip. */
  readonly depth?: number;
  /** Which chain showed it: the daemon's best chain, or the archive database's canonical chain (by ancestry). */
  readonly source?: ChainSource;
}

export type ChainSource = 'daemon' | 'archive';

/** A failed or void payment is settled (its payee unpaid for certain) once the block showing it is deep enough. */
export interface Settled {
  readonly final?: boolean;
}

/** A block of the best chain, as the daemon names it. */
export interface BlockRef {
  readonly height: string;
  readonly stateHash: string;
}

/** Where a signed payment stands by its latest record. */
export type PaymentState = SendRecord['event'];

const PAYMENT_STATES: readonly PaymentState[] = ['broadcasting', 'accepted', 'included', 'final', 'failed', 'void', 'rejected', 'dropped'];

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

/** What the log says of one payment: its latest record, and how often and when it was broadcast. */
export interface PaymentHistory {
  readonly latest: SendRecord;
  readonly broadcasts: number;
  /** When the last broadcast was logged. */
  readonly lastBroadcastAt: string | null;
  /** The daemon took the payment into its pool after its last broadcast: a later absence is a drop, not a lost request. */
  readonly acceptedSinceBroadcast: boolean;
}

/** Each payment hash's history in the log. */
export function paymentHistories(records: readonly SendRecord[]): Map<string, PaymentHistory> {
  const histories = new Map<string, PaymentHistory>();
  for (const record of records) {
    const before = histories.get(record.hash);
    const broadcast = record.event === 'broadcasting';
    histories.set(record.hash, {
      latest: record,
      broadcasts: (before?.broadcasts ?? 0) + (broadcast ? 1 : 0),
      lastBroadcastAt: broadcast ? record.at : (before?.lastBroadcastAt ?? null),
      acceptedSinceBroadcast: broadcast ? false : (before?.acceptedSinceBroadcast ?? false) || record.event === 'accepted',
    });
  }
  return histories;
}

/** Whether a payment's latest record leaves nothing more to find out: final, or failed or void for certain. */
export function isSettled(record: SendRecord | undefined): boolean {
  if (record === undefined) return false;
  return record.event === 'final' || ((record.event === 'failed' || record.event === 'void') && record.final === true);
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
