import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { MinapayError } from '../../src/errors.js';
import { openSendLog, readSendLog, type SendRecord } from '../../src/payout/send-log.js';
import { tempDir } from '../helpers.js';
import { diskWithRoom, shortWrites } from '../io/full-disk.js';

const HASH = '5JuY2TU8G7pg6jizXUpZ6rTBfSGQGjwCDXzPyTN4LwFMGBmLDGCB';
const broadcasting = (nonce: string): SendRecord => ({ event: 'broadcasting', nonce, hash: HASH, at: 'T' });
const accepted = (nonce: string): SendRecord => ({ event: 'accepted', nonce, hash: HASH, how: 'sent', at: 'T' });
const line = (record: SendRecord) => `${JSON.stringify(record)}\n`;

describe('the send log', () => {
  it('cuts a torn last record off before appending, so every record after it reads back', async () => {
    const path = join(tempDir(), 'send-log.jsonl');
    // Power lost while the second record was written: half of it is on disk, without its newline.
    writeFileSync(path, line(broadcasting('9')) + line(accepted('9')).slice(0, 30));
    assert.deepEqual(await readSendLog(path), [broadcasting('9')], 'the reader ignores the torn record');
    const log = await openSendLog(path);
    assert.equal(readFileSync(path, 'utf8'), line(broadcasting('9')), 'cut off on open, before anything is appended');
    await log.append(broadcasting('10'));
    await log.close();
    assert.deepEqual(await readSendLog(path), [broadcasting('9'), broadcasting('10')]);
  });

  it('appends a record whole or not at all: on a full disk the log stays as it was, and the next append works', async (t) => {
    const path = join(tempDir(), 'send-log.jsonl');
    writeFileSync(path, line(broadcasting('9')));
    const log = await openSendLog(path);
    const disk = diskWithRoom(t, 20);
    await assert.rejects(log.append(accepted('9')), (error: unknown) => {
      return (
        error instanceof MinapayError &&
        error.code === 'OUTPUT_DISK_FULL' &&
        error.message ===
          `${path}: cannot append the accepted record of nonce 9 to the send log: no space left on the device (ENOSPC); free space and run again`
      );
    });
    assert.equal(readFileSync(path, 'utf8'), line(broadcasting('9')), 'the 20 bytes that fitted are taken back');
    disk.restore();
    await log.append(accepted('9'));
    await log.close();
    assert.deepEqual(await readSendLog(path), [broadcasting('9'), accepted('9')]);
  });

  it('writes on after a short write: a record is not cut where the system took only part of it', async (t) => {
    const path = join(tempDir(), 'send-log.jsonl');
    const log = await openSendLog(path);
    shortWrites(t, 20);
    await log.append(broadcasting('9'));
    await log.close();
    assert.deepEqual(await readSendLog(path), [broadcasting('9')]);
  });
});
