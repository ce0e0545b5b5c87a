import type { Argv } from 'yargs';

import { archiveForkStart, readArchiveBlocks, type ArchiveBlocks } from '../../blocks/archive.js';
import { describeUrl, withArchiveConnection } from '../../blocks/archive-connection.js';
import { blockReward, checkBlocksOfEra } from '../../blocks/block.js';
import { formatBlocks } from '../../blocks/format.js';
import { MinapayError } from '../../errors.js';
import { formatMina } from '../../protocol/amounts.js';
import { epochSlots, type Era, type SlotRange } from '../../protocol/eras.js';
import { archiveDatabase, archiveDatabaseOptions } from '../archive-db.js';
import type { CliContext } from '../context.js';
import { eraOptions, eraSelection } from '../era-options.js';
import { emit } from '../output.js';
import { globalOptions, nonNegativeInteger, poolKeys, type RawArgs, resultOptions } from '../options.js';

/** The protocol's k: a block this deep below the best tip can no longer be replaced. */
const DEFAULT_MIN_CONFIRMATIONS = 290;

type BlocksFormat = 'json' | 'csv';

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
      .option('trust-parent-links', {
        type: 'boolean',
        default: false,
        describe: 'count the chain of parent links from the best tip where chain_status labels disagree (a warning per block)',
      })
      .options(resultOptions({ json: 'the blocks, each with its slots, coinbase and fees', csv: 'the same, a row per block' })),
  );
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const global = globalOptions(args);
  const epoch = nonNegativeInteger(args['epoch'], '--epoch');
  const database = archiveDatabase(args, context);
  if (database === undefined) throw new MinapayError('USAGE', 'give the archive database with --archive-db URL or $MINAPAY_ARCHIVE_DB');
  const query = {
    pools: poolKeys(args['pool']),
    minConfirmations: nonNegativeInteger(args['min-confirmations'], '--min-confirmations'),
    allowPending: args['allow-pending'] === true,
    trustParentLinks: args['trust-parent-links'] === true,
  };
  const source = `archive ${describeUrl(database.url)}`;
  const { result, era } = await withArchiveConnection(database.url, database.timeoutSeconds, async (client) => {
    // The archive's best tip shows the fork it follows, and so the era of the epoch asked for.
    const selection = eraSelection(args, global.network, { kind: 'archive', source, firstGlobalSlot: await archiveForkStart(client) });
    return { era: selection.era, result: await readArchiveBlocks(client, { ...query, slots: epochSlots(selection.era, epoch) }) };
  });
  checkBlocksOfEra(result.blocks, era, source);
  await emit(formatBlocks(result.blocks, args['format'] as BlocksFormat), global.output, context);
  if (global.quiet) return;
  for (const block of result.labelDisagreements) {
    context.stderr.write(`minapay: warning: archive: block ${block.stateHash} at height ${block.height} ${block.problem}; its parent links were followed\n`);
  }
  context.stderr.write(`${summary(result, { epoch, era, slots: epochSlots(era, epoch) }, source)}\n`);
}

/** What the summary line tells of the epoch read. */
interface EpochRead {
  readonly epoch: number;
  readonly era: Era;
  readonly slots: SlotRange;
}

function summary(result: ArchiveBlocks, read: EpochRead, source: string): string {
  const rewards = result.blocks.reduce((sum, block) => sum + blockReward(block), 0n);
  const finality = result.final ? 'final' : 'NOT FINAL (--allow-pending)';
  return (
    `epoch ${read.epoch} of era ${read.era.name} (slots ${read.slots.first}-${read.slots.last}) from ${source}: ` +
    `${result.blocks.length} blocks by the pool, rewards ${formatMina(rewards)} MINA; best tip height ${result.bestTip.height}, ` +
    `epoch ${finality} with ${result.epochConfirmations ?? 0} confirmations`
  );
}
