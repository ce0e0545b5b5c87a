import { MinapayError } from '../errors.js';

/** Why an input cannot be read that the user fixes by naming another file: it is missing, a directory, or not theirs to read. */
const NOT_THERE = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM']);

/** The one mapping of a failed read of an input to minapay's errors: INPUT_NOT_FOUND (66) or IO_ERROR (74). */
export function inputReadError(path: string, what: string, error: unknown): MinapayError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && NOT_THERE.has(code)) return new MinapayError('INPUT_NOT_FOUND', `${path}: cannot open ${what} (${code})`, { cause: error });
  return new MinapayError('IO_ERROR', `${path}: cannot read ${what} (${code ?? (error as Error).message})`, { cause: error });
}
