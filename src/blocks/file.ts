import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';

import { MinapayError } from '../errors.js';
import { compareKeys } from '../ledger/account.js';
import type { BlockRecord } from './block.js';
import { parseBlock } from './parse.js';

/**
 * The blocks of a file: a JSON array of block records, or CSV with a header
 * row of the same field names (told apart by the first character). Sorted by
 * height, then state hash, so that the plan does not depend on file order.
 */
export async function readBlocksFile(path: string): Promise<BlockRecord[]> {
  const content = await readBlocksText(path);
  const first = content.trimStart()[0];
  const raws = first === '[' || first === '{' ? jsonRecords(content, path) : csvRecords(content, path);
  const blocks = raws.map(({ raw, where }) => parseBlock(raw, `${path}: ${where}`));
  const seen = new Map<string, string>();
  for (const [index, block] of blocks.entries()) {
    const where = raws[index]!.where;
    const first = seen.get(block.stateHash);
    if (first !== undefined) throw new MinapayError('BLOCKS_INVALID', `${path}: ${where} repeats block ${block.stateHash} of ${first}`);
    seen.set(block.stateHash, where);
  }
  return blocks.sort((a, b) => a.height - b.height || compareKeys(a.stateHash, b.stateHash));
}

async function readBlocksText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') throw new MinapayError('INPUT_NOT_FOUND', `${path}: cannot open blocks file (${code})`);
    throw new MinapayError('IO_ERROR', `${path}: read failed: ${(error as Error).message}`, { cause: error });
  }
}

interface RawRecord {
  readonly raw: unknown;
  readonly where: string;
}

function jsonRecords(content: string, path: string): RawRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw new MinapayError('BLOCKS_INVALID', `${path}: invalid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new MinapayError('BLOCKS_INVALID', `${path}: expected a JSON array of block records`);
  return parsed.map((raw, index) => ({ raw, where: `block ${index}` }));
}

function csvRecords(content: string, path: string): RawRecord[] {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(content, { columns: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new MinapayError('BLOCKS_INVALID', `${path}: invalid CSV: ${(error as Error).message}`);
  }
  // Row 1 is the header, so the first record is on row 2.
  return rows.map((raw, index) => ({ raw, where: `row ${index + 2}` }));
}
