import { MinapayError } from '../errors.js';
import { formatMina } from '../protocol/amounts.js';
import { eraCoinbases, forkFirstSlot, type ChainEraFacts, type Era } from '../protocol/eras.js';

/**
 * One block the pool produced, as every block source (a file, the archive
 * database) hands it to the payout plan. Amounts are nanomina.
 */
export interface BlockRecord {
  readonly height: number;
  readonly stateHash: string;
  readonly globalSlotSinceGenesis: number;
  readonly globalSlotSinceHardFork: number;
  /** The block producer's key. */
  readonly creator: string;
  /** The delegating account whose stake won the slot. */
  readonly winner: string;
  readonly coinbaseReceiver: string;
  readonly coinbase: bigint;
  /** Transaction fees transferred to the coinbase receiver. */
  readonly feeTransferToReceiver: bigint;
  /** Snark-work fees paid out of the coinbase. */
  readonly feeTransferViaCoinbase: bigint;
}

/** What the producer keeps of a block: coinbase + fees to it - snark fees paid from the coinbase. */
export function blockReward(block: BlockRecord): bigint {
  return block.coinbase + block.feeTransferToReceiver - block.feeTransferViaCoinbase;
}

/** What an era pays a block (src/protocol/eras.ts). */
export type EraCoinbase = Pick<Era, 'name' | 'coinbase' | 'superchargeFactor'>;

/**
 * What the chain allows of the blocks to be paid for, wherever they come
 * from (`source`: a blocks file, the archive): each coinbase is one the era
 * pays, and no two blocks share a height, since only one block per height
 * can be canonical and paying both would pay for a block that never was.
 */
export function checkBlocksOfEra(blocks: readonly BlockRecord[], era: EraCoinbase, source: string): void {
  const coinbases = eraCoinbases(era);
  const atHeight = new Map<number, BlockRecord>();
  for (const block of blocks) {
    const rival = atHeight.get(block.height);
    if (rival !== undefined) {
      throw new MinapayError(
        'BLOCKS_INVALID',
        `${source}: blocks ${rival.stateHash} and ${block.stateHash} are both at height ${block.height}: only one block per height can be canonical`,
      );
    }
    atHeight.set(block.height, block);
    if (!coinbases.includes(block.coinbase)) {
      throw new MinapayError(
        'BLOCKS_INVALID',
        `${source}: block ${block.stateHash} at height ${block.height} has a coinbase of ${formatMina(block.coinbase)} MINA, ` +
          `which era ${era.name} does not pay (${coinbases.map((amount) => formatMina(amount)).join(', ')} MINA)`,
      );
    }
  }
}

/**
 * What blocks say of their fork: its first slot (the same for every block
 * of it) and a coinbase it paid. Null for no blocks. Blocks of two forks
 * cannot be one epoch's: refused.
 */
export function blocksChainFacts(blocks: readonly BlockRecord[], source: string, kind: ChainEraFacts['kind']): ChainEraFacts | null {
  const [first] = blocks;
  if (first === undefined) return null;
  const other = blocks.find((block) => forkFirstSlot(block) !== forkFirstSlot(first));
  if (other !== undefined) {
    throw new MinapayError(
      'BLOCKS_INVALID',
      `${source}: blocks ${first.stateHash} and ${other.stateHash} are of two forks (first global slots ${forkFirstSlot(first)} and ${forkFirstSlot(other)})`,
    );
  }
  // The smallest coinbase paid is the base one (a supercharged block pays a multiple of it).
  let coinbase: bigint | undefined;
  for (const block of blocks) if (block.coinbase > 0n && (coinbase === undefined || block.coinbase < coinbase)) coinbase = block.coinbase;
  return { kind, source, firstGlobalSlot: forkFirstSlot(first), coinbase };
}
