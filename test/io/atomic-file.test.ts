import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { MinapayError } from '../../src/errors.js';
import { writeFileAtomic, writeFilesAtomic } from '../../src/io/atomic-file.js';
import { tempDir } from '../helpers.js';
import { diskWithRoom, shortWrites, tempFileOf } from './full-disk.js';

const diskFull = (path: string) => (error: unknown) =>
  error instanceof MinapayError &&
  error.code === 'OUTPUT_DISK_FULL' &&
  error.message.startsWith(`${path}: cannot write output: no space left on the device (ENOSPC)`) &&
  !error.message.includes('\n');

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temp file behind', async () => {
    const dir = tempDir();
    const path = join(dir, 'out.json');
    writeFileSync(path, 'old');
    await writeFileAtomic(path, 'new content\n');
    assert.equal(readFileSync(path, 'utf8'), 'new content\n');
    assert.deepEqual(readdirSync(dir), ['out.json']);
  });

  it('fails with OUTPUT_CANNOT_CREATE when the directory does not exist', async () => {
    const dir = tempDir();
    await assert.rejects(writeFileAtomic(join(dir, 'missing', 'out.json'), 'x'), (error: unknown) => {
      return error instanceof MinapayError && error.code === 'OUTPUT_CANNOT_CREATE' && /missing\/out\.json: cannot create output/.test(error.message);
    });
    assert.deepEqual(readdirSync(dir), []);
  });

  it('writes on after a short write until every byte is written', async (t) => {
    const dir = tempDir();
    const path = join(dir, 'plan.json');
    // A write(2) may take fewer bytes than given without failing.
    shortWrites(t, 1000);
    const content = 'x'.repeat(4357);
    await writeFileAtomic(path, content);
    assert.equal(readFileSync(path, 'utf8'), content);
  });

  it('on a full disk fails with OUTPUT_DISK_FULL, keeping the old file and no temp file; with space again it writes', async (t) => {
    const dir = tempDir();
    const path = join(dir, 'plan.json');
    writeFileSync(path, 'old');
    const content = 'x'.repeat(4357);
    // Room for 4,096 of its 4,357 bytes: the first write takes those, the next fails.
    const disk = diskWithRoom(t, 4096);
    await assert.rejects(writeFileAtomic(path, content), diskFull(path));
    assert.equal(readFileSync(path, 'utf8'), 'old');
    assert.deepEqual(readdirSync(dir), ['plan.json']);
    disk.restore();
    await writeFileAtomic(path, content);
    assert.equal(readFileSync(path, 'utf8'), content);
  });
});

describe('writeFilesAtomic', () => {
  it('lands every file, in order, or none: a full disk on the last file leaves the first as it was', async (t) => {
    const dir = tempDir();
    const report = join(dir, 'report.csv');
    const plan = join(dir, 'plan.json');
    writeFileSync(report, 'old report');
    writeFileSync(plan, 'old plan');
    const files = [
      { path: report, content: 'new report' },
      { path: plan, content: 'new plan '.repeat(1000) },
    ];
    diskWithRoom(t, 100, tempFileOf('plan.json'));
    await assert.rejects(writeFilesAtomic(files), diskFull(plan));
    assert.equal(readFileSync(report, 'utf8'), 'old report');
    assert.equal(readFileSync(plan, 'utf8'), 'old plan');
    assert.deepEqual(readdirSync(dir).sort(), ['plan.json', 'report.csv']);
  });
});
