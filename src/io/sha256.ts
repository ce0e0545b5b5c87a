import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

import { MinapayError } from '../errors.js';

/** Hex sha256 of a file's bytes, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MinapayError(
      code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' ? 'INPUT_NOT_FOUND' : 'IO_ERROR',
      `${path}: cannot read (${code ?? (error as Error).message})`,
    );
  }
  return hash.digest('hex');
}
