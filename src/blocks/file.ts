import { MinapayError } from '../errors.js';
import { fileRecords } from '../io/records.js';
import { readInputText } from '../io/text-file.js';
import { compareKeys } from '../ledger/account.js';
import type { BlockRecord } from './block.js';
import { parseBlock } from './parse.js';

/**
 * The blocks of a file: a JSON array of block records, or CSV with a header
 * row of the same field names (told apart by the first character). Sorted by
 * height, then state hash, so that the plan does not depend on file order.
 */
export async function readBlocksFile(path: string): Promise<BlockRecord[]> {
  return parseBlocks(await readInputText(path, 'blocks file'), path);
}

/** The blocks of a blocks file's text; `path` names it in errors. */
export function parseBlocks(content: string, path: string): BlockRecord[] {
  const raws = fileRecords(content, path, 'block', (message) => new MinapayError('BLOCKS_INVALID', message));
  const wellFormedKeys = new Set<string>();
  const blocks = raws.map(({ raw, where }) => parseBlock(raw, `${path}: ${where}`, wellFormedKeys));
  const seen = new Map<string, string>();
  for (const [index, block] of blocks.entries()) {
    const where = raws[index]!.where;
    const first = seen.get(block.stateHash);
    if (first !== undefined) throw new MinapayError('BLOCKS_INVALID', `${path}: ${where} repeats block ${block.stateHash} of ${first}`);
    seen.set(block.stateHash, where);
  }
  return blocks.sort((a, b) => a.height - b.height || compareKeys(a.stateHash, b.stateHash));
}
