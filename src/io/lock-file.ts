import { open, readFile, unlink } from 'node:fs/promises';

import { MinapayError } from '../errors.js';

/**
 * An exclusive lock held by a file naming the holder's pid. A lock whose
 * holder is gone (killed, even with SIGKILL) is taken over, so that a
 * crashed run never blocks the next one; a live holder gives LOCKED.
 */
export async function acquireLock(path: string, what: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.sync();
      await handle.close();
      return async () => {
        await unlink(path).catch(() => {});
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new MinapayError('OUTPUT_CANNOT_CREATE', `${path}: cannot create lock file (${(error as NodeJS.ErrnoException).code})`);
      }
    }
    const holder = await lockHolder(path);
    if (holder !== null && holder !== process.pid && isAlive(holder)) {
      throw new MinapayError('LOCKED', `${path}: ${what} is already running (pid ${holder}); try again when it has finished`);
    }
    await unlink(path).catch(() => {});
  }
  throw new MinapayError('LOCKED', `${path}: another run keeps taking the lock of ${what}`);
}

async function lockHolder(path: string): Promise<number | null> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
