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
