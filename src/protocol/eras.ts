import { MinapayError } from '../errors.js';
import { MAX_GLOBAL_SLOT } from './timing.js';

export type Network = 'mainnet' | 'devnet';

/**
 * A stretch of a network's history between hard forks, with the constants
 * payouts depend on. Epoch numbers restart at each era's first slot;
 * global slots since genesis run on across eras.
 */
export interface Era {
  readonly name: string;
  /** First global slot since genesis; null where it is not known for certain. */
  readonly firstGlobalSlot: number | null;
  /** When that slot began, ISO 8601 UTC; null where it is not known for certain. */
  readonly startTime: string | null;
  readonly slotDurationMs: number;
  readonly slotsPerEpoch: number;
  /** Base coinbase of a block, in nanomina. */
  readonly coinbase: bigint;
  /** How many coinbases a block pays when its winner has nothing locked (1: no supercharging). */
  readonly superchargeFactor: number;
  /** Where burned rewards are sent: an address nobody holds the key of; null where none is published for the network. */
  readonly burnAddress: string | null;
  /** Where the figures come from, and which are uncertain. */
  readonly source: string;
}

const MINA = 1_000_000_000n;
const SLOTS_PER_EPOCH = 7140;

const UNKNOWN_START = 'First slot and start time not known here: give --era-start-slot and --era-start-time';

/**
 * Mainnet's burn address, where the Mina Foundation's delegation program
 * had supercharged rewards sent (docs/protocol.md, "Foundation delegation
 * program rule"); no private key is known for it.
 */
export const MAINNET_BURN_ADDRESS = 'B62qiburnzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzmp7r7UN6X';
const MAINNET_BURN = { burnAddress: MAINNET_BURN_ADDRESS };
/** No burn address is published for devnet; --burn-address gives one. */
const NO_BURN = { burnAddress: null };

/** The protocol of each era, before a network's fork slot and time are known. */
const BERKELEY_RULES = { slotDurationMs: 180_000, slotsPerEpoch: SLOTS_PER_EPOCH, coinbase: 720n * MINA, superchargeFactor: 1 };
const MESA_RULES = { slotDurationMs: 90_000, slotsPerEpoch: SLOTS_PER_EPOCH, coinbase: 360n * MINA, superchargeFactor: 1 };

/** The network eras minapay knows. Every figure can be overridden (see withOverrides). */
export const ERAS: Readonly<Record<Network, readonly Era[]>> = {
  mainnet: [
    {
      name: '2021',
      firstGlobalSlot: 0,
      startTime: '2021-03-17T00:00:00.000Z',
      ...BERKELEY_RULES,
      ...MAINNET_BURN,
      superchargeFactor: 2,
      source: 'mainnet genesis: 180 s slots, 720 MINA, supercharged coinbase (MinaProtocol/mina staged_ledger.ml, block_producer.ml)',
    },
    {
      name: 'berkeley',
      firstGlobalSlot: 564_480,
      startTime: '2024-06-05T00:00:00.000Z',
      ...BERKELEY_RULES,
      ...MAINNET_BURN,
      source:
        'Berkeley hard fork, 3.0.0; MIP1 removed supercharging. First slot: FORK_1_START_SLOT of jrwashburn/mina-pool-payout, ' +
        'which is exactly 2024-06-05T00:00Z at 180 s slots from genesis',
    },
    {
      name: 'mesa',
      firstGlobalSlot: null,
      startTime: null,
      ...MESA_RULES,
      ...MAINNET_BURN,
      source: `Mesa hard fork (MIP6), 3 Sep 2026: 90 s slots, 360 MINA. ${UNKNOWN_START}`,
    },
  ],
  devnet: [
    {
      name: 'berkeley',
      firstGlobalSlot: null,
      startTime: null,
      ...BERKELEY_RULES,
      ...NO_BURN,
      source: `devnet after its Berkeley upgrade. ${UNKNOWN_START}`,
    },
    { name: 'mesa', firstGlobalSlot: null, startTime: null, ...MESA_RULES, ...NO_BURN, source: `devnet after its Mesa upgrade (MIP6). ${UNKNOWN_START}` },
  ],
};

/** Figures a user may set for one era, each replacing the table's; undefined keeps it. */
export type EraOverrides = { readonly [K in keyof Omit<Era, 'name' | 'source'>]?: Era[K] | undefined };

/** The era table of a network with one era's figures replaced. */
export function withOverrides(eras: readonly Era[], name: string, overrides: EraOverrides): Era[] {
  eraNamed(eras, name);
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return eras.map((era) => (era.name === name ? { ...era, ...given, source: `${era.source}; overridden: ${Object.keys(given).join(', ')}` } : era));
}

export function eraNamed(eras: readonly Era[], name: string): Era {
  const era = eras.find((candidate) => candidate.name === name);
  if (era === undefined) {
    throw new MinapayError('USAGE', `unknown era ${name}; known: ${eras.map((e) => e.name).join(', ')}`);
  }
  return era;
}

/** The era's first global slot, or an error naming the ways to supply it. */
export function eraStartSlot(era: Era): number {
  if (era.firstGlobalSlot === null) {
    throw new MinapayError(
      'ERA_START_UNKNOWN',
      `era ${era.name}: its first global slot is not known for certain; give it with --era-start-slot, ` +
        'or let minapay read it from the chain: --graphql URL (a daemon) or a blocks file of the epoch',
    );
  }
  return era.firstGlobalSlot;
}

/**
 * The coinbases a block of the era can carry: the base coinbase; base x
 * factor only in an era that supercharges (none has since Berkeley, MIP1);
 * and none at all, when its producer left the coinbase out of the block
 * (docs/protocol.md, "Coinbase and supercharge").
 */
export function eraCoinbases(era: Pick<Era, 'coinbase' | 'superchargeFactor'>): bigint[] {
  return [0n, era.coinbase, ...(era.superchargeFactor > 1 ? [era.coinbase * BigInt(era.superchargeFactor)] : [])];
}

/** The newest era whose first slot is known: the one to use when nothing says which. */
export function newestKnownEra(eras: readonly Era[]): Era {
  const known = eras.filter((era) => era.firstGlobalSlot !== null);
  const newest = known.at(-1);
  if (newest === undefined)
    throw new MinapayError('ERA_START_UNKNOWN', `no era of this network has a known first slot; give one with --era and --era-start-slot`);
  return newest;
}

/** A block's fork: its global slot since genesis less its slot since the hard fork is the fork's first slot, for every block of it. */
export function forkFirstSlot(block: { readonly globalSlotSinceGenesis: number; readonly globalSlotSinceHardFork: number }): number {
  return block.globalSlotSinceGenesis - block.globalSlotSinceHardFork;
}

/** How a command learned its era: named on the command line, read from the chain's own data, or the table's newest known. */
export type EraSource = 'option' | 'blocks' | 'archive' | 'daemon' | 'table';

/** What a chain's own data says of its fork: its first slot, and the coinbase and slot length where it gives them. */
export interface ChainEraFacts {
  readonly kind: Exclude<EraSource, 'option' | 'table'>;
  readonly firstGlobalSlot: number;
  /** A base coinbase seen on the chain (a block's, not supercharged), in nanomina. */
  readonly coinbase?: bigint | undefined;
  readonly slotDurationMs?: number | undefined;
  /** A daemon's consensus configuration says it; blocks do not. */
  readonly slotsPerEpoch?: number | undefined;
  /** When the fork's first slot began, ISO 8601 UTC (a daemon's genesis timestamp). */
  readonly startTime?: string | undefined;
  /** Where the facts were read, for messages and the plan's record: "blocks file F", "archive database", "daemon URL". */
  readonly source: string;
}

/**
 * The era of a chain that forked at `facts.firstGlobalSlot`: the table's era
 * that starts there; else the era after the last one whose start is known,
 * if the table knows it only by name (its start not yet published), now with
 * the start the chain shows; else a fork the table does not know at all,
 * with the newest era's rules. Figures the chain gives are checked against
 * the table's where both exist: a mismatch is an error naming both.
 */
export function eraOfChain(eras: readonly Era[], facts: ChainEraFacts): Era {
  const start = facts.firstGlobalSlot;
  const known = eras.filter((era) => era.firstGlobalSlot !== null);
  const last = known.at(-1);
  let era = eras.find((candidate) => candidate.firstGlobalSlot === start);
  if (era === undefined && last !== undefined && start <= last.firstGlobalSlot!) {
    throw new MinapayError('ERA_MISMATCH', `${facts.source}: the chain forked at global slot ${start}, where no era of the table starts (${eraStarts(eras)})`);
  }
  if (era === undefined) {
    const next = eras[last === undefined ? 0 : eras.indexOf(last) + 1];
    era =
      next === undefined
        ? unknownFork(eras.at(-1)!, start)
        : { ...next, firstGlobalSlot: start, source: `${next.source}; first slot ${start} from ${facts.source}` };
  }
  return checkedAgainstChain({ ...era, startTime: era.startTime ?? facts.startTime ?? null }, facts);
}

function eraStarts(eras: readonly Era[]): string {
  return eras.map((era) => `${era.name} at ${era.firstGlobalSlot ?? 'unknown'}`).join(', ');
}

/** A fork after every era the table knows: named by its first slot, with the newest era's rules until the chain says otherwise. */
function unknownFork(newest: Era, start: number): Era {
  return {
    ...newest,
    name: `fork-${start}`,
    firstGlobalSlot: start,
    startTime: null,
    source: `a fork at global slot ${start} that minapay's table does not know; rules of ${newest.name}`,
  };
}

function checkedAgainstChain(era: Era, facts: ChainEraFacts): Era {
  const unknown = era.name.startsWith('fork-');
  const mismatch = (what: string, table: string, chain: string) =>
    new MinapayError('ERA_MISMATCH', `${facts.source}: era ${era.name} has a ${what} of ${table} in minapay's table, but the chain shows ${chain}`);
  // Blocks of an era the table knows are each checked against it (checkBlocksOfEra), naming the block.
  if (facts.coinbase !== undefined && (unknown || facts.kind !== 'blocks') && !eraCoinbases(era).includes(facts.coinbase)) {
    if (!unknown) throw mismatch('coinbase', `${era.coinbase} nanomina`, `${facts.coinbase} nanomina`);
    // Since Berkeley no era supercharges (MIP1): a fork the table does not know pays the coinbase its blocks show.
    era = { ...era, coinbase: facts.coinbase, superchargeFactor: 1 };
  }
  if (facts.slotDurationMs !== undefined && facts.slotDurationMs !== era.slotDurationMs) {
    if (!unknown) throw mismatch('slot length', `${era.slotDurationMs / 1000} s`, `${facts.slotDurationMs / 1000} s`);
    era = { ...era, slotDurationMs: facts.slotDurationMs };
  }
  if (facts.slotsPerEpoch !== undefined && facts.slotsPerEpoch !== era.slotsPerEpoch) {
    if (!unknown) throw mismatch('epoch length', `${era.slotsPerEpoch} slots`, `${facts.slotsPerEpoch} slots`);
    era = { ...era, slotsPerEpoch: facts.slotsPerEpoch };
  }
  if (facts.startTime !== undefined && era.startTime !== null && facts.startTime !== era.startTime) {
    throw mismatch('start', era.startTime, facts.startTime);
  }
  return era;
}

export interface SlotRange {
  readonly first: number;
  readonly last: number;
}

/** The global slots since genesis of an epoch, counted from the era's first slot; an epoch past the protocol's last slot (u32) is refused. */
export function epochSlots(era: Era, epoch: number): SlotRange {
  const first = eraStartSlot(era) + epoch * era.slotsPerEpoch;
  const last = first + era.slotsPerEpoch - 1;
  if (last > MAX_GLOBAL_SLOT) throw new MinapayError('USAGE', `epoch ${epoch} of era ${era.name} runs past the last global slot ${MAX_GLOBAL_SLOT}`);
  return { first, last };
}

/** Wall-clock time (ms since 1970) at which a global slot of the era begins. */
export function slotStartTime(era: Era, slot: number): number {
  if (era.startTime === null) {
    throw new MinapayError('ERA_START_UNKNOWN', `era ${era.name}: its start time is not known for certain; give it with --era-start-time`);
  }
  return Date.parse(era.startTime) + (slot - eraStartSlot(era)) * era.slotDurationMs;
}

/**
 * When a global slot begins, ISO 8601 UTC; null when its era, or that era's
 * start, is not known for certain.
 */
export function slotTime(eras: readonly Era[], slot: number): string | null {
  const era = certainEra(erasPossiblyAt(eras, slot));
  if (era === undefined || era.startTime === null) return null;
  return new Date(slotStartTime(era, slot)).toISOString();
}

/** The global slot under way at a time (ms since 1970); null when its era is not known for certain. */
export function slotAtTime(eras: readonly Era[], time: number): number | null {
  const era = certainEra(erasPossibly(eras, (e) => (e.startTime === null ? null : Date.parse(e.startTime)), time));
  if (era === undefined || era.firstGlobalSlot === null || era.startTime === null) return null;
  return era.firstGlobalSlot + Math.floor((time - Date.parse(era.startTime)) / era.slotDurationMs);
}

export interface SlotPosition {
  readonly era: string;
  readonly epoch: number;
  readonly slotInEpoch: number;
}

/** The era and epoch a global slot falls in; null when its era is not known for certain. */
export function slotPosition(eras: readonly Era[], slot: number): SlotPosition | null {
  const era = certainEra(erasPossiblyAt(eras, slot));
  if (era === undefined) return null;
  const sinceStart = slot - eraStartSlot(era);
  return { era: era.name, epoch: Math.floor(sinceStart / era.slotsPerEpoch), slotInEpoch: sinceStart % era.slotsPerEpoch };
}

/**
 * The eras a global slot may belong to: the last era known to start at or
 * before it, and any later era whose start is not known.
 */
export function erasPossiblyAt(eras: readonly Era[], slot: number): Era[] {
  return erasPossibly(eras, (era) => era.firstGlobalSlot, slot);
}

/** The eras a point (a slot, or a time) may fall in, given where each era starts, if known. */
function erasPossibly(eras: readonly Era[], startOf: (era: Era) => number | null, point: number): Era[] {
  let possible: Era[] = [];
  for (const era of eras) {
    const start = startOf(era);
    if (start === null) possible.push(era);
    else if (start <= point) possible = [era];
    else break;
  }
  return possible;
}

function certainEra(possible: readonly Era[]): Era | undefined {
  return possible.length === 1 ? possible[0] : undefined;
}

/**
 * The supercharge factor at a global slot. Exact even when an era's start is
 * unknown, as long as every era the slot may fall in has the same factor.
 */
export function superchargeFactorAt(eras: readonly Era[], slot: number): number {
  const possible = erasPossiblyAt(eras, slot);
  if (possible.length === 0) throw new MinapayError('USAGE', `slot ${slot} is before the first era`);
  const factors = new Set(possible.map((era) => era.superchargeFactor));
  if (factors.size === 1) return (possible[0] as Era).superchargeFactor;
  throw new MinapayError(
    'ERA_START_UNKNOWN',
    `slot ${slot} may fall in era ${possible.map((e) => e.name).join(' or ')}, which differ in supercharging; give --era and --era-start-slot`,
  );
}
