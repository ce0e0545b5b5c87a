import type { Argv } from 'yargs';

import { readArchiveBlocks, type ArchiveBlocks } from '../../blocks/archive.js';
import { describeUrl, withArchiveConnection } from '../../blocks/archive-connection.js';
import { blockReward, checkBlocksOfEra } from '../../blocks/block.js';
import { formatBlocks } from '../../blocks/format.js';
import { MinapayError } from '../../errors.js';
import { formatMina } from '../../protocol/amounts.js';
import { epochSlots, type Era, type SlotRange } from '../../protocol/eras.js';
import { archiveDatabase, archiveDatabaseOptions } from '../archive-db.js';
import type { CliContext, GlobalOptions } from '../context.js';
import { eraOptions, eraSelection } from '../era-options.js';
import { emit } from '../output.js';
import { globalOptions, nonNegativeInteger, poolKeys, type RawArgs } from '../options.js';

/** The protocol's k: a block this deep below the best tip can no longer be replaced. */
const DEFAULT_MIN_CONFIRMATIONS = 290;

export interface BlocksOptions extends GlobalOptions {
  readonly archiveDb: string;
  /** Seconds to wait for the archive to connect, and for each query. */
  readonly dbTimeout: number;
  readonly pools: readonly string[];
  readonly epoch: number;
  /** The era of the epoch: its coinbases are the only ones a block of it can carry. */
  readonly era: Era;
  readonly slots: SlotRange;
  readonly minConfirmations: number;
  readonly allowPending: boolean;
  readonly format: 'json' | 'csv';
}

export function builder(yargs: Argv): Argv {
  return eraOptions(
    archiveDatabaseOptions(yargs, 'archive PostgreSQL URL')
      .option('pool', { type: 'string', array: true, demandOption: true, describe: 'block-producer key of the pool (repeatable)' })
      .option('epoch', { type: 'number', demandOption: true, describe: 'epoch of the era (see --era)' })
      .option('min-confirmations', {
        type: 'number',
        default: DEFAULT_MIN_CONFIRMATIONS,
        describe: "blocks above the epoch's last block before it counts as final",
      })
      .option('allow-pending', { type: 'boolean', default: false, describe: 'read an epoch that is not final yet' })
      .option('format', { choices: ['json', 'csv'], default: 'json' }),
  );
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const global = globalOptions(args);
  const { era } = eraSelection(args, global.network);
  const epoch = nonNegativeInteger(args['epoch'], '--epoch');
  const database = archiveDatabase(args, context);
  if (database === undefined) throw new MinapayError('USAGE', 'give the archive database with --archive-db URL or $MINAPAY_ARCHIVE_DB');
  await blocksCommand(
    {
      ...global,
      archiveDb: database.url,
      dbTimeout: database.timeoutSeconds,
      pools: poolKeys(args['pool']),
      epoch,
      era,
      slots: epochSlots(era, epoch),
      minConfirmations: nonNegativeInteger(args['min-confirmations'], '--min-confirmations'),
      allowPending: args['allow-pending'] === true,
      format: args['format'] as BlocksOptions['format'],
    },
    context,
  );
}

export async function blocksCommand(options: BlocksOptions, context: CliContext): Promise<void> {
  const result = await withArchiveConnection(options.archiveDb, options.dbTimeout, (client) => readArchiveBlocks(client, options));
  checkBlocksOfEra(result.blocks, options.era, `archive ${describeUrl(options.archiveDb)}`);
  await emit(formatBlocks(result.blocks, options.format), options.output, context);
  if (!options.quiet) context.stderr.write(`${summary(result, options)}\n`);
}

function summary(result: ArchiveBlocks, options: BlocksOptions): string {
  const rewards = result.blocks.reduce((sum, block) => sum + blockReward(block), 0n);
  const finality = result.final ? 'final' : 'NOT FINAL (--allow-pending)';
  return (
    `epoch ${options.epoch} (slots ${options.slots.first}-${options.slots.last}) from ${describeUrl(options.archiveDb)}: ` +
    `${result.blocks.length} blocks by the pool, rewards ${formatMina(rewards)} MINA; best tip height ${result.bestTip.height}, ` +
    `epoch ${finality} with ${result.epochConfirmations ?? 0} confirmations`
  );
}
