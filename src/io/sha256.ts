import { createHash } from 'node:crypto';

import { fileReadStream } from './file-reads.js';
import { inputReadError } from './input-error.js';

/** Hex sha256 of a file's bytes, streamed; `what` names it in errors. */
export async function sha256File(path: string, what = 'file'): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of fileReadStream(path)) hash.update(chunk as Buffer);
  } catch (error) {
    throw inputReadError(path, what, error);
  }
  return hash.digest('hex');
}
