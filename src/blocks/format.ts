import { formatCsv } from '../io/csv.js';
import type { BlockRecord } from './block.js';

/** The documented fields of a block record, in the order files carry them. */
export const BLOCK_FIELDS = [
  'height',
  'stateHash',
  'globalSlotSinceGenesis',
  'globalSlotSinceHardFork',
  'creator',
  'winner',
  'coinbaseReceiver',
  'coinbase',
  'feeTransferToReceiver',
  'feeTransferViaCoinbase',
] as const satisfies readonly (keyof BlockRecord)[];

/** A block record as JSON data: amounts as nanomina strings, so no reader loses precision. */
export function blockJson(block: BlockRecord): Record<(typeof BLOCK_FIELDS)[number], string | number> {
  return {
    height: block.height,
    stateHash: block.stateHash,
    globalSlotSinceGenesis: block.globalSlotSinceGenesis,
    globalSlotSinceHardFork: block.globalSlotSinceHardFork,
    creator: block.creator,
    winner: block.winner,
    coinbaseReceiver: block.coinbaseReceiver,
    coinbase: block.coinbase.toString(),
    feeTransferToReceiver: block.feeTransferToReceiver.toString(),
    feeTransferViaCoinbase: block.feeTransferViaCoinbase.toString(),
  };
}

/** A blocks file that readBlocksFile reads back to the same records. */
export function formatBlocks(blocks: readonly BlockRecord[], format: 'json' | 'csv'): string {
  if (format === 'json') return `${JSON.stringify(blocks.map(blockJson), null, 2)}\n`;
  return formatCsv(
    blocks.map((block) => BLOCK_FIELDS.map((field) => String(blockJson(block)[field]))),
    BLOCK_FIELDS,
  );
}
