/**
 * One contender for a lock, as its own process: says "ready", waits for the
 * go file, tries the lock, says "won" (and holds it a while) or the error
 * code. Run by test/io/lock-file.test.ts.
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import { isMinapayError } from '../../src/errors.js';
import { acquireLock } from '../../src/io/lock-file.js';

const [lock, go, holdMs] = process.argv.slice(2) as [string, string, string];
/** A contender whose test is gone gives up rather than wait for ever. */
const GO_DEADLINE_MS = 60_000;
process.stdout.write('ready\n');
const waitingSince = Date.now();
while (!existsSync(go)) {
  if (Date.now() - waitingSince > GO_DEADLINE_MS) {
    process.stderr.write(`no go file ${go} within ${GO_DEADLINE_MS} ms\n`);
    process.exit(2);
  }
  await sleep(1);
}
try {
  const release = await acquireLock(lock, 'the contest');
  process.stdout.write('won\n');
  await sleep(Number(holdMs));
  await release();
} catch (error) {
  process.stdout.write(`${isMinapayError(error) ? error.code : String(error)}\n`);
}
