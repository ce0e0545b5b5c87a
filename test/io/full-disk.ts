import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

import { type ChunkWriter, useChunkWriter } from '../../src/io/atomic-file.js';

/**
 * Two ways to run out of disk space in a test. A real small filesystem
 * (tmpfs, which needs root and a kernel that lets the test mount), and
 * otherwise an injected write(2) that behaves as the kernel's does on a full
 * disk: it takes what fits and returns the short count, then fails with
 * ENOSPC.
 */

/** The kernel's error for a write on a full disk. */
function noSpace(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
}

/** Writes at most what fits in `room`, as write(2) does; `room` shrinks as it is used. */
async function writeWithin(file: FileHandle, bytes: Uint8Array, room: { bytes: number }): Promise<number> {
  if (room.bytes <= 0) throw noSpace();
  const { bytesWritten } = await file.write(bytes.subarray(0, Math.min(bytes.length, room.bytes)));
  room.bytes -= bytesWritten;
  return bytesWritten;
}

/**
 * Makes every minapay write go to a disk with `bytes` bytes left (for files
 * whose path `counts` accepts; others are written as usual), until the test
 * ends or `restore` is called.
 */
export function diskWithRoom(t: TestContext, bytes: number, counts: (path: string) => boolean = () => true): { restore: () => void } {
  const room = { bytes };
  const writer: ChunkWriter = async (file, chunk, path) => (counts(path) ? writeWithin(file, chunk, room) : (await file.write(chunk)).bytesWritten);
  useChunkWriter(writer);
  const restore = () => useChunkWriter(undefined);
  t.after(restore);
  return { restore };
}

/** Makes every minapay write(2) take at most `bytes` bytes, as the kernel may without failing, until the test ends. */
export function shortWrites(t: TestContext, bytes: number): void {
  useChunkWriter(async (file, chunk) => (await file.write(chunk.subarray(0, bytes))).bytesWritten);
  t.after(() => useChunkWriter(undefined));
}

/** A temp file's name starts with its target's: `.plan.json.<pid>.<random>.tmp`. */
export const tempFileOf =
  (name: string) =>
  (path: string): boolean =>
    path.includes(`/.${name}.`);

export interface SmallDisk {
  readonly dir: string;
  /** Fills the disk until `leave` bytes (whole 4 KiB pages) are free. */
  fill(leave: number): void;
  /** Frees what fill took. */
  free(): void;
}

export const PAGE = 4096;

/**
 * A tmpfs of `kib` KiB mounted on a fresh directory, unmounted when the test
 * ends; null (and the test skipped, saying why) where mounting is not
 * permitted.
 */
export function smallDisk(t: TestContext, kib: number): SmallDisk | null {
  const dir = mkdtempSync(join(tmpdir(), 'minapay-small-disk-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', dir], { encoding: 'utf8', timeout: 10_000 });
  if (mounted.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    t.skip(`cannot mount a small tmpfs here (${(mounted.stderr || mounted.error?.message || 'mount failed').trim()}); the injected full-disk test covers it`);
    return null;
  }
  t.after(() => {
    spawnSync('umount', ['-l', dir], { timeout: 10_000 });
    rmSync(dir, { recursive: true, force: true });
  });
  const filler = join(dir, 'filler');
  return {
    dir,
    fill(leave) {
      const { bavail, bsize } = statfsSync(dir);
      writeFileSync(filler, Buffer.alloc(Number(bavail) * Number(bsize) - leave));
    },
    free: () => rmSync(filler, { force: true }),
  };
}

/** The 4 KiB pages a file of `bytes` bytes takes on tmpfs. */
export const pages = (bytes: number): number => Math.ceil(bytes / PAGE);
