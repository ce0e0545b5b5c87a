import type { Argv } from 'yargs';

import { archiveEntryJson, type ArchiveEntry, type ArchiveManifest } from '../../ledger-archive/manifest.js';
import { existingManifest } from '../../ledger-archive/store.js';
import { formatMina } from '../../protocol/amounts.js';
import type { CliContext } from '../context.js';
import { emit, jsonDocument } from '../output.js';
import { globalOptions, type RawArgs, resultOptions } from '../options.js';
import { renderTable } from '../table.js';

export function builder(yargs: Argv): Argv {
  return yargs
    .option('archive', { type: 'string', demandOption: true, describe: 'the ledger archive directory' })
    .options(resultOptions({ table: 'aligned columns', json: "the manifest's entries" }));
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const { network, output } = globalOptions(args);
  const manifest = await existingManifest(String(args['archive']), network);
  await emit(args['format'] === 'json' ? listJson(manifest) : listTable(manifest), output, context);
}

function listJson(manifest: ArchiveManifest): string {
  const listing = { network: manifest.network, ledgers: manifest.ledgers.map(archiveEntryJson), conflicts: manifest.conflicts.map(archiveEntryJson) };
  return jsonDocument(listing);
}

function listTable(manifest: ArchiveManifest): string {
  if (manifest.ledgers.length === 0 && manifest.conflicts.length === 0) return `no ${manifest.network} ledgers archived\n`;
  const row = (entry: ArchiveEntry, state: string) => [
    String(entry.epoch),
    entry.hash,
    entry.kind,
    String(entry.accounts),
    formatMina(entry.totalStake),
    entry.archivedAt,
    state,
    entry.file,
  ];
  return renderTable([...manifest.ledgers.map((entry) => row(entry, 'archived')), ...manifest.conflicts.map((entry) => row(entry, 'CONFLICT'))], {
    headers: ['epoch', 'ledger hash', 'kind', 'accounts', 'stake (MINA)', 'archived at', 'state', 'file'],
    rightAligned: new Set([0, 3, 4]),
  });
}
