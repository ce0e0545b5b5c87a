import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';

import { MinapayError } from '../../src/errors.js';
import { acquireLock } from '../../src/io/lock-file.js';
import { compiledSrc } from '../cli/compiled.js';
import { ROOT, tempDir } from '../helpers.js';
import { killedWithTest, outputsEnded, within } from '../processes.js';

/** The pid of a process that has exited: a lock it held is stale. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' });
  assert.equal(child.error, undefined, 'the short-lived process did not run');
  return Number(child.stdout);
}

interface Contender {
  /** Resolves once the contender waits for the go file; rejects if it exits before. */
  readonly ready: Promise<void>;
  /** What it said after the contest; rejects if it exited other than with 0. */
  readonly outcome: Promise<string>;
}

/** One contender process, killed when the test `t` ends. */
function contender(t: TestContext, lock: string, go: string, holdMs: number): Contender {
  const child = spawn(process.execPath, [join(ROOT, 'test', 'io', 'lock-contender.mjs'), compiledSrc(), lock, go, String(holdMs)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stderr = '';
  let readied: () => void;
  const ready = new Promise<void>((resolve) => (readied = resolve));
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    output += text;
    if (output.startsWith('ready\n')) readied();
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const outcome = Promise.all([killedWithTest(t, child), outputsEnded(child)]).then(([{ code, signal }]) => {
    if (code !== 0) throw new Error(`contender ${child.pid} exited with ${code ?? signal} after saying ${JSON.stringify(output)}: ${stderr}`);
    return output.replace('ready\n', '').trim();
  });
  // Rejected with the outcome's reason if the contender is gone before it is ready.
  return { ready: Promise.race([ready, outcome.then(() => Promise.reject(new Error(`contender ${child.pid} exited before it was ready`)))]), outcome };
}

describe('acquireLock', () => {
  it('refuses a lock held by a live process and takes over one whose holder is gone', async () => {
    const dir = tempDir();
    const lock = join(dir, 'x.lock');
    writeFileSync(lock, `${process.ppid}\n`);
    await assert.rejects(
      acquireLock(lock, 'the test'),
      (error: unknown) => error instanceof MinapayError && error.code === 'LOCKED' && error.message.includes(`pid ${process.ppid}`),
    );
    for (const stale of [`${deadPid()}\n`, '', 'garbage']) {
      writeFileSync(lock, stale);
      const release = await acquireLock(lock, 'the test');
      assert.equal(readFileSync(lock, 'utf8'), `${process.pid}\n`);
      await release();
      assert.equal(existsSync(lock), false);
    }
    assert.deepEqual(readdirSync(dir), [], 'no claim or stale file is left beside the lock');
  });

  it('lets exactly one of eight processes take over the same stale lock at once', async (t) => {
    for (let round = 0; round < 2; round += 1) {
      const dir = tempDir();
      const lock = join(dir, 'x.lock');
      const go = join(dir, 'go');
      writeFileSync(lock, `${deadPid()}\n`);
      const contenders = Array.from({ length: 8 }, () => contender(t, lock, go, 1000));
      await within('eight contenders to be ready', 30_000, Promise.all(contenders.map((c) => c.ready)));
      writeFileSync(go, '');
      const outcomes = await within('the contest to end', 30_000, Promise.all(contenders.map((c) => c.outcome)));
      assert.equal(outcomes.filter((outcome) => outcome === 'won').length, 1, outcomes.join(', '));
      assert.deepEqual(
        outcomes.filter((outcome) => outcome !== 'won'),
        Array(7).fill('LOCKED'),
      );
      assert.deepEqual(readdirSync(dir), ['go']);
    }
  });
});
