import { MinapayError } from '../errors.js';
import { slotStartTime, type Era, type SlotRange } from './eras.js';
import type { Threshold } from './vrf-threshold.js';

/**
 * Which slots a producer's delegators win, where they sit in time, and what
 * became of them on chain. The VRF message carries the slot since the hard
 * fork, so an epoch's slots are counted from its era's start.
 */

/** Eras whose blocks were won with the pre-Berkeley VRF (another hash and another group map), which minapay does not evaluate. */
const PRE_BERKELEY_ERAS: ReadonlySet<string> = new Set(['2021']);

export function checkKimchiVrfEra(era: Era): void {
  if (PRE_BERKELEY_ERAS.has(era.name)) {
    throw new MinapayError(
      'VRF_PRE_BERKELEY',
      `era ${era.name}: epochs before the Berkeley hard fork used a different VRF hash; minapay evaluates post-Berkeley epochs only`,
    );
  }
}

/** An epoch's slots since the era's hard fork (the VRF's global_slot). */
export function epochSlotsSinceHardFork(era: Era, epoch: number): SlotRange {
  const first = epoch * era.slotsPerEpoch;
  return { first, last: first + era.slotsPerEpoch - 1 };
}

/** A part of the epoch, `A-B` in slots of the epoch (0 to slots per epoch - 1), as slots since the hard fork. */
export function slotRangeInEpoch(era: Era, epoch: number, firstInEpoch: number, lastInEpoch: number): SlotRange {
  const epochRange = epochSlotsSinceHardFork(era, epoch);
  if (firstInEpoch > lastInEpoch || lastInEpoch >= era.slotsPerEpoch) {
    throw new MinapayError('USAGE', `--slot-range ${firstInEpoch}-${lastInEpoch} is not within the epoch's slots 0-${era.slotsPerEpoch - 1}`);
  }
  return { first: epochRange.first + firstInEpoch, last: epochRange.first + lastInEpoch };
}

export interface SlotPlace {
  readonly sinceHardFork: number;
  /** null when the era's first slot is not known for certain. */
  readonly sinceGenesis: number | null;
  readonly inEpoch: number;
  /** ISO 8601 UTC start of the slot; null where the era's start is not known. */
  readonly time: string | null;
}

/** Where a slot since the era's hard fork sits; the slot is the era's by construction, so a later era of unknown start does not blur it. */
export function slotPlace(era: Era, sinceHardFork: number): SlotPlace {
  const sinceGenesis = era.firstGlobalSlot === null ? null : era.firstGlobalSlot + sinceHardFork;
  return {
    sinceHardFork,
    sinceGenesis,
    inEpoch: sinceHardFork % era.slotsPerEpoch,
    time: sinceGenesis === null || era.startTime === null ? null : new Date(slotStartTime(era, sinceGenesis)).toISOString(),
  };
}

/** A delegator that can win: its ledger index, and its threshold (above the 2^-20 floor). */
export interface EligibleDelegator {
  readonly index: number;
  readonly pk: string;
  readonly balance: bigint;
  readonly threshold: Threshold;
}

/** A slot one of the producer's delegators won, as the daemon would produce it. */
export interface WonSlot {
  readonly slot: number;
  readonly delegator: EligibleDelegator;
  readonly truncated: bigint;
  /** How many of the producer's delegators won the slot (the daemon produces one block). */
  readonly winners: number;
}

/** A canonical block at a slot, from a block file or the archive. */
export interface CanonicalBlock {
  readonly slotSinceHardFork: number;
  readonly creator: string;
  readonly winner: string;
  readonly stateHash: string;
}

export type SlotOutcome = 'produced' | 'lost' | 'missed' | 'pending';

export interface MarkedSlot {
  readonly outcome: SlotOutcome;
  /** The canonical block at the slot, when there is one. */
  readonly block: CanonicalBlock | undefined;
}

/**
 * What became of each won slot: `produced` when the producer's block is
 * canonical at it, `lost` when another producer's is, `missed` when the
 * chain has no block there, `pending` when the chain has not reached it yet
 * (`observedUpTo`: the last slot since the hard fork the blocks cover; null
 * when they cover the whole range).
 */
export function markWonSlots(won: readonly WonSlot[], canonical: readonly CanonicalBlock[], producer: string, observedUpTo: number | null): MarkedSlot[] {
  const bySlot = new Map<number, CanonicalBlock>();
  for (const block of canonical) bySlot.set(block.slotSinceHardFork, block);
  return won.map((slot) => {
    const block = bySlot.get(slot.slot);
    if (block !== undefined) return { outcome: block.creator === producer ? 'produced' : 'lost', block };
    return { outcome: observedUpTo !== null && slot.slot > observedUpTo ? 'pending' : 'missed', block: undefined };
  });
}
