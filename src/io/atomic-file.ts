import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { isMinapayError, MinapayError } from '../errors.js';

/**
 * Writes `content` to `path` so that readers see either the old file or the
 * whole new one, never a part: write a temp file beside it, fsync, rename,
 * fsync the directory. On failure the temp file is removed.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await landFile(await writeTempFile(path, [content]), path);
}

/** Temp files are hidden and end in .tmp, so that listings skip them and a later run can sweep up a killed run's. */
export function isTempFileName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

/**
 * Writes `chunks` to a new hidden temp file beside `path` and fsyncs it;
 * returns its path. If the chunks fail (a bad input, say) or the write does,
 * the temp file is removed and the chunks' own error passes through.
 */
export async function writeTempFile(path: string, chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>): Promise<string> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let stage = 'create';
  try {
    const file = await open(temp, 'wx', 0o644);
    try {
      stage = 'write';
      for await (const chunk of chunks) await (typeof chunk === 'string' ? file.write(chunk, null, 'utf8') : file.write(chunk));
      await file.sync();
    } finally {
      await file.close();
    }
  } catch (error) {
    await unlink(temp).catch(() => {});
    if (isMinapayError(error)) throw error;
    throw outputError(path, stage, error);
  }
  return temp;
}

/** Renames a temp file from writeTempFile onto `path`, durably; on failure the temp file is removed. */
export async function landFile(temp: string, path: string): Promise<void> {
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw outputError(path, 'rename', error);
  }
  await syncDirectory(dirname(path));
}

/** Makes a rename or an unlink itself durable; some filesystems refuse, which is harmless. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => null);
  if (handle === null) return;
  await handle.sync().catch(() => {});
  await handle.close();
}

function outputError(path: string, stage: string, error: unknown): MinapayError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new MinapayError('OUTPUT_CANNOT_CREATE', `${path}: cannot ${stage} output (${reason})`, { cause: error });
}
