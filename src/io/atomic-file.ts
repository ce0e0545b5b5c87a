import { randomBytes } from 'node:crypto';
import { type FileHandle, open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { isMinapayError, MinapayError } from '../errors.js';
import { inRuns, type TextPieces } from './text-pieces.js';

/**
 * One write(2) of `bytes` at the file's position: resolves to how many bytes
 * the system took, which on a full disk may be fewer than given. `path` is
 * the file's own (a temp file's, for atomic output).
 */
export type ChunkWriter = (file: FileHandle, bytes: Uint8Array, path: string) => Promise<number>;

const systemWrite: ChunkWriter = async (file, bytes) => (await file.write(bytes)).bytesWritten;
let writeChunk: ChunkWriter = systemWrite;

/**
 * Replaces the write(2) every minapay output goes through, or restores the
 * system's with `undefined`. Only tests call it: a disk that fills up at a
 * chosen byte cannot be had otherwise without root.
 */
export function useChunkWriter(writer: ChunkWriter | undefined): void {
  writeChunk = writer ?? systemWrite;
}

/**
 * Writes all of `bytes` at the file's position, again and again until the
 * system has taken every byte: a single write may take only part of them.
 * A write that takes nothing without saying why is a full disk.
 */
export async function writeWhole(file: FileHandle, bytes: Uint8Array, path: string): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) {
    const written = await writeChunk(file, bytes.subarray(offset), path);
    if (written <= 0) throw Object.assign(new Error(`wrote ${offset} of ${bytes.length} bytes`), { code: 'ENOSPC' });
    offset += written;
  }
}

/**
 * The error of a failed write. A full disk (or quota) has its own code: it
 * is cured by freeing space and running again, not by fixing a path.
 */
export function writeError(path: string, action: string, error: unknown): MinapayError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  if (reason === 'ENOSPC' || reason === 'EDQUOT') {
    return new MinapayError('OUTPUT_DISK_FULL', `${path}: cannot ${action}: no space left on the device (${reason}); free space and run again`, {
      cause: error,
    });
  }
  return new MinapayError('OUTPUT_CANNOT_CREATE', `${path}: cannot ${action} (${reason})`, { cause: error });
}

/** One file of a group that lands together; a large text may come in pieces (see text-pieces.ts). */
export interface OutputFile {
  readonly path: string;
  readonly content: TextPieces | Uint8Array;
}

/**
 * Writes `content` to `path` so that readers see either the old file or the
 * whole new one, never a part: write a temp file beside it, fsync, rename,
 * fsync the directory. On failure the temp file is removed.
 */
export async function writeFileAtomic(path: string, content: TextPieces | Uint8Array): Promise<void> {
  await writeFilesAtomic([{ path, content }]);
}

/**
 * How a group of files is made durable. `each`: every temp file is fsynced
 * before it lands and its directory after (what state files need). `once`:
 * for outputs that can be written again from the state (thousands of
 * statements), no file is fsynced and each directory once, after all have
 * landed: each file still lands whole by its rename, but after a crash one
 * may be empty, and a rerun rewrites it. 5,000 fsyncs take 10 to 25 s here.
 */
export type Durability = 'each' | 'once';
/** How many unsynced files are written at once. */
const UNSYNCED_BATCH = 32;

/**
 * Writes files that belong together (an epoch's plan and report, say) so
 * that they land together or not at all: every temp file is written whole
 * and fsynced before the first is renamed, and then they are renamed in the
 * order given. Put last the file whose presence says the others are there.
 */
export async function writeFilesAtomic(files: readonly OutputFile[], durability: Durability = 'each'): Promise<void> {
  await (await stageFiles(files, durability)).land();
}

/** Temp files written whole and fsynced, waiting to land. */
export interface StagedFiles {
  /** Renames each temp file onto its path, in order; when one fails, it and those after it are removed and the error passes. */
  land(): Promise<void>;
  /** Removes the temp files: nothing lands. */
  discard(): Promise<void>;
}

/** Writes a temp file for each file; if one fails, those already written are removed and nothing lands. */
export async function stageFiles(files: readonly OutputFile[], durability: Durability = 'each'): Promise<StagedFiles> {
  const temps: string[] = [];
  // Unsynced files cost a few system calls each: written many at a time, they take a quarter of the time.
  const batch = durability === 'once' ? UNSYNCED_BATCH : 1;
  try {
    for (let start = 0; start < files.length; start += batch) {
      const written = await Promise.allSettled(
        files.slice(start, start + batch).map((file) => writeTempFile(file.path, contentChunks(file.content), durability)),
      );
      for (const result of written) if (result.status === 'fulfilled') temps.push(result.value);
      const failed = written.find((result) => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    }
  } catch (error) {
    await removeFiles(temps);
    throw error;
  }
  return {
    async land() {
      for (const [index, file] of files.entries()) {
        try {
          await landFile(temps[index]!, file.path, durability);
        } catch (error) {
          await removeFiles(temps.slice(index + 1));
          throw error;
        }
      }
      if (durability === 'once') for (const directory of new Set(files.map((file) => dirname(file.path)))) await syncDirectory(directory);
    },
    discard: () => removeFiles(temps),
  };
}

function contentChunks(content: TextPieces | Uint8Array): Iterable<string | Uint8Array> {
  return content instanceof Uint8Array ? [content] : inRuns(content);
}

async function removeFiles(paths: readonly string[]): Promise<void> {
  for (const path of paths) await unlink(path).catch(() => {});
}

/** Temp files are hidden and end in .tmp, so that listings skip them and a later run can sweep up a killed run's. */
export function isTempFileName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

/** Removes the temp files a run killed with SIGKILL left in `directory`. Only under the lock of whatever writes there: no other run is writing one. */
export async function sweepTempFiles(directory: string): Promise<void> {
  for (const name of await readdir(directory)) {
    if (isTempFileName(name)) await unlink(join(directory, name)).catch(() => {});
  }
}

/** What one file's text is encoded into, piece by piece: three bytes for each of a run's 64 Ki UTF-16 units at most (text-pieces.ts), and room. */
const ENCODED_BYTES = 256 * 1024;

/**
 * What gives the UTF-8 of each string written to one file: in one buffer,
 * written again and again, instead of a buffer per piece (at a plan of
 * 20,000 lines those pieces were 20 MB of buffers that V8 collects late,
 * memory outside its heap, and the plan's peak). The buffer is made at the
 * first string, no larger than it needs, and grown once to ENCODED_BYTES if
 * a later one needs more; a longer string gets a buffer of its own. Each
 * encoding is written before the next is made.
 */
function utf8Encoder(): (text: string) => Buffer {
  let buffer: Buffer | undefined;
  return (text) => {
    const most = text.length * 3;
    if (most > ENCODED_BYTES) return Buffer.from(text, 'utf8');
    if (buffer === undefined || buffer.length < most) buffer = Buffer.allocUnsafe(buffer === undefined ? most : ENCODED_BYTES);
    return buffer.subarray(0, buffer.write(text, 'utf8'));
  };
}

/**
 * Writes `chunks` to a new hidden temp file beside `path` and fsyncs it;
 * returns its path. Every chunk is written whole (writeWhole): a full disk
 * fails here, never as a short file. If the chunks fail (a bad input, say)
 * or the write does, the temp file is removed and the chunks' own error
 * passes through.
 */
export async function writeTempFile(
  path: string,
  chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
  durability: Durability = 'each',
): Promise<string> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let stage = 'create';
  try {
    const file = await open(temp, 'wx', 0o644);
    try {
      stage = 'write';
      const encode = utf8Encoder();
      for await (const chunk of chunks) await writeWhole(file, typeof chunk === 'string' ? encode(chunk) : chunk, temp);
      if (durability === 'each') await file.sync();
    } finally {
      await file.close();
    }
  } catch (error) {
    await unlink(temp).catch(() => {});
    if (isMinapayError(error)) throw error;
    throw writeError(path, `${stage} output`, error);
  }
  return temp;
}

/** Renames a temp file from writeTempFile onto `path` (durably, with `each`); on failure the temp file is removed. */
export async function landFile(temp: string, path: string, durability: Durability = 'each'): Promise<void> {
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw writeError(path, 'rename output', error);
  }
  if (durability === 'each') await syncDirectory(dirname(path));
}

/** Makes a rename or an unlink itself durable; some filesystems refuse, which is harmless. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => null);
  if (handle === null) return;
  await handle.sync().catch(() => {});
  await handle.close();
}
