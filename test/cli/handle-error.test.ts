import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';

import { handleError } from '../../src/cli/handle-error.js';
import { MinapayError } from '../../src/errors.js';
import { tempDir } from '../helpers.js';
import { runCli } from './run.js';

/** The o1js reference-vector private key: a real key's shape, published, so safe to print in a test. */
const PRIVATE_KEY = 'EKFKgDtU3rcuFTVSEpmpXSkukjmX4cKefYREi6Sdsk7E7wsT7KRw';

function printed(error: unknown): { code: number; line: string } {
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
  const code = handleError(error, { stdin: new PassThrough(), stdout: new PassThrough(), stderr, env: {} });
  return { code, line: Buffer.concat(chunks).toString('utf8') };
}

describe('handleError', () => {
  it('prints at most 1000 characters of any message, however long, saying how long it was', () => {
    const { code, line } = printed(new MinapayError('BLOCKS_INVALID', `blocks.json: block ${'x'.repeat(5_000_000)} is bad`));
    assert.equal(code, 65);
    assert.ok(line.length < 1100, `${line.length} characters`);
    assert.match(line, /^minapay: blocks\.json: block x+\.\.\. \(5000026 characters\) \[BLOCKS_INVALID\]\n$/);
    const internal = printed(new Error('y'.repeat(100_000)));
    assert.equal(internal.code, 70);
    assert.ok(internal.line.length < 1100);
  });

  it('hides a private key before cutting the message, so no part of one is left at the cut', () => {
    const { line } = printed(new MinapayError('USAGE', `${'a'.repeat(990)} ${PRIVATE_KEY}`));
    assert.doesNotMatch(line, /EK[1-9A-HJ-NP-Za-km-z]{3}/);
    assert.match(line, / <priv/);
  });
});

describe('hostile ledgers through the command line', () => {
  it('a pk nested 50,000 levels deep is bad data (exit 65), not an internal error', async () => {
    const ledger = join(tempDir(), 'deep.json');
    writeFileSync(ledger, `[{"pk": ${'['.repeat(50_000)}${']'.repeat(50_000)}, "balance": "1"}]`);
    const result = await runCli(['ledger', 'stats', ledger]);
    assert.equal(result.code, 65, result.stderr);
    assert.match(result.stderr, /deep\.json: account #0 has pk an array, not a B62 public key \[LEDGER_BAD_PUBLIC_KEY\]\n$/);
  });
});
