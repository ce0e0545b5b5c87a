import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { ROOT } from '../helpers.js';

/** The formatter's width (biome.json); it cannot break strings or comments, so this checks them. */
const LINE_WIDTH = 160;

function trackedFiles(...patterns: string[]): string[] {
  return execFileSync('git', ['ls-files', '--', ...patterns], { cwd: ROOT, encoding: 'utf8', timeout: 10_000 })
    .split('\n')
    .filter(Boolean);
}

describe('the repository', () => {
  it('has no line of code over the formatter width', () => {
    const long = trackedFiles('src', 'test', 'bench', 'bin').flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, index) => (line.length > LINE_WIDTH ? [`${file}:${index + 1} (${line.length})`] : [])),
    );
    assert.deepEqual(long, []);
  });

  it('reads and cites nothing outside itself', () => {
    const outside = ['..', 'shared'].join('/');
    const citing = trackedFiles('.').filter((file) => !file.endsWith('.gz') && readFileSync(join(ROOT, file), 'utf8').includes(outside));
    assert.deepEqual(citing, []);
  });
});
