import { readFile } from 'node:fs/promises';

import { MinapayError } from '../errors.js';

/** A whole input file as text; `what` names it in errors ("blocks file", "plan"). */
export async function readInputText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') throw new MinapayError('INPUT_NOT_FOUND', `${path}: cannot open ${what} (${code})`);
    throw new MinapayError('IO_ERROR', `${path}: read failed: ${(error as Error).message}`, { cause: error });
  }
}
