import { randomBytes } from 'node:crypto';
import { link, open, readFile, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

import { MinapayError } from '../errors.js';
import { safeWholeNumber } from '../protocol/whole-number.js';
import { writeError } from './atomic-file.js';

/** Tries to take a lock; between tries, another run may be taking over a stale one. */
const MAX_ATTEMPTS = 100;
const TAKEOVER_WAIT_MS = 10;

/**
 * An exclusive lock held by a file naming the holder's pid. The file appears
 * whole or not at all (written aside, then hard-linked into place), so no
 * run ever sees a lock without its holder. A lock whose holder is gone
 * (killed, even with SIGKILL) is taken over, so that a crashed run never
 * blocks the next one; a live holder gives LOCKED.
 */
export async function acquireLock(path: string, what: string): Promise<() => Promise<void>> {
  const claim = await writeClaim(path);
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      try {
        await link(claim, path);
        return () => releaseLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError(path, 'create lock file', error);
      }
      const holder = await lockHolder(path);
      if (typeof holder === 'number' && holder !== process.pid && isAlive(holder)) {
        throw new MinapayError('LOCKED', `${path}: ${what} is already running (pid ${holder}); try again when it has finished`);
      }
      await removeStaleLock(path, claim);
    }
  } finally {
    await unlink(claim).catch(() => {});
  }
  throw new MinapayError('LOCKED', `${path}: another run keeps taking the lock of ${what}`);
}

/** This run's lock file, complete and fsynced, beside the lock. */
async function writeClaim(path: string): Promise<string> {
  const claim = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.claim`;
  try {
    const handle = await open(claim, 'wx', 0o600);
    try {
      await handle.writeFile(`${process.pid}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await unlink(claim).catch(() => {});
    throw writeError(path, 'create lock file', error);
  }
  return claim;
}

/**
 * Removes a lock whose holder is gone. Several runs may find the same dead
 * holder; only the one holding `<lock>.takeover` may remove the lock, and
 * only after looking again: a lock file is never removed after someone else
 * has taken it. (A takeover guard left by a run killed in those few
 * microseconds is itself removed once its holder is gone.)
 */
async function removeStaleLock(path: string, claim: string): Promise<void> {
  const guard = `${path}.takeover`;
  try {
    await link(claim, guard);
  } catch {
    const taker = await lockHolder(guard);
    // Already gone: try again at once. Removing it "again" could remove the guard another run has taken meanwhile.
    if (taker === 'missing') return;
    if (typeof taker === 'number' && isAlive(taker)) await sleep(TAKEOVER_WAIT_MS);
    else await unlink(guard).catch(() => {});
    return;
  }
  try {
    const holder = await lockHolder(path);
    if (holder !== 'missing' && (holder === 'unreadable' || holder === process.pid || !isAlive(holder))) await unlink(path).catch(() => {});
  } finally {
    await unlink(guard).catch(() => {});
  }
}

/** Removes the lock if it is still this run's. */
async function releaseLock(path: string): Promise<void> {
  if ((await lockHolder(path)) === process.pid) await unlink(path).catch(() => {});
}

/** The pid a lock file names; `unreadable` for a file that names none (damaged), `missing` when there is no file. */
async function lockHolder(path: string): Promise<number | 'unreadable' | 'missing'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  const pid = safeWholeNumber(text.trim());
  return pid !== null && pid > 0 ? pid : 'unreadable';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
