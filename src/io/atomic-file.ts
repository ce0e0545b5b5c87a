import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { MinapayError } from '../errors.js';

/**
 * Writes `content` to `path` so that readers see either the old file or the
 * whole new one, never a part: write a temp file beside it, fsync, rename,
 * fsync the directory. On failure the temp file is removed.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const directory = dirname(path);
  const temp = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let stage = 'create';
  try {
    const file = await open(temp, 'wx', 0o644);
    try {
      stage = 'write';
      await file.writeFile(content, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    stage = 'rename';
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw new MinapayError('OUTPUT_CANNOT_CREATE', `${path}: cannot ${stage} output (${describeFsError(error)})`, { cause: error });
  }
  await syncDirectory(directory);
}

/** Makes the rename itself durable; some filesystems refuse, which is harmless. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => null);
  if (handle === null) return;
  await handle.sync().catch(() => {});
  await handle.close();
}

function describeFsError(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}
