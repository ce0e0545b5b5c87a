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
