// One contender for a lock, as its own process: says "ready", waits for the
// go file, tries the lock, says "won" (and holds it a while) or the error
// code. Run by test/io/lock-file.test.ts, eight at once, on the compiled src
// (test/cli/compiled.ts): plain JavaScript, so that each starts without tsx.
//
//   node lock-contender.mjs COMPILED_SRC_DIR LOCK GO_FILE HOLD_MS
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

const [compiled, lock, go, holdMs] = process.argv.slice(2);
const { isMinapayError } = await import(pathToFileURL(join(compiled, 'errors.js')).href);
const { acquireLock } = await import(pathToFileURL(join(compiled, 'io', 'lock-file.js')).href);
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
