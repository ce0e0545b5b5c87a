import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

import Client from 'mina-signer';
import type { Argv } from 'yargs';

import { readChainBlocks } from '../../blocks/archive.js';
import { withArchiveConnection } from '../../blocks/archive-connection.js';
import { readBlocksFile } from '../../blocks/file.js';
import { isMinapayError, MinapayError } from '../../errors.js';
import { daemonChain } from '../../io/daemon-chain.js';
import { acquireLock } from '../../io/lock-file.js';
import { archivedLedgerPath } from '../../ledger-archive/store.js';
import { formatMina } from '../../protocol/amounts.js';
import { eraStartSlot, type Era, type SlotRange } from '../../protocol/eras.js';
import { stakeOdds, type StakeOdds } from '../../protocol/odds.js';
import {
  checkKimchiVrfEra,
  epochSlotsSinceHardFork,
  markWonSlots,
  slotPlace,
  slotRangeInEpoch,
  type CanonicalBlock,
  type EligibleDelegator,
  type MarkedSlot,
  type WonSlot,
} from '../../protocol/vrf-slots.js';
import {
  daemonsChoice,
  decodeEpochSeed,
  eligibleThreshold,
  privateKeyScalar,
  thresholdFraction,
  vrfOutputBase58,
  vrfOutputFraction,
} from '../../protocol/vrf.js';
import { checkpointInputs, readCheckpoint, writeCheckpoint, type CheckpointWinner, type SlotsCheckpoint } from '../../slots/checkpoint.js';
import { daemonEpochVrfData, type EpochVrfData } from '../../slots/daemon-epoch-data.js';
import { evaluateSlots, type TaskResult } from '../../slots/evaluate-slots.js';
import { producerDelegators, type StakingDelegator } from '../../slots/producer-delegators.js';
import { mergeRanges, missingRanges, rangeSize } from '../../slots/slot-ranges.js';
import { archiveDatabase, archiveDatabaseOptions, type ArchiveDatabase } from '../archive-db.js';
import type { CliContext, GlobalOptions } from '../context.js';
import { announceEra, eraOptions, eraSelection } from '../era-options.js';
import { chosenLedger, ledgerAccounts, ledgerArgument, ledgerHashOption } from '../ledger-source.js';
import { emit, jsonDocument } from '../output.js';
import { globalOptions, nonNegativeInteger, positiveNanominaOption, type RawArgs, resultOptions, workerCount } from '../options.js';
import { senderKey } from '../sender-key.js';
import { renderTable } from '../table.js';

/** Significant digits of fractions printed. */
const DIGITS = 20;
/** A checkpoint is written at most this often (and at the end): a killed run loses at most this much work. */
const CHECKPOINT_EVERY_MS = 2_000;
const PROGRESS_EVERY_MS = 500;

type Format = 'table' | 'json' | 'csv';

/** Where the won slots are checked against the chain. */
type BlockSource = { readonly file: string } | { readonly archiveDb: ArchiveDatabase } | undefined;

export interface SlotsOptions extends GlobalOptions {
  readonly ledger: string;
  readonly epoch: number;
  readonly era: Era;
  /** Slots since the hard fork to evaluate. */
  readonly slots: SlotRange;
  readonly privateKey: string;
  readonly keyWhere: string;
  readonly epochData: EpochVrfData | { readonly seed: bigint; readonly seedText: string; readonly totalCurrency: bigint };
  readonly workers: number;
  readonly checkpoint: string;
  readonly blocks: BlockSource;
  readonly format: Format;
}

export function builder(yargs: Argv): Argv {
  return eraOptions(
    archiveDatabaseOptions(ledgerArgument(yargs), 'after the epoch: archive PostgreSQL URL, to mark won slots from its best chain')
      .option('epoch', { type: 'number', demandOption: true, describe: 'epoch of the era (see --era) whose slots to evaluate' })
      .option('graphql', { type: 'string', describe: "daemon GraphQL URL: the epoch's seed, ledger hash and total currency" })
      .option('seed', { type: 'string', describe: "the epoch's staking seed (2va...), instead of --graphql" })
      .option('total-currency', { type: 'string', describe: "the staking ledger's total currency in nanomina, instead of --graphql" })
      .conflicts('graphql', ['seed', 'total-currency'])
      .option('key-file', { type: 'string', describe: "the block producer's private key: a base58 key or the daemon's key file (or $MINAPAY_PRIVATE_KEY)" })
      .option('slot-range', { type: 'string', describe: 'only slots A-B of the epoch (0 to slots per epoch - 1)' })
      .option('workers', { type: 'number', default: availableParallelism(), describe: 'worker threads evaluating the VRF' })
      .option('checkpoint', { type: 'string', describe: 'progress file, to resume a killed run (default: slots-NETWORK-epoch-E-PRODUCER.checkpoint.json)' })
      .option('blocks', { type: 'string', describe: 'after the epoch: block file (JSON or CSV) to mark each won slot produced, lost or missed' })
      .conflicts('blocks', 'archive-db')
      .options(resultOptions({ table: 'aligned columns', json: 'every won slot with its winner, output and fate', csv: 'a row per won slot' })),
  );
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const global = globalOptions(args);
  // The daemon says which fork it is on; without one, --era or the newest era the table knows.
  const chain = typeof args['graphql'] === 'string' ? (await daemonChain(args['graphql'])).facts : null;
  const selection = eraSelection(args, global.network, chain);
  announceEra(selection, context, global.quiet);
  const { era } = selection;
  checkKimchiVrfEra(era);
  const epoch = nonNegativeInteger(args['epoch'], '--epoch');
  const keyFile = typeof args['key-file'] === 'string' ? args['key-file'] : undefined;
  const privateKey = await senderKey(keyFile, context);
  const producer = new Client({ network: global.network }).derivePublicKey(privateKey);
  const epochData = await epochVrfData(args, epoch, era);
  const ledger = await ledgerOfEpoch(args, global.network, epoch, epochData);
  await slotsCommand(
    {
      ...global,
      ledger,
      epoch,
      era,
      slots: slotsToEvaluate(args, era, epoch),
      privateKey,
      keyWhere: keyFile ?? '$MINAPAY_PRIVATE_KEY',
      epochData,
      workers: workerCount(args['workers']),
      checkpoint: resolve(typeof args['checkpoint'] === 'string' ? args['checkpoint'] : `slots-${global.network}-epoch-${epoch}-${producer}.checkpoint.json`),
      blocks: blockSource(args, context),
      format: args['format'] as Format,
    },
    producer,
    context,
  );
}

async function epochVrfData(args: RawArgs, epoch: number, era: Era): Promise<SlotsOptions['epochData']> {
  if (typeof args['graphql'] === 'string') return daemonEpochVrfData(args['graphql'], epoch, era.slotsPerEpoch);
  if (args['seed'] === undefined || args['total-currency'] === undefined) {
    throw new MinapayError('USAGE', "give the epoch's data with --graphql URL, or with --seed S and --total-currency N");
  }
  const seedText = String(args['seed']);
  return { seed: decodeEpochSeed(seedText, '--seed'), seedText, totalCurrency: positiveNanominaOption(args['total-currency'], '--total-currency') };
}

/**
 * The ledger file; from the archive, the one whose hash the daemon reports
 * for the epoch when --graphql gave one, and a mismatch is an error: the
 * slots would be another ledger's.
 */
async function ledgerOfEpoch(args: RawArgs, network: string, epoch: number, epochData: SlotsOptions['epochData']): Promise<string> {
  if (args['archive'] === undefined || !('ledgerHash' in epochData)) return chosenLedger(args, network, epoch);
  const daemonHash = epochData.ledgerHash;
  const given = args['ledger-hash'] === undefined ? undefined : ledgerHashOption(args['ledger-hash'], '--ledger-hash');
  if (given !== undefined && given !== daemonHash) {
    throw new MinapayError('EPOCH_LEDGER_MISMATCH', `--ledger-hash ${given} is not the staking ledger ${daemonHash} the daemon reports for epoch ${epoch}`);
  }
  try {
    return await archivedLedgerPath(String(args['archive']), network, epoch, daemonHash);
  } catch (error) {
    if (!isMinapayError(error) || error.code !== 'LEDGER_ARCHIVE_MISSING') throw error;
    const heldInstead = await archivedLedgerPath(String(args['archive']), network, epoch, undefined).catch(() => undefined);
    if (heldInstead === undefined) throw error;
    throw new MinapayError(
      'EPOCH_LEDGER_MISMATCH',
      `${heldInstead}: the archive's ledger of epoch ${epoch} is not ${daemonHash}, the staking ledger the daemon reports for that epoch`,
    );
  }
}

function slotsToEvaluate(args: RawArgs, era: Era, epoch: number): SlotRange {
  if (args['slot-range'] === undefined) return epochSlotsSinceHardFork(era, epoch);
  const match = /^(\d+)-(\d+)$/.exec(String(args['slot-range']));
  if (match === null) throw new MinapayError('USAGE', `--slot-range must be A-B, slots of the epoch such as 0-2379, not ${String(args['slot-range'])}`);
  return slotRangeInEpoch(era, epoch, Number(match[1]), Number(match[2]));
}

function blockSource(args: RawArgs, context: CliContext): BlockSource {
  if (typeof args['blocks'] === 'string') return { file: args['blocks'] };
  if (args['archive-db'] === undefined) return undefined;
  const database = archiveDatabase(args, context);
  if (database === undefined) throw new MinapayError('USAGE', 'give the archive database with --archive-db URL (or $MINAPAY_ARCHIVE_DB)');
  return { archiveDb: database };
}

interface SlotsReport {
  readonly options: SlotsOptions;
  readonly producer: string;
  readonly delegators: readonly StakingDelegator[];
  readonly eligible: readonly EligibleDelegator[];
  readonly won: readonly WonSlot[];
  readonly marked: readonly MarkedSlot[] | undefined;
  readonly odds: StakeOdds;
  readonly evaluations: number;
}

export async function slotsCommand(options: SlotsOptions, producer: string, context: CliContext): Promise<void> {
  const { name, accounts } = ledgerAccounts(options.ledger, context, options.quiet);
  const delegators = await producerDelegators(accounts, producer);
  const { totalCurrency, seed } = options.epochData;
  const eligible = eligibleDelegators(delegators, totalCurrency);
  if (delegators.length === 0 && !options.quiet) context.stderr.write(`minapay: warning: ${name}: no account delegates to ${producer}\n`);
  const inputs = checkpointInputs({ network: options.network, era: options.era.name, producer, seed, totalCurrency, delegators });
  const release = await acquireLock(`${options.checkpoint}.lock`, `minapay slots for ${options.checkpoint}`);
  let winners: CheckpointWinner[];
  try {
    winners = await evaluateWithCheckpoint(options, producer, inputs, eligible, context);
  } finally {
    await release();
  }
  const won = await wonSlots(winners, eligible, options.slots);
  const odds = stakeOdds({
    method: 'daemon',
    balances: delegators.map((d) => d.balance),
    totalCurrency,
    slotsPerEpoch: options.slots.last - options.slots.first + 1,
    won: won.length,
  });
  const marked = options.blocks === undefined ? undefined : await markAgainstChain(options, won, producer);
  const evaluations = (options.slots.last - options.slots.first + 1) * eligible.length;
  const report: SlotsReport = { options, producer, delegators, eligible, won, marked, odds, evaluations };
  await emit(render(report), options.output, context);
  if (options.format === 'csv' && !options.quiet) context.stderr.write(summaryLines(report).join('\n').concat('\n'));
}

function eligibleDelegators(delegators: readonly StakingDelegator[], totalCurrency: bigint): EligibleDelegator[] {
  return delegators.flatMap((d) => {
    const threshold = eligibleThreshold(d.balance, totalCurrency);
    return threshold === null ? [] : [{ ...d, threshold }];
  });
}

/**
 * Evaluates the slots the checkpoint does not have, recording each finished
 * run of slots in it (atomically, at most every two seconds, and at the end);
 * returns every winner of the evaluated range.
 */
async function evaluateWithCheckpoint(
  options: SlotsOptions,
  producer: string,
  inputs: string,
  eligible: readonly EligibleDelegator[],
  context: CliContext,
): Promise<CheckpointWinner[]> {
  const previous = await readCheckpoint(options.checkpoint, inputs);
  let done: SlotRange[] = [...(previous?.done ?? [])];
  const winners: CheckpointWinner[] = [...(previous?.winners ?? [])];
  const save = () => writeCheckpoint(options.checkpoint, { inputs, done, winners } satisfies SlotsCheckpoint, producer);
  const todo = rangeSize(missingRanges(options.slots, done)) * eligible.length;
  const progress = progressLine(context, options.quiet, todo);
  let lastSave = Date.now();
  try {
    await evaluateSlots({
      privateKey: privateKeyScalar(options.privateKey, options.keyWhere),
      seed: options.epochData.seed,
      delegators: eligible,
      slots: options.slots,
      done,
      workers: options.workers,
      onResult: async (result: TaskResult) => {
        for (const w of result.winners) winners.push({ slot: w.slot, index: w.index, truncated: BigInt(w.truncated) });
        done = mergeRanges([...done, { first: result.first, last: result.last }]);
        progress?.advance(result.evaluations);
        if (Date.now() - lastSave >= CHECKPOINT_EVERY_MS) {
          await save();
          lastSave = Date.now();
        }
      },
    });
    if (eligible.length === 0) done = mergeRanges([...done, options.slots]);
    await save();
  } finally {
    progress?.done();
  }
  return winners.filter((w) => w.slot >= options.slots.first && w.slot <= options.slots.last);
}

/** One won slot per slot: when several delegators win it, the one the daemon would produce for. */
async function wonSlots(winners: readonly CheckpointWinner[], eligible: readonly EligibleDelegator[], slots: SlotRange): Promise<WonSlot[]> {
  const byIndex = new Map(eligible.map((d) => [d.index, d]));
  const bySlot = new Map<number, CheckpointWinner[]>();
  for (const winner of winners) {
    if (winner.slot < slots.first || winner.slot > slots.last) continue;
    const group = bySlot.get(winner.slot);
    if (group === undefined) bySlot.set(winner.slot, [winner]);
    else if (!group.some((w) => w.index === winner.index)) group.push(winner);
  }
  const won: WonSlot[] = [];
  for (const [slot, group] of [...bySlot].sort(([a], [b]) => a - b)) {
    const chosen = await daemonsChoice(group);
    const delegator = byIndex.get(chosen.index);
    if (delegator === undefined) throw new Error(`checkpoint winner index ${chosen.index} is no eligible delegator`);
    won.push({ slot, delegator, truncated: chosen.truncated, winners: group.length });
  }
  return won;
}

async function markAgainstChain(options: SlotsOptions, won: readonly WonSlot[], producer: string): Promise<MarkedSlot[]> {
  const source = options.blocks as NonNullable<BlockSource>;
  if ('file' in source) {
    const blocks = await readBlocksFile(source.file);
    return markWonSlots(won, blocks.map(canonicalBlock), producer, null);
  }
  const first = eraStartSlot(options.era);
  const range = { first: first + options.slots.first, last: first + options.slots.last };
  const chain = await withArchiveConnection(source.archiveDb.url, source.archiveDb.timeoutSeconds, (client) => readChainBlocks(client, range));
  return markWonSlots(won, chain.blocks.map(canonicalBlock), producer, chain.tipSlot - first);
}

function canonicalBlock(block: { globalSlotSinceHardFork: number; creator: string; winner: string; stateHash: string }): CanonicalBlock {
  return { slotSinceHardFork: block.globalSlotSinceHardFork, creator: block.creator, winner: block.winner, stateHash: block.stateHash };
}

// ---------------------------------------------------------------- output

interface WonSlotRow {
  readonly slot: number;
  readonly globalSlot: number | null;
  readonly epochSlot: number;
  readonly time: string | null;
  readonly winner: string;
  readonly index: number;
  readonly winners: number;
  readonly vrfOutput: string;
  readonly fraction: string;
  readonly threshold: string;
  readonly status: string | undefined;
  readonly block: string | undefined;
}

function rows(report: SlotsReport): WonSlotRow[] {
  return report.won.map((slot, i) => {
    const place = slotPlace(report.options.era, slot.slot);
    const marked = report.marked?.[i];
    return {
      slot: slot.slot,
      globalSlot: place.sinceGenesis,
      epochSlot: place.inEpoch,
      time: place.time,
      winner: slot.delegator.pk,
      index: slot.delegator.index,
      winners: slot.winners,
      vrfOutput: vrfOutputBase58(slot.truncated),
      fraction: vrfOutputFraction(slot.truncated).toSignificantDigits(DIGITS).toString(),
      threshold: thresholdFraction(slot.delegator.threshold).toSignificantDigits(DIGITS).toString(),
      status: marked?.outcome,
      block: marked?.block?.stateHash,
    };
  });
}

function render(report: SlotsReport): string {
  switch (report.options.format) {
    case 'json':
      return jsonDocument(reportJson(report));
    case 'csv':
      return reportCsv(report);
    default:
      return reportTable(report);
  }
}

interface Score {
  readonly won: number;
  readonly produced: number;
  readonly lost: number;
  readonly missed: number;
  readonly pending: number;
}

function score(marked: readonly MarkedSlot[]): Score {
  const count = (outcome: string) => marked.filter((m) => m.outcome === outcome).length;
  return { won: marked.length, produced: count('produced'), lost: count('lost'), missed: count('missed'), pending: count('pending') };
}

function scoreLine(s: Score): string {
  const share = s.won === 0 ? '-' : `${((100 * s.produced) / s.won).toFixed(1)}%`;
  return `score: ${s.produced}/${s.won} won slots produced (${share}); ${s.lost} lost, ${s.missed} missed, ${s.pending} pending`;
}

function summaryLines(report: SlotsReport): string[] {
  const { odds, options } = report;
  const floor = odds.belowFloor ?? { delegators: 0, stake: 0n };
  const lines = [
    `epoch ${options.epoch} (era ${options.era.name}), slots ${options.slots.first}-${options.slots.last} since the hard fork; ` +
      `producer ${report.producer}; seed ${options.epochData.seedText}; total currency ${formatMina(options.epochData.totalCurrency)} MINA`,
    `won ${report.won.length} slots; expected ${odds.expected.toFixed(2)} (std dev ${odds.stdDev.toFixed(2)}, 5%-95%: ${odds.p5}-${odds.p95}); ` +
      `P(<=${report.won.length}) ${odds.won?.pAtMost.toSignificantDigits(3).toString()}, ` +
      `P(>=${report.won.length}) ${odds.won?.pAtLeast.toSignificantDigits(3).toString()}`,
    `${report.delegators.length} delegators with ${formatMina(odds.stake)} MINA; ${report.eligible.length} evaluated ` +
      `(${report.evaluations.toLocaleString('en-US')} evaluations), ${floor.delegators} below the 2^-20 floor skipped (${formatMina(floor.stake)} MINA)`,
  ];
  if (report.marked !== undefined) lines.push(scoreLine(score(report.marked)));
  return lines;
}

function reportTable(report: SlotsReport): string {
  const all = rows(report);
  const marked = report.marked !== undefined;
  const table = renderTable(
    all.map((row) => [
      String(row.slot),
      row.globalSlot === null ? '-' : String(row.globalSlot),
      String(row.epochSlot),
      row.time ?? '-',
      row.winner,
      String(row.index),
      row.vrfOutput,
      row.fraction,
      row.threshold,
      ...(marked ? [row.status ?? ''] : []),
    ]),
    {
      headers: ['slot', 'global slot', 'epoch slot', 'time (UTC)', 'winner', 'index', 'VRF output', 'fraction', 'threshold', ...(marked ? ['status'] : [])],
      rightAligned: new Set([0, 1, 2, 5]),
    },
  );
  return `${table}${summaryLines(report).join('\n')}\n`;
}

function reportJson(report: SlotsReport): object {
  const { odds, options } = report;
  return {
    epoch: options.epoch,
    era: options.era.name,
    producer: report.producer,
    seed: options.epochData.seedText,
    ...('ledgerHash' in options.epochData && { ledgerHash: options.epochData.ledgerHash }),
    totalCurrency: options.epochData.totalCurrency.toString(),
    slots: { first: options.slots.first, last: options.slots.last },
    delegators: report.delegators.length,
    evaluated: report.eligible.length,
    belowFloor: { delegators: odds.belowFloor?.delegators ?? 0, stake: (odds.belowFloor?.stake ?? 0n).toString() },
    evaluations: report.evaluations,
    won: rows(report).map((row) => ({
      slot: row.slot,
      globalSlot: row.globalSlot,
      epochSlot: row.epochSlot,
      time: row.time,
      winner: row.winner,
      index: row.index,
      delegatorsWinning: row.winners,
      vrfOutput: row.vrfOutput,
      fraction: row.fraction,
      threshold: row.threshold,
      ...(row.status !== undefined && { status: row.status, block: row.block ?? null }),
    })),
    expected: {
      blocks: odds.expected.toSignificantDigits(DIGITS).toString(),
      stdDev: odds.stdDev.toSignificantDigits(DIGITS).toString(),
      p5: odds.p5,
      p95: odds.p95,
      pAtMost: odds.won?.pAtMost.toSignificantDigits(DIGITS).toString(),
      pAtLeast: odds.won?.pAtLeast.toSignificantDigits(DIGITS).toString(),
    },
    ...(report.marked !== undefined && { score: score(report.marked) }),
  };
}

const CSV_HEADER = ['slot', 'globalSlot', 'epochSlot', 'time', 'winner', 'index', 'vrfOutput', 'fraction', 'threshold', 'status', 'block'];

function reportCsv(report: SlotsReport): string {
  const lines = rows(report).map((row) =>
    [
      row.slot,
      row.globalSlot ?? '',
      row.epochSlot,
      row.time ?? '',
      row.winner,
      row.index,
      row.vrfOutput,
      row.fraction,
      row.threshold,
      row.status ?? '',
      row.block ?? '',
    ].join(','),
  );
  return `${[CSV_HEADER.join(','), ...lines].join('\n')}\n`;
}

// ---------------------------------------------------------------- progress

interface SlotsProgress {
  advance(evaluations: number): void;
  done(): void;
}

/** Evaluations done, their rate and the time left, redrawn in place on stderr for a person at a terminal. */
function progressLine(context: CliContext, quiet: boolean, total: number): SlotsProgress | undefined {
  if (quiet || context.stderr.isTTY !== true || total === 0) return undefined;
  const started = Date.now();
  let done = 0;
  let last = 0;
  let drawn = false;
  return {
    advance(evaluations) {
      done += evaluations;
      const now = Date.now();
      if (now - last < PROGRESS_EVERY_MS && done < total) return;
      last = now;
      drawn = true;
      const rate = done / Math.max(0.001, (now - started) / 1000);
      const eta = Math.round((total - done) / Math.max(rate, 1e-9));
      const percent = ((100 * done) / total).toFixed(1);
      context.stderr.write(
        `\r\x1b[Kevaluating the VRF: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} (${percent}%), ` +
          `${rate.toFixed(0)}/s, ETA ${duration(eta)}`,
      );
    },
    done() {
      if (drawn) context.stderr.write('\r\x1b[K');
    },
  };
}

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s).padStart(2, '0')}s`;
}
