import { resolve } from 'node:path';
import type { Argv } from 'yargs';

import { isMinapayError, MinapayError } from '../../errors.js';
import { daemonChain } from '../../io/daemon-chain.js';
import { fileInput, streamInput, type LedgerInput } from '../../ledger/read.js';
import { daemonEpochLedger } from '../../ledger-archive/daemon-epoch.js';
import { ledgerExport, type LedgerExport } from '../../ledger-archive/export.js';
import {
  archiveEntryJson,
  LEDGER_KINDS,
  sameIdentity,
  type ArchivedEra,
  type ArchiveEntry,
  type LedgerIdentity,
  type LedgerKind,
} from '../../ledger-archive/manifest.js';
import { pinnedByPlans } from '../../ledger-archive/retention.js';
import { archiveLedger, networkDirectory, type ArchiveOutcome } from '../../ledger-archive/store.js';
import { formatMina } from '../../protocol/amounts.js';
import { ERAS, eraOfChain, type Network } from '../../protocol/eras.js';
import { STANDARD_STREAM, type CliContext } from '../context.js';
import { ledgerHashOption, ledgerReadOptions } from '../ledger-source.js';
import { globalOptions, JOURNAL_OPTION, nonNegativeInteger, type RawArgs, resultOptions, TEXT_OR_JSON } from '../options.js';
import { emitResult } from '../output.js';

/** The daemon's own export; `--export-command` replaces it, e.g. for a daemon in docker. */
const DEFAULT_EXPORT_COMMAND = 'mina ledger export';
/** Long enough for a large ledger on a slow machine; an export still running after it has hung. */
const DEFAULT_EXPORT_TIMEOUT_SECONDS = 30 * 60;
/** The longest delay a timer takes (2^31 - 1 ms, about 24 days). */
const MAX_EXPORT_TIMEOUT_SECONDS = 2_147_483;

export function builder(yargs: Argv): Argv {
  return yargs
    .positional('ledger', { type: 'string', describe: 'the exported ledger (JSON, JSON Lines, gzip) or - for stdin; or --export' })
    .option('archive', { type: 'string', demandOption: true, describe: 'the ledger archive directory (one subdirectory per network)' })
    .option('export', { type: 'boolean', default: false, describe: 'run the daemon’s ledger export (see --export-command) instead of reading a file' })
    .option('export-command', {
      type: 'string',
      default: DEFAULT_EXPORT_COMMAND,
      describe: 'the export command; staking-epoch-ledger or next-epoch-ledger is appended',
    })
    .option('export-timeout', {
      type: 'number',
      default: DEFAULT_EXPORT_TIMEOUT_SECONDS,
      describe: 'seconds the export command may run; then it is killed and nothing is archived (exit 69)',
    })
    .option('kind', {
      choices: LEDGER_KINDS,
      default: 'staking',
      describe: "staking: the epoch's staking ledger; next: the next epoch's (archived as that epoch)",
    })
    .option('epoch', { type: 'number', describe: 'the epoch whose staking ledger this is (with --ledger-hash)' })
    .option('ledger-hash', { type: 'string', describe: "the ledger's hash (with --epoch)" })
    .option('graphql', { type: 'string', describe: "or the daemon's GraphQL URL: epoch and ledger hash of its best tip" })
    .conflicts('graphql', ['epoch', 'ledger-hash'])
    .option('keep', { type: 'number', describe: 'remove all but the newest N epochs (never the only copy of a ledger a payout plan used)' })
    .option('journal', { ...JOURNAL_OPTION, describe: 'the payout journal whose plans --keep must not strand' })
    .options(resultOptions(TEXT_OR_JSON));
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const { network, quiet } = globalOptions(args);
  const kind = args['kind'] as LedgerKind;
  const directory = String(args['archive']);
  const keep = args['keep'] === undefined ? undefined : nonNegativeInteger(args['keep'], '--keep');
  const identify = identitySource(args, kind);
  const identity = await identify();
  const era = typeof args['graphql'] === 'string' ? await daemonEra(args['graphql'], network) : undefined;
  const exported = exportSource(args, kind);
  const source = exported ?? inputSource(args, context);
  const reading = ledgerReadOptions(context, quiet);
  let outcome: ArchiveOutcome;
  try {
    outcome = await archiveLedger({
      directory,
      network,
      identity: { ...identity, kind, ...(era !== undefined && { era }) },
      input: source.input,
      source: source.source,
      read: reading.read,
      confirm: async () => {
        await exported?.finished();
        await sameEpochStill(identity, identify);
      },
      ...(keep !== undefined && {
        keep: { epochs: keep, isPinned: await pinnedByPlans(String(args['journal']), network, networkDirectory(directory, network)) },
      }),
      now: () => new Date(),
    });
  } catch (error) {
    const exportFailure = (await exported?.stop()) ?? null;
    // An export that failed explains an empty or cut-off ledger better than the reader can.
    throw exportFailure !== null && isMinapayError(error) && error.code.startsWith('LEDGER_') ? exportFailure : error;
  } finally {
    reading.done();
  }
  await emitResult({ text: `${outcomeLine(network, outcome)}\n`, json: outcomeJson(network, outcome) }, args, context);
}

function outcomeJson(network: string, { status, entry, path, removed, pinned }: ArchiveOutcome) {
  return { network, status, path, ledger: archiveEntryJson(entry), removed: removed.map(archiveEntryJson), pinned: pinned.map(archiveEntryJson) };
}

/** The era the daemon's epochs count in, so that the archive tells epoch 18 of one fork from epoch 18 of the next. */
async function daemonEra(url: string, network: Network): Promise<ArchivedEra> {
  const era = eraOfChain(ERAS[network], (await daemonChain(url)).facts);
  return { name: era.name, firstGlobalSlot: era.firstGlobalSlot! };
}

/** Where the epoch and ledger hash come from: the flags, or the daemon (asked before and after the export). */
function identitySource(args: RawArgs, kind: LedgerKind): () => Promise<LedgerIdentity> {
  if (typeof args['graphql'] === 'string') {
    const url = args['graphql'];
    return () => daemonEpochLedger(url, kind);
  }
  if (args['epoch'] === undefined || args['ledger-hash'] === undefined)
    throw new MinapayError('USAGE', 'say which ledger this is: --epoch E --ledger-hash H, or --graphql URL to ask the daemon');
  const identity = { epoch: nonNegativeInteger(args['epoch'], '--epoch'), hash: ledgerHashOption(args['ledger-hash'], '--ledger-hash') };
  return async () => identity;
}

/** A daemon that moved to the next epoch during the export may have exported either ledger: try again later. */
async function sameEpochStill(before: LedgerIdentity, identify: () => Promise<LedgerIdentity>): Promise<void> {
  const after = await identify();
  if (!sameIdentity(before, after)) {
    throw new MinapayError(
      'EPOCH_CHANGED',
      `the daemon's ledger changed from epoch ${before.epoch} (${before.hash}) to epoch ` +
        `${after.epoch} (${after.hash}) while it was read; nothing was archived, run again`,
    );
  }
}

function exportSource(args: RawArgs, kind: LedgerKind): LedgerExport | undefined {
  if (args['export'] !== true) return undefined;
  if (typeof args['ledger'] === 'string') throw new MinapayError('USAGE', 'give a ledger file or --export, not both');
  return ledgerExport(String(args['export-command']).trim().split(/\s+/), kind, exportTimeout(args['export-timeout']));
}

function exportTimeout(value: unknown): number {
  const seconds = nonNegativeInteger(value, '--export-timeout');
  if (seconds < 1 || seconds > MAX_EXPORT_TIMEOUT_SECONDS)
    throw new MinapayError('USAGE', `--export-timeout must be from 1 to ${MAX_EXPORT_TIMEOUT_SECONDS} seconds, not ${seconds}`);
  return seconds;
}

function inputSource(args: RawArgs, context: CliContext): { input: LedgerInput; source: string } {
  const path = args['ledger'];
  if (typeof path !== 'string') throw new MinapayError('USAGE', 'give the exported ledger file, - for stdin, or --export');
  if (path === STANDARD_STREAM) return { input: streamInput('<stdin>', context.stdin), source: 'stdin' };
  return { input: fileInput(path), source: resolve(path) };
}

/** The one line a run prints: what happened, and what --keep removed or spared. */
function outcomeLine(network: string, outcome: ArchiveOutcome): string {
  const { entry } = outcome;
  const what = `${network} epoch ${entry.epoch} ledger ${entry.hash}`;
  const head =
    outcome.status === 'archived'
      ? `archived ${what} (${entry.accounts} accounts, ${formatMina(entry.totalStake)} MINA staked) as ${outcome.path}`
      : outcome.status === 'repaired'
        ? `repaired ${what}: ${outcome.path} was missing or damaged and is restored`
        : `already archived ${what} as ${outcome.path}, same content; nothing to do`;
  const removed = outcome.removed.length === 0 ? '' : `; removed ${epochList(outcome.removed)}`;
  const pinned = outcome.pinned.length === 0 ? '' : `; kept ${epochList(outcome.pinned)}: only copy of a payout plan's ledger`;
  return `${head}${removed}${pinned}`;
}

function epochList(entries: readonly ArchiveEntry[]): string {
  const epochs = [...new Set(entries.map((entry) => entry.epoch))];
  return `epoch${epochs.length === 1 ? '' : 's'} ${epochs.join(', ')}`;
}
