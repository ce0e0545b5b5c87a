import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import { inputReadError } from './input-error.js';

/** A whole input file as text; `what` names it in errors ("blocks file", "plan"). */
export async function readInputText(path: string, what: string): Promise<string> {
  return (await readInputFile(path, what)).text;
}

/** An input's text and the sha256 of the very bytes it was decoded from. */
export interface HashedText {
  readonly text: string;
  readonly sha256: string;
}

/** Reads an input once: what is parsed and what is hashed are the same bytes. */
export async function readInputFile(path: string, what: string): Promise<HashedText> {
  const bytes = await readFile(path).catch((error: unknown) => {
    throw inputReadError(path, what, error);
  });
  return { text: bytes.toString('utf8'), sha256: createHash('sha256').update(bytes).digest('hex') };
}
