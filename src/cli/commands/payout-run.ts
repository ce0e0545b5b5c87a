import { join } from 'node:path';
import type { Argv } from 'yargs';

import { type ArchiveQuery, archiveForkStart, readArchiveBlocks, readBestTip, type SqlClient } from '../../blocks/archive.js';
import { describeUrl, withArchiveConnection } from '../../blocks/archive-connection.js';
import { checkBlocksOfEra } from '../../blocks/block.js';
import { formatBlocks } from '../../blocks/format.js';
import { isMinapayError, MinapayError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic-file.js';
import { archivedLedgerPath } from '../../ledger-archive/store.js';
import type { Notification, NotifyEvent } from '../../notify/notification.js';
import { carryForEpoch } from '../../payout/carry-chain.js';
import { graphqlDaemon, type Daemon } from '../../payout/daemon.js';
import { epochDirectory, exists, lockEpoch, lockEpochPlanning, PLAN_FILE, plannedEpochs, poolDirectory, SIGNED_FILE } from '../../payout/journal.js';
import { readEpochPayments } from '../../payout/epoch-payments.js';
import { sendActions } from '../../payout/send.js';
import { epochStatus, type EpochStatus, unfinishedError } from '../../payout/status.js';
import { formatMina } from '../../protocol/amounts.js';
import { epochSlots, eraStartSlot, type Era } from '../../protocol/eras.js';
import { type ArchiveDatabase, archiveDatabase } from '../archive-db.js';
import type { CliContext } from '../context.js';
import { eraOptions, type EraSelection, eraSelection } from '../era-options.js';
import { notifier, type Notifier, notifyOptions } from '../notifier.js';
import { globalOptions, nonNegativeInteger, poolKeys, type RawArgs } from '../options.js';
import { planEpoch, planTerms, planTermsOptions } from '../plan-epoch.js';
import { sendEpoch, sendSummaryLine, trackingOptions, trackingTerms } from '../send-epoch.js';
import { signEpoch, signingOptions } from '../sign-epoch.js';

/** `minapay blocks`' rule for a final epoch: its last block has k (290) blocks above it. */
const DEFAULT_EPOCH_CONFIRMATIONS = 290;
/** The notification log, in the pool's journal directory. */
const NOTIFICATION_LOG = 'notifications.jsonl';
/** The epoch's blocks as read from the archive database: the file its plan records and verifies against. */
const BLOCKS_FILE = 'blocks.json';
/** What the chain settles by itself given time: a cron run that meets them says nothing to anyone. */
const TRY_LATER = new Set(['LOCKED', 'EPOCH_NOT_FINAL', 'DAEMON_NOT_SYNCED', 'ARCHIVE_TIMEOUT', 'PAYMENTS_PENDING', 'PAYMENTS_UNSETTLED', 'NEEDS_ATTENTION']);
/** Send's verdicts on payments a person must look at: the run reports them as the epoch needing attention. */
const PERSON_NEEDED = new Set(['NONCE_CONFLICT', 'PAYMENT_REJECTED', 'PAYMENT_DROPPED']);

export function builder(yargs: Argv): Argv {
  return notifyOptions(trackingOptions(signingOptions(eraOptions(planTermsOptions(yargs)))))
    .option('archive', { type: 'string', describe: 'the ledger archive directory (as `ledger archive --archive`): the staking ledger of the epoch' })
    .option('epoch', { type: 'number', describe: 'the epoch to pay (else --last-finished)' })
    .option('last-finished', { type: 'boolean', default: false, describe: 'the last epoch final in the archive database, by the rule of `minapay blocks`' })
    .option('epoch-confirmations', {
      type: 'number',
      default: DEFAULT_EPOCH_CONFIRMATIONS,
      describe: "blocks above an epoch's last block before it counts as finished (k)",
    })
    .option('dry-run', { type: 'boolean', default: false, describe: 'say what would be done; change nothing' });
}

/**
 * One idempotent pass for cron: the epoch's staking ledger from the ledger
 * archive, its blocks from the archive database, then plan, verify, sign,
 * send and follow its payments (and those of earlier epochs of the pool not
 * settled yet), each step skipped when done. Exit 0 when every payment is
 * final, 75 when it is not yet (or the epoch is not final, or the daemon not
 * synced), 80 when a person must act.
 */
export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const setup = runSetup(args, context);
  const notes = await notifier(args, context, join(setup.poolDir, NOTIFICATION_LOG));
  try {
    await payoutRun(setup, args, context, notes);
  } catch (error) {
    if (!isMinapayError(error) || !TRY_LATER.has(error.code)) notes.notify(failedRun(setup, error));
    throw error;
  } finally {
    await notes.settle();
  }
}

interface RunSetup {
  readonly network: 'mainnet' | 'devnet';
  readonly quiet: boolean;
  readonly dryRun: boolean;
  readonly pools: readonly string[];
  readonly poolDir: string;
  /** The epoch's era, from --era or from the fork the archive's best tip shows (as `minapay blocks` learns it). */
  readonly eraOf: (client: SqlClient) => Promise<EraSelection>;
  readonly daemon: Daemon;
  readonly database: ArchiveDatabase;
  readonly ledgerArchive: string;
}

function runSetup(args: RawArgs, context: CliContext): RunSetup {
  const { network, quiet } = globalOptions(args);
  const pools = poolKeys(args['pool']);
  const required = (name: string, what: string) => {
    if (typeof args[name] !== 'string' || args[name] === '') throw new MinapayError('USAGE', `payout run needs --${name} (or "${name}" in --config): ${what}`);
    return args[name] as string;
  };
  const database = archiveDatabase(args, context);
  if (database === undefined) throw new MinapayError('USAGE', 'payout run needs --archive-db (or $MINAPAY_ARCHIVE_DB): the blocks of the epoch');
  if ((args['epoch'] === undefined) === (args['last-finished'] !== true)) throw new MinapayError('USAGE', 'give one of --epoch E and --last-finished');
  return {
    network,
    quiet,
    dryRun: args['dry-run'] === true,
    pools,
    poolDir: poolDirectory(String(args['journal']), network, pools),
    eraOf: async (client) =>
      eraSelection(args, network, { kind: 'archive', source: `archive ${describeUrl(database.url)}`, firstGlobalSlot: await archiveForkStart(client) }),
    daemon: graphqlDaemon(required('graphql', "the daemon's GraphQL URL")),
    database,
    ledgerArchive: required('archive', 'the ledger archive directory that `minapay ledger archive --archive` keeps'),
  };
}

async function payoutRun(setup: RunSetup, args: RawArgs, context: CliContext, notes: Notifier): Promise<void> {
  const sync = await setup.daemon.syncStatus();
  if (sync !== 'SYNCED') throw new MinapayError('DAEMON_NOT_SYNCED', `the daemon is ${sync}, not SYNCED: its pool and chain may be stale; try again later`);
  const confirmations = nonNegativeInteger(args['epoch-confirmations'], '--epoch-confirmations', { min: 1 });
  const epoch = args['epoch'] === undefined ? await lastFinishedEpoch(setup, confirmations) : nonNegativeInteger(args['epoch'], '--epoch');
  if (setup.dryRun) {
    context.stdout.write(await dryRun(setup, epoch, confirmations));
    return;
  }
  const say = (line: string) => context.stdout.write(`epoch ${epoch}: ${line}\n`);
  const release = await lockEpochPlanning(setup.poolDir, epoch);
  try {
    const earlier = await followEarlierEpochs(setup, epoch, args, context, notes);
    const epochDir = epochDirectory(setup.poolDir, epoch);
    if (!(await exists(join(epochDir, PLAN_FILE)))) {
      const planned = await planFromArchives(setup, epoch, confirmations, args, context);
      say(`planned ${planned.paid} payments, ${formatMina(planned.sent)} MINA`);
      const details = { payments: planned.paid, nanomina: planned.sent.toString(), blocks: planned.blocks };
      notes.notify(notification(setup, epoch, 'planned', `planned ${planned.paid} payments, ${formatMina(planned.sent)} MINA`, details));
    }
    if (!(await exists(join(epochDir, SIGNED_FILE)))) {
      // The sender's next nonce is certain only once the earlier epochs' payments are settled: until then this epoch waits.
      const unsettled = unfinishedError(earlier);
      if (unsettled !== null) {
        throw new MinapayError(unsettled.code, `epoch ${epoch} is signed once the earlier epochs' payments are settled; ${unsettled.message}`);
      }
      const signed = await signEpoch(join(epochDir, PLAN_FILE), { ...args, 'new-accounts': args['new-accounts'] ?? 'pay-fee' }, context);
      say(`signed ${signed.payments.length} payments`);
    }
    const status = await followEpoch(setup, epochDir, args, context, notes);
    const unfinished = unfinishedError([...earlier, status]);
    if (unfinished !== null) throw unfinished;
    say('every payment is final');
  } finally {
    await release();
  }
}

/**
 * The last epoch of the era that is final by `minapay blocks`' rule: the
 * epoch before the archive's best tip's, or the one before that while the
 * tip is too few blocks into its epoch.
 */
async function lastFinishedEpoch(setup: RunSetup, confirmations: number): Promise<number> {
  const { url, timeoutSeconds } = setup.database;
  return withArchiveConnection(url, timeoutSeconds, async (client) => {
    const { era } = await setup.eraOf(client);
    const tip = await readBestTip(client);
    const tipEpoch = Math.floor((tip.slot - eraStartSlot(era)) / era.slotsPerEpoch);
    for (let epoch = tipEpoch - 1; epoch >= 0 && epoch >= tipEpoch - 2; epoch -= 1) {
      if ((await readArchiveBlocks(client, epochQuery(setup, era, epoch, confirmations, true))).final) return epoch;
    }
    throw new MinapayError(
      'EPOCH_NOT_FINAL',
      `archive ${describeUrl(url)}: no epoch of era ${era.name} is finished yet (best tip at height ${tip.height}, slot ${tip.slot}); try again later`,
    );
  });
}

/**
 * The epoch's plan from the archive database's blocks (written beside the
 * plan, which records them; an epoch not final yet is a try-later) and its
 * archived staking ledger.
 */
async function planFromArchives(setup: RunSetup, epoch: number, confirmations: number, args: RawArgs, context: CliContext) {
  const { url, timeoutSeconds } = setup.database;
  const { blocks, selection } = await withArchiveConnection(url, timeoutSeconds, async (client) => {
    const chosen = await setup.eraOf(client);
    return { selection: chosen, blocks: (await readArchiveBlocks(client, epochQuery(setup, chosen.era, epoch, confirmations, false))).blocks };
  });
  checkBlocksOfEra(blocks, selection.era, `archive ${describeUrl(url)}`);
  const ledger = await archivedLedgerPath(setup.ledgerArchive, setup.network, epoch, undefined).catch((error: unknown) => {
    if (!isMinapayError(error) || error.code !== 'LEDGER_ARCHIVE_MISSING') throw error;
    throw new MinapayError(
      'LEDGER_ARCHIVE_MISSING',
      `${error.message}: epoch ${epoch}'s staking ledger was never archived, so it cannot be paid from it; ` +
        'archive ledgers ahead of time with `minapay ledger archive --export` from cron (README, "Ledger archive")',
    );
  });
  const blocksPath = join(epochDirectory(setup.poolDir, epoch), BLOCKS_FILE);
  await writeFileAtomic(blocksPath, formatBlocks(blocks, 'json'));
  const request = {
    network: setup.network,
    ledger,
    blocks: blocksPath,
    overrides: typeof args['overrides'] === 'string' ? args['overrides'] : undefined,
    programs: typeof args['programs'] === 'string' ? args['programs'] : undefined,
    pools: setup.pools,
    epoch,
    // The archive's best tip showed the fork, as the blocks do.
    chooseEra: () => selection,
    terms: planTerms(args),
    ...(await carryForEpoch(setup.poolDir, epoch)),
  };
  const { plan } = await planEpoch(request, setup.poolDir, context, { quiet: true, strict: args['strict'] === true });
  return { paid: plan.totals.paidDelegators, sent: plan.totals.sent, blocks: blocks.length };
}

/** Earlier epochs of the pool whose payments are not all settled: each followed again, under its own lock. */
async function followEarlierEpochs(setup: RunSetup, epoch: number, args: RawArgs, context: CliContext, notes: Notifier): Promise<EpochStatus[]> {
  const statuses: EpochStatus[] = [];
  for (const earlier of (await plannedEpochs(setup.poolDir)).filter((planned) => planned < epoch)) {
    const epochDir = epochDirectory(setup.poolDir, earlier);
    const found = await readEpochPayments(epochDir);
    const status = epochStatus(found.plan, found.batch, found.records);
    if (found.signed === null || (status.attention === null && status.waiting === null)) continue;
    const release = await lockEpoch(epochDir, 'existing');
    try {
      statuses.push(await followEpoch(setup, epochDir, args, context, notes));
    } finally {
      await release();
    }
  }
  return statuses;
}

/**
 * One send run over the epoch, whose lock the caller holds, and the epoch's
 * state from the journal after it: payments a person must look at stop the
 * send but are the epoch's state (needs attention), not the run's failure.
 */
async function followEpoch(setup: RunSetup, epochDir: string, args: RawArgs, context: CliContext, notes: Notifier): Promise<EpochStatus> {
  const before = await readEpochPayments(epochDir);
  const wasFinal = isFinal(epochStatus(before.plan, before.batch, before.records));
  try {
    const sent = await sendEpoch(epochDir, setup.network, { daemon: setup.daemon, archiveDb: archiveDatabase(args, context), terms: trackingTerms(args) });
    context.stdout.write(sendSummaryLine(sent.epoch, sent.payments, sent.summary));
    if (sent.summary.sent > 0) {
      const text = `${sent.summary.sent} payments broadcast; ${sent.summary.inPool} in the daemon's pool`;
      notes.notify(notification(setup, sent.epoch, 'sent', text, { sent: sent.summary.sent, payments: sent.payments }));
    }
  } catch (error) {
    if (!isMinapayError(error) || !PERSON_NEEDED.has(error.code)) throw error;
  }
  const after = await readEpochPayments(epochDir);
  const status = epochStatus(after.plan, after.batch, after.records);
  if (isFinal(status) && !wasFinal) {
    notes.notify(notification(setup, status.epoch, 'final', `all ${status.final} payments final`, { final: status.final }));
  }
  if (status.attention !== null) notes.notify(notification(setup, status.epoch, 'needs-attention', `needs attention: ${status.attention}`, {}));
  return status;
}

function isFinal(status: EpochStatus): boolean {
  return status.signed > 0 && status.attention === null && status.waiting === null;
}

/** The archive query for an epoch's blocks, by the rule of `minapay blocks` (chain_status labels must agree with the links). */
function epochQuery(setup: RunSetup, era: Era, epoch: number, confirmations: number, allowPending: boolean): ArchiveQuery {
  return { pools: setup.pools, slots: epochSlots(era, epoch), minConfirmations: confirmations, allowPending, trustParentLinks: false };
}

/** What a run would do, from the journal and the archives, writing nothing. */
async function dryRun(setup: RunSetup, epoch: number, confirmations: number): Promise<string> {
  const { url, timeoutSeconds } = setup.database;
  const { era, found } = await withArchiveConnection(url, timeoutSeconds, async (client) => {
    const chosen = (await setup.eraOf(client)).era;
    return { era: chosen, found: await readArchiveBlocks(client, epochQuery(setup, chosen, epoch, confirmations, true)) };
  });
  const lines = [`epoch ${epoch} of era ${era.name} (pool ${setup.pools[0]})`];
  const epochDir = epochDirectory(setup.poolDir, epoch);
  for (const earlier of (await plannedEpochs(setup.poolDir)).filter((planned) => planned < epoch)) {
    const found = await readEpochPayments(epochDirectory(setup.poolDir, earlier));
    const status = epochStatus(found.plan, found.batch, found.records);
    if (found.signed !== null && (status.attention !== null || status.waiting !== null))
      lines.push(`follow: epoch ${earlier}: ${status.attention ?? status.waiting}`);
  }
  if (await exists(join(epochDir, PLAN_FILE))) lines.push('plan: done');
  else {
    const ledger = await archivedLedgerPath(setup.ledgerArchive, setup.network, epoch, undefined).catch((error: MinapayError) => `none (${error.message})`);
    lines.push(`plan: would plan from ledger ${ledger} and ${found.blocks.length} blocks of the pool${found.final ? '' : ' (the epoch is NOT final yet)'}`);
  }
  const signed = (await exists(join(epochDir, SIGNED_FILE))) ? await readEpochPayments(epochDir) : null;
  if (signed === null) lines.push('sign: would verify the plan and sign its payments');
  else {
    const actions = sendActions({ sender: signed.signed!.sender, payments: signed.batch!.payments }, signed.records);
    const count = (action: string) => actions.filter((entry) => entry.action === action).length;
    lines.push(`sign: done (${actions.length} payments)`);
    lines.push(
      `send: would send ${count('send')}, look up (and send again if dropped) ${count('look-up-or-resend') + count('look-up')}, skip ${count('skip')}`,
    );
  }
  return `${lines.join('\n')}\ndry run: nothing was written or sent\n`;
}

function notification(setup: RunSetup, epoch: number, event: NotifyEvent, what: string, details: Notification['details']): Notification {
  return {
    event,
    network: setup.network,
    pool: setup.pools[0]!,
    epoch,
    text: `minapay: ${setup.network} pool ${setup.pools[0]} epoch ${epoch}: ${what}`,
    details,
  };
}

function failedRun(setup: RunSetup, error: unknown): Notification {
  const why = isMinapayError(error) ? `${error.message} [${error.code}]` : 'an internal error (see the run output)';
  return {
    event: 'failed-run',
    network: setup.network,
    pool: setup.pools[0]!,
    epoch: null,
    text: `minapay: ${setup.network} pool ${setup.pools[0]}: payout run failed: ${why}`,
    details: {},
  };
}
