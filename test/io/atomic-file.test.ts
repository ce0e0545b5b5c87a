import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { MinapayError } from '../../src/errors.js';
import { writeFileAtomic } from '../../src/io/atomic-file.js';
import { tempDir } from '../helpers.js';

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
});
