/** The protocol keeps global slots as u32. */
export const MAX_GLOBAL_SLOT = 0xffff_ffff;

/** An account's vesting schedule: amounts in nanomina, slots since genesis. */
export interface Timing {
  readonly initialMinimumBalance: bigint;
  readonly cliffTime: number;
  readonly cliffAmount: bigint;
  readonly vestingPeriod: number;
  readonly vestingIncrement: bigint;
}

/**
 * Nanomina an account cannot spend at a global slot since genesis: the
 * protocol's `min_balance_at_slot` (MinaProtocol/mina src/lib/mina_base/account.ml).
 */
export function lockedAt(timing: Timing, slot: number): bigint {
  if (slot < timing.cliffTime) return timing.initialMinimumBalance;
  if (timing.vestingPeriod === 0) return 0n;
  const periods = BigInt(Math.floor((slot - timing.cliffTime) / timing.vestingPeriod));
  const locked = timing.initialMinimumBalance - timing.cliffAmount - periods * timing.vestingIncrement;
  return locked > 0n ? locked : 0n;
}

/**
 * The first global slot at which nothing is locked, or null when that never
 * happens within the protocol's u32 slots (a vesting increment of 0 with
 * something left after the cliff, or a schedule longer than 2^32 slots).
 */
export function unlockSlot(timing: Timing): number | null {
  const { initialMinimumBalance, cliffTime, cliffAmount, vestingPeriod, vestingIncrement } = timing;
  // Nothing was ever locked: the account is free from genesis, before any cliff.
  if (initialMinimumBalance === 0n) return 0;
  if (initialMinimumBalance <= cliffAmount || vestingPeriod === 0) return cliffTime;
  if (vestingIncrement === 0n) return null;
  const remaining = initialMinimumBalance - cliffAmount;
  const periods = (remaining + vestingIncrement - 1n) / vestingIncrement;
  const slot = BigInt(cliffTime) + periods * BigInt(vestingPeriod);
  return slot <= BigInt(MAX_GLOBAL_SLOT) ? Number(slot) : null;
}

/**
 * An account's schedule rewritten at a hard fork that halves the slot time
 * (Mesa, MIP6: 180 s to 90 s), so that it keeps unlocking on the same
 * wall-clock cadence: the migration the daemon applies to the ledger at the
 * fork (MIP6, appendix "Vesting parameter updates"). Only an account still
 * vesting at `forkSlot` changes: before its cliff, the cliff moves twice as
 * many slots away and the period doubles; after it, what is still locked
 * becomes the new initial minimum, the next unlock becomes the new cliff
 * (one increment), and the period doubles. Slots past the protocol's u32
 * range are clamped to its last slot, as the migration clamps them.
 */
export function timingAfterSlotHalving(timing: Timing, forkSlot: number): Timing {
  if (!vestingAt(timing, forkSlot)) return timing;
  const slot = BigInt(forkSlot);
  const cliff = BigInt(timing.cliffTime);
  const period = BigInt(timing.vestingPeriod);
  if (slot < cliff) return { ...timing, cliffTime: clampedSlot(slot + (cliff - slot) * 2n), vestingPeriod: clampedSlot(period * 2n) };
  const sinceCliff = slot - cliff;
  return {
    initialMinimumBalance: timing.initialMinimumBalance - timing.cliffAmount - timing.vestingIncrement * (sinceCliff / period),
    cliffTime: clampedSlot(slot + 2n * (period - (sinceCliff % period))),
    cliffAmount: timing.vestingIncrement,
    vestingPeriod: clampedSlot(period * 2n),
    vestingIncrement: timing.vestingIncrement,
  };
}

/** MIP6's "actively vesting": before the cliff, or after it with increments still to unlock. */
function vestingAt(timing: Timing, slot: number): boolean {
  if (slot < timing.cliffTime) return true;
  if (timing.vestingIncrement <= 0n || timing.vestingPeriod === 0) return false;
  const remaining = timing.initialMinimumBalance - timing.cliffAmount;
  const iterations = (remaining + timing.vestingIncrement - 1n) / timing.vestingIncrement;
  return iterations * BigInt(timing.vestingPeriod) + BigInt(timing.cliffTime) > BigInt(slot);
}

function clampedSlot(slot: bigint): number {
  return slot > BigInt(MAX_GLOBAL_SLOT) ? MAX_GLOBAL_SLOT : Number(slot);
}
