import { open, readFile } from 'node:fs/promises';

import { MinapayError } from '../errors.js';

/**
 * send-log.jsonl: what `payout send` did, one JSON record per line,
 * appended and fsynced one at a time. `broadcasting` is on disk before its
 * request leaves, so after a crash every payment that may have reached the
 * daemon has a record naming its nonce and hash.
 */
export type SendRecord =
  | { readonly event: 'broadcasting'; readonly nonce: string; readonly hash: string; readonly at: string }
  /** how: sent (the daemon took it now), duplicate (it already had it), confirmed (found by a later run). */
  | { readonly event: 'accepted'; readonly nonce: string; readonly hash: string; readonly how: 'sent' | 'duplicate' | 'confirmed'; readonly at: string }
  | { readonly event: 'rejected'; readonly nonce: string; readonly hash: string; readonly reason: string; readonly at: string };

/** Where a signed payment stands by its latest record. */
export type PaymentState = 'broadcasting' | 'accepted' | 'rejected';

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
  const known = record['event'] === 'broadcasting' || record['event'] === 'accepted' || record['event'] === 'rejected';
  if (!known || typeof record['nonce'] !== 'string' || typeof record['hash'] !== 'string')
    throw new MinapayError('SEND_LOG_INVALID', `${where} is not a send record (event, nonce, hash)`);
  return record as unknown as SendRecord;
}

/** The latest state of each payment hash in the log. */
export function paymentStates(records: readonly SendRecord[]): Map<string, PaymentState> {
  return new Map(records.map((record) => [record.hash, record.event]));
}

/** Opens the log for appending; each record is durable before append resolves. */
export async function openSendLog(path: string): Promise<SendLogWriter> {
  const handle = await open(path, 'a', 0o644).catch((error: NodeJS.ErrnoException) => {
    throw new MinapayError('OUTPUT_CANNOT_CREATE', `${path}: cannot open send log (${error.code})`);
  });
  return {
    async append(record) {
      await handle.write(`${JSON.stringify(record)}\n`);
      await handle.datasync();
    },
    close: () => handle.close(),
  };
}
