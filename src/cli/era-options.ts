import type { Argv } from 'yargs';

import { MinapayError } from '../errors.js';
import { ERAS, eraNamed, withOverrides, type Era, type EraOverrides, type Network } from '../protocol/eras.js';
import { MAX_GLOBAL_SLOT } from '../protocol/timing.js';
import { minaOption, nonNegativeInteger, type RawArgs } from './options.js';

/** The options of eraOptions: the help shows them together, after the command's own. */
export const ERA_OPTION_NAMES = ['era', 'era-start-slot', 'era-start-time', 'slot-duration', 'slots-per-epoch', 'coinbase', 'supercharge-factor'];

/** Options that pick an era and override any of its figures. */
export function eraOptions(yargs: Argv): Argv {
  return yargs
    .option('era', { type: 'string', describe: "era the figures below apply to (default: the network's latest)" })
    .option('era-start-slot', { type: 'number', describe: "era's first global slot since genesis" })
    .option('era-start-time', { type: 'string', describe: "era's start, ISO 8601 UTC (2026-09-03T00:00:00Z)" })
    .option('slot-duration', { type: 'number', describe: 'seconds per slot in the era' })
    .option('slots-per-epoch', { type: 'number', describe: 'slots per epoch in the era' })
    .option('coinbase', { type: 'string', describe: "the era's base coinbase, in MINA" })
    .option('supercharge-factor', { type: 'number', describe: 'coinbases paid to an unlocked winner (1: none)' });
}

export interface EraSelection {
  /** The network's era table with the user's overrides applied. */
  readonly eras: readonly Era[];
  /** The era named by --era, or the network's latest. */
  readonly era: Era;
  /** Whether --era was given. */
  readonly named: boolean;
}

export function eraSelection(args: RawArgs, network: Network): EraSelection {
  const table = ERAS[network];
  const named = typeof args['era'] === 'string';
  const name = named ? (args['era'] as string) : (table.at(-1) as Era).name;
  const eras = withOverrides(table, name, eraOverrides(args));
  return { eras, era: eraNamed(eras, name), named };
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
  };
}

/** An ISO 8601 UTC time given on the command line, normalised. */
export function isoTime(value: unknown, flag: string): string {
  const text = String(value);
  const ms = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new MinapayError('USAGE', `${flag} must be an ISO 8601 UTC time such as 2026-09-03T00:00:00Z, not ${text}`);
  return new Date(ms).toISOString();
}
