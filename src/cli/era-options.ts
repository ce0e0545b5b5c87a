import type { Argv } from 'yargs';

import { MinapayError } from '../errors.js';
import {
  ERAS,
  eraNamed,
  eraOfChain,
  newestKnownEra,
  withOverrides,
  type ChainEraFacts,
  type Era,
  type EraOverrides,
  type EraSource,
  type Network,
} from '../protocol/eras.js';
import type { CliContext } from './context.js';
import { MAX_GLOBAL_SLOT } from '../protocol/timing.js';
import { minaOption, nonNegativeInteger, publicKeyOption, type RawArgs } from './options.js';

/** The options of eraOptions: the help shows them together, after the command's own. */
export const ERA_OPTION_NAMES = [
  'era',
  'era-start-slot',
  'era-start-time',
  'slot-duration',
  'slots-per-epoch',
  'coinbase',
  'supercharge-factor',
  'burn-address',
];

/** Options that pick an era and override any of its figures. */
export function eraOptions(yargs: Argv): Argv {
  return yargs
    .option('era', { type: 'string', describe: "era the figures below apply to (default: the network's latest)" })
    .option('era-start-slot', { type: 'number', describe: "era's first global slot since genesis" })
    .option('era-start-time', { type: 'string', describe: "era's start, ISO 8601 UTC (2026-09-03T00:00:00Z)" })
    .option('slot-duration', { type: 'number', describe: 'seconds per slot in the era' })
    .option('slots-per-epoch', { type: 'number', describe: 'slots per epoch in the era' })
    .option('coinbase', { type: 'string', describe: "the era's base coinbase, in MINA" })
    .option('supercharge-factor', { type: 'number', describe: 'coinbases paid to an unlocked winner (1: none)' })
    .option('burn-address', { type: 'string', describe: "where burned rewards go (default: the network's burn address)" });
}

export interface EraSelection {
  /** The network's era table with the user's overrides applied, and a fork the chain showed that the table does not know. */
  readonly eras: readonly Era[];
  readonly era: Era;
  /** How the era was chosen, as a plan records it: named (--era), the chain's data (blocks, archive, daemon) or the table. */
  readonly learnedFrom: EraSource;
  /** What to say on stderr when minapay chose the era without anything naming it; null otherwise. */
  readonly notice: string | null;
}

/**
 * The era of a command's epoch: the one --era names; else the one the
 * chain's own data shows (`chain`, from an input that carries its fork);
 * else the newest era whose first slot is known. Era figures given without
 * --era (--era-start-slot, say) are of the network's newest era, so giving
 * its start is enough to choose it.
 */
export function eraSelection(args: RawArgs, network: Network, chain: ChainEraFacts | null = null): EraSelection {
  const table = ERAS[network];
  const overrides = eraOverrides(args);
  if (typeof args['era'] === 'string') {
    const eras = withOverrides(table, args['era'], overrides);
    const era = eraNamed(eras, args['era']);
    if (chain !== null) checkNamedEra(era, chain);
    return { eras, era, learnedFrom: 'option', notice: null };
  }
  if (chain !== null) {
    const detected = eraOfChain(table, chain);
    const withDetected = table.some((era) => era.name === detected.name)
      ? table.map((era) => (era.name === detected.name ? detected : era))
      : [...table, detected];
    const eras = withOverrides(withDetected, detected.name, overrides);
    return { eras, era: eraNamed(eras, detected.name), learnedFrom: chain.kind, notice: null };
  }
  const eras = withOverrides(table, table.at(-1)!.name, overrides);
  const era = newestKnownEra(eras);
  const notice = `era ${era.name} (first global slot ${era.firstGlobalSlot}), the newest whose start minapay knows; name another with --era`;
  return { eras, era, learnedFrom: 'table', notice };
}

/** An era named on the command line must be the chain's own, where the input shows its fork. */
function checkNamedEra(era: Era, chain: ChainEraFacts): void {
  if (era.firstGlobalSlot !== null && era.firstGlobalSlot !== chain.firstGlobalSlot) {
    throw new MinapayError(
      'ERA_MISMATCH',
      `${chain.source}: the chain forked at global slot ${chain.firstGlobalSlot}, but --era ${era.name} starts at ${era.firstGlobalSlot}`,
    );
  }
}

/** Says which era minapay chose, when nothing named it, unless --quiet. */
export function announceEra(selection: EraSelection, context: CliContext, quiet: boolean): void {
  if (selection.notice !== null && !quiet) context.stderr.write(`minapay: ${selection.notice}\n`);
}

function eraOverrides(args: RawArgs): EraOverrides {
  const optional = <T>(key: string, read: (value: unknown) => T): T | undefined => (args[key] === undefined ? undefined : read(args[key]));
  return {
    firstGlobalSlot: optional('era-start-slot', (v) => nonNegativeInteger(v, '--era-start-slot', { max: MAX_GLOBAL_SLOT })),
    startTime: optional('era-start-time', (v) => isoTime(v, '--era-start-time')),
    slotDurationMs: optional('slot-duration', (v) => nonNegativeInteger(v, '--slot-duration', { min: 1 }) * 1000),
    slotsPerEpoch: optional('slots-per-epoch', (v) => nonNegativeInteger(v, '--slots-per-epoch', { min: 1, max: MAX_GLOBAL_SLOT })),
    coinbase: optional('coinbase', (v) => minaOption(v, '--coinbase')),
    superchargeFactor: optional('supercharge-factor', (v) => nonNegativeInteger(v, '--supercharge-factor', { min: 1 })),
    burnAddress: optional('burn-address', (v) => publicKeyOption(v, '--burn-address')),
  };
}

/** An ISO 8601 UTC time given on the command line, normalised. */
export function isoTime(value: unknown, flag: string): string {
  const text = String(value);
  const ms = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new MinapayError('USAGE', `${flag} must be an ISO 8601 UTC time such as 2026-09-03T00:00:00Z, not ${text}`);
  return new Date(ms).toISOString();
}
