import type { ArchiveCommand } from '../blocks/archive.js';
import { MinapayError } from '../errors.js';
import type { ChainCommand, Daemon } from './daemon.js';
import { paymentKey } from './report.js';
import { type BlockRef, type ChainSource, isSettled, paymentHistories, type PaymentHistory, type SendLogWriter, type SendRecord } from './send-log.js';
import type { SignedPayment } from './signed-file.js';
import { paymentId } from './transaction-id.js';

/**
 * Sending never signs: it broadcasts only the frozen bytes of signed.json
 * (and of its supplements), in nonce order, and records only what the daemon
 * (or the archive database) shows of the payment itself, looked up by its
 * transaction ID and hash. An answer to a broadcast other than the payment
 * taken ("Duplicate", "Invalid_nonce") is never evidence: the payment is then
 * looked up (after a lost connection, by the next run).
 *
 * Each run follows every payment that is not settled yet: accepted while the
 * daemon's pool holds it, included once the best chain has it, final once
 * its block has `minConfirmations` blocks above it. Failed (on chain with a
 * failure status) and void (the sender's committed nonce passed it while no
 * chain shows it: another transaction took the nonce) become final the same
 * way, by the depth of the block that shows them: only then is the payee
 * unpaid for certain. A payment the daemon no longer knows whose nonce is
 * still free (a restart or an eviction emptied the pool, a request was cut
 * off) is broadcast again, same bytes and hash: the chain takes one payment
 * per nonce, so a repeat is harmless. After a drop (the daemon had taken it)
 * a repeat waits, longer each time, and stops after `maxBroadcasts`: a
 * payment the mempool keeps dropping needs a person, never a new signature.
 */
export type SendAction = 'skip' | 'send' | 'look-up-or-resend' | 'look-up';

/** How payments are followed to finality. */
export interface TrackingTerms {
  /** Blocks above a payment's block before it counts as paid (docs/protocol.md, "Payment finality"). */
  readonly minConfirmations: number;
  /** Broadcasts of one payment in all; past them minapay stops sending it and asks for a person. */
  readonly maxBroadcasts: number;
  /** After a drop, the wait before the next broadcast, doubled for each broadcast since the first; 0 sends at once. */
  readonly backoffMs: number;
}

/**
 * Mina's documentation recommends 15 blocks (99.9% confidence the payment
 * is not reversed; docs/protocol.md, "Payment finality"); the mempool
 * evicts and restarts, so a drop is retried, but not forever.
 */
export const DEFAULT_TRACKING: TrackingTerms = { minConfirmations: 15, maxBroadcasts: 10, backoffMs: 120_000 };
/** The longest wait between two broadcasts of a payment. */
const MAX_BACKOFF_MS = 3_600_000;

export interface SendSummary {
  /** Payments applied in a block at least minConfirmations deep: paid. */
  readonly final: number;
  /** Payments on the best chain (applied), not yet final. */
  readonly included: number;
  /** Payments in the daemon's pool, not yet seen on chain. */
  readonly inPool: number;
  /** Payments broadcast for the first time and taken by the daemon. */
  readonly sent: number;
  /** Payments broadcast again, same bytes, and taken: earlier broadcasts the daemon had lost, dropped or refused. */
  readonly resent: number;
  /** Payments the daemon does not hold that wait for their back-off (or for an earlier nonce) before the next broadcast. */
  readonly waiting: number;
}

/** How a payment was settled by this run, for progress output. */
export type PaymentProgress = 'final' | 'on chain' | 'in pool' | 'sent' | 'sent again' | 'waiting' | 'dropped' | 'failed' | 'void';

/** The payments to follow: signed.json's and its supplements', in nonce order. */
export interface PaymentBatch {
  readonly sender: string;
  readonly payments: readonly SignedPayment[];
}

/** The archive database's view of the chain, when one is given: it keeps every block, the daemon only the last k. */
export interface ArchiveChain {
  /** Commands with these hashes, and the sender's with these nonces, on the archive's best chain. */
  commandsOnChain(sender: string, hashes: readonly string[], nonces: readonly bigint[]): Promise<ArchiveCommand[]>;
}

export interface SendDependencies {
  readonly daemon: Daemon;
  readonly archive?: ArchiveChain | null | undefined;
  readonly log: SendLogWriter;
  /** The time written into each record (ISO 8601), also the clock of the back-off. */
  readonly now: () => string;
  readonly terms?: TrackingTerms | undefined;
  /** Told about each payment as it is settled (progress). */
  readonly onPayment?: ((payment: SignedPayment, how: PaymentProgress) => void) | undefined;
}

/** The most blocks the daemon holds on its best chain: k, the consensus parameter (290 on mainnet and devnet). */
export const BEST_CHAIN_BLOCKS = 290;

/** What a send would do with each payment, from the log alone (--dry-run). */
export function sendActions(batch: PaymentBatch, records: readonly SendRecord[]): { payment: SignedPayment; action: SendAction }[] {
  const histories = paymentHistories(records);
  return batch.payments.map((payment) => ({ payment, action: actionFor(histories.get(payment.hash)?.latest) }));
}

function actionFor(latest: SendRecord | undefined): SendAction {
  if (latest === undefined) return 'send';
  if (isSettled(latest)) return 'skip';
  if (latest.event === 'void' || latest.event === 'failed') return 'look-up';
  return 'look-up-or-resend';
}

export async function sendPayments(batch: PaymentBatch, records: readonly SendRecord[], deps: SendDependencies): Promise<SendSummary> {
  const histories = paymentHistories(records);
  const run: Run = { ...deps, terms: deps.terms ?? DEFAULT_TRACKING, sender: batch.sender, view: chainView(deps, batch) };
  const settled = new Map<SignedPayment, PaymentProgress>();
  // An earlier nonce the daemon does not hold: a later one cannot be taken before it is.
  let blocked = false;
  for (const payment of batch.payments) {
    const how = await settle(payment, histories.get(payment.hash), blocked, run);
    if (how === 'waiting' || how === 'dropped') blocked = true;
    settled.set(payment, how);
    deps.onPayment?.(payment, how);
  }
  const count = (...hows: PaymentProgress[]) => [...settled.values()].filter((how) => hows.includes(how)).length;
  const summary: SendSummary = {
    final: count('final'),
    included: count('on chain'),
    inPool: count('in pool', 'sent', 'sent again'),
    sent: count('sent'),
    resent: count('sent again'),
    waiting: count('waiting'),
  };
  const unpaid = currentPayments(batch.payments).filter((payment) => ['void', 'failed', 'dropped'].includes(settled.get(payment)!));
  if (unpaid.length > 0) throw unpaidError(unpaid, settled, summary, batch.sender);
  return summary;
}

/** Each planned payment's latest payment (by line and address): a supplement's payment replaces the void or failed one before it. */
export function currentPayments(payments: readonly SignedPayment[]): SignedPayment[] {
  const latest = new Map<string, SignedPayment>();
  for (const payment of payments) {
    const key = paymentKey(payment.pk, payment.data.to);
    const before = latest.get(key);
    if (before === undefined || payment.nonce > before.nonce) latest.set(key, payment);
  }
  return payments.filter((payment) => latest.get(paymentKey(payment.pk, payment.data.to)) === payment);
}

interface Run extends SendDependencies {
  readonly terms: TrackingTerms;
  readonly sender: string;
  readonly view: ChainView;
}

/** One payment: sent when it has no record, followed by what the chain and the daemon show of it otherwise. */
async function settle(payment: SignedPayment, history: PaymentHistory | undefined, blocked: boolean, run: Run): Promise<PaymentProgress> {
  if (history === undefined) return blocked ? 'waiting' : broadcast(payment, false, run);
  const latest = history.latest;
  if (isSettled(latest)) return latest.event === 'final' ? 'final' : (latest.event as 'failed' | 'void');
  const found = await lookUp(payment, run);
  if (found.where === 'nowhere') return sendAgain(payment, history, blocked, run);
  if (found.where === 'rival') throw rivalInPool(payment, found.hash, run.sender);
  return record(payment, found, latest, run);
}

/**
 * A payment known to nobody whose nonce is free. A broadcast whose outcome
 * was never seen (cut off, refused) goes again at once; one the daemon had
 * taken and then dropped waits out its back-off, since what dropped it
 * (eviction of low fees, a restart) may drop it again. Never more than
 * maxBroadcasts in all: then it is a person's to look at.
 */
async function sendAgain(payment: SignedPayment, history: PaymentHistory, blocked: boolean, run: Run): Promise<PaymentProgress> {
  const exhausted = history.broadcasts >= run.terms.maxBroadcasts;
  const goesAgain = !exhausted && !(history.acceptedSinceBroadcast && (blocked || !backedOff(history, run)));
  // Taken by the daemon (into its pool, or a block a re-org has since taken off the best chain) and gone: the log says so before anything else.
  if (history.acceptedSinceBroadcast || exhausted) {
    const latest = history.latest;
    const logged = latest.event === 'dropped' && latest.broadcasts === history.broadcasts && latest.exhausted === exhausted;
    if (!logged) {
      const base = { nonce: payment.nonce.toString(), hash: payment.hash };
      await run.log.append({ event: 'dropped', ...base, broadcasts: history.broadcasts, exhausted, at: run.now() });
    }
  }
  if (exhausted) return 'dropped';
  if (!goesAgain || blocked) return 'waiting';
  return broadcast(payment, true, run);
}

/** Whether the back-off since the last broadcast has passed: base x 2^(broadcasts - 1), at most an hour. */
function backedOff(history: PaymentHistory, run: Run): boolean {
  const base = run.terms.backoffMs;
  if (base === 0 || history.lastBroadcastAt === null) return true;
  const wait = Math.min(base * 2 ** Math.max(history.broadcasts - 1, 0), MAX_BACKOFF_MS);
  return Date.parse(run.now()) - Date.parse(history.lastBroadcastAt) >= wait;
}

/**
 * Broadcasts the signed bytes, logging `broadcasting` first. Only the
 * daemon taking the payment (its hash in the answer) is recorded as such;
 * any refusal sends minapay to look the payment up.
 */
async function broadcast(payment: SignedPayment, again: boolean, run: Run): Promise<PaymentProgress> {
  const nonce = payment.nonce.toString();
  await run.log.append({ event: 'broadcasting', nonce, hash: payment.hash, at: run.now() });
  const outcome = await run.daemon.sendPayment(payment).catch((error: unknown) => {
    if (error instanceof MinapayError && error.code === 'DAEMON_UNAVAILABLE') {
      throw new MinapayError(
        'DAEMON_UNAVAILABLE',
        `${error.message}; the payment to ${payment.data.to} (nonce ${nonce}) may or may not have arrived: run send again to check and continue`,
        { cause: error },
      );
    }
    throw error;
  });
  if (outcome.accepted) {
    // Nothing recorded: left as broadcasting, the payment is looked up by the next run.
    if (outcome.hash !== payment.hash)
      throw new MinapayError(
        'DAEMON_INVALID',
        `the daemon took the payment to ${payment.data.to} (nonce ${nonce}) as ${outcome.hash}, but it hashes to ${payment.hash}`,
      );
    await run.log.append({ event: 'accepted', nonce, hash: payment.hash, how: 'sent', at: run.now() });
    return again ? 'sent again' : 'sent';
  }
  const found = await lookUp(payment, run);
  if (found.where === 'nowhere' || found.where === 'rival') {
    await run.log.append({ event: 'rejected', nonce, hash: payment.hash, reason: outcome.reason, at: run.now() });
    if (found.where === 'rival') throw rivalInPool(payment, found.hash, run.sender);
    throw new MinapayError(
      'PAYMENT_REJECTED',
      `the daemon rejected the payment to ${payment.data.to} (nonce ${nonce}): ${outcome.reason}; it does not have the payment in its pool or on its ` +
        'best chain and the nonce is free; nothing after it was sent, and a later send continues from it',
    );
  }
  return record(payment, found, { event: 'broadcasting', nonce, hash: payment.hash, at: '' }, run);
}

/** Appends what the chain or the daemon shows of the payment, unless the log already says just that. */
async function record(payment: SignedPayment, found: Shown, latest: SendRecord, run: Run): Promise<PaymentProgress> {
  const base = { nonce: payment.nonce.toString(), hash: payment.hash };
  const deep = (depth: number) => depth >= run.terms.minConfirmations;
  if (found.where === 'pool') {
    if (latest.event !== 'accepted') await run.log.append({ event: 'accepted', ...base, how: 'confirmed', at: run.now() });
    return 'in pool';
  }
  if (found.where === 'chain') {
    const { block, depth, source, failureReason } = found.sighting;
    const seen = { block, depth, source };
    if (failureReason !== null) {
      if (!sameSighting(latest, 'failed', found.sighting, deep(depth)))
        await run.log.append({ event: 'failed', ...base, ...seen, reason: failureReason, final: deep(depth), at: run.now() });
      return 'failed';
    }
    if (deep(depth)) {
      await run.log.append({ event: 'final', ...base, ...seen, at: run.now() });
      return 'final';
    }
    if (!sameSighting(latest, 'included', found.sighting, false)) await run.log.append({ event: 'included', ...base, ...seen, at: run.now() });
    return 'on chain';
  }
  const taker = found.taker;
  const final = taker !== null && deep(taker.depth);
  if (taker === null ? latest.event !== 'void' || latest.takenBy !== null : !sameSighting(latest, 'void', taker, final)) {
    await run.log.append({
      event: 'void',
      ...base,
      committedNonce: found.committedNonce.toString(),
      takenBy: taker?.hash ?? null,
      block: taker?.block ?? null,
      ...(taker === null ? {} : { depth: taker.depth, source: taker.source }),
      final,
      at: run.now(),
    });
  }
  return 'void';
}

/** Whether the latest record already says this: same event, block, depth and finality (a void's taker by hash). */
function sameSighting(latest: SendRecord, event: 'included' | 'failed' | 'void', sighting: Sighting, final: boolean): boolean {
  if (latest.event !== event) return false;
  if (latest.event === 'void' && latest.takenBy !== sighting.hash) return false;
  const block = 'block' in latest ? latest.block : null;
  const settled = latest.event === 'failed' || latest.event === 'void' ? (latest.final ?? false) : false;
  return block?.stateHash === sighting.block.stateHash && latest.depth === sighting.depth && settled === final;
}

/** A command seen in a block of a best chain. */
interface Sighting {
  readonly hash: string;
  readonly block: BlockRef;
  readonly depth: number;
  readonly failureReason: string | null;
  readonly source: ChainSource;
}

/** Where the daemon or the archive shows a payment. */
type Found =
  | { readonly where: 'pool' }
  | { readonly where: 'chain'; readonly sighting: Sighting }
  /** Its nonce is used on chain, not by it; the taker when a chain shows which. */
  | { readonly where: 'taken'; readonly committedNonce: bigint; readonly taker: Sighting | null }
  /** Another command of the sender waits in the pool with its nonce. */
  | { readonly where: 'rival'; readonly hash: string }
  /** Unknown to the daemon, its nonce free. */
  | { readonly where: 'nowhere' };
/** What the daemon shows that settles a payment for now. */
type Shown = Extract<Found, { where: 'pool' | 'chain' | 'taken' }>;

/**
 * Looks the payment up by its hash in the sender's pooled commands and on
 * the best chain as the run first saw them, else by its ID
 * (transactionStatus) and then its nonce. The committed nonce is read
 * before the daemon is asked for the payment: if it has passed the
 * payment's nonce and, asked again, no chain shows the payment, the payment
 * cannot be what used the nonce (unless it was included so long ago that the
 * daemon no longer holds the block and no archive database was given: run
 * send within k blocks of a broadcast, or give --archive-db).
 */
async function lookUp(payment: SignedPayment, run: Run): Promise<Found> {
  if (await run.view.pooled(payment.hash)) return { where: 'pool' };
  const seen = await run.view.onChain(payment.hash);
  if (seen !== null) return { where: 'chain', sighting: seen };
  const committedNonce = (await run.daemon.account(run.sender))?.nonce ?? 0n;
  const status = await run.daemon.transactionStatus(paymentId(payment));
  if (status === 'PENDING') return { where: 'pool' };
  if (status === 'INCLUDED' || committedNonce > payment.nonce) {
    const onChain = await run.view.onChain(payment.hash, { fresh: true });
    if (onChain !== null) return { where: 'chain', sighting: onChain };
    // INCLUDED by a daemon whose best chain does not show it yet: it is waiting, not known to be on chain.
    if (status === 'INCLUDED') return { where: 'pool' };
    return { where: 'taken', committedNonce, taker: await run.view.onChainWithNonce(payment.nonce, { fresh: true }) };
  }
  const pooled = await run.daemon.pooledUserCommands(run.sender);
  if (pooled.some((command) => command.hash === payment.hash)) return { where: 'pool' };
  const rival = pooled.find((command) => command.nonce === payment.nonce);
  return rival === undefined ? { where: 'nowhere' } : { where: 'rival', hash: rival.hash };
}

/**
 * What a run knows of the daemon's pool and best chain, and of the archive's
 * best chain: each asked once (the chain is the largest answer), so that
 * payments found there cost no request of their own, and asked again where
 * a stale answer would hide evidence. The daemon's chain is looked at first
 * (it is the newest); the archive holds what the daemon no longer does.
 */
interface ChainView {
  /** Whether the sender's pooled commands, as the run first saw them, hold this hash. */
  pooled(hash: string): Promise<boolean>;
  /** The command with this hash on a best chain; fresh asks again. */
  onChain(hash: string, options?: { fresh: boolean }): Promise<Sighting | null>;
  /** The sender's command with this nonce on a best chain. */
  onChainWithNonce(nonce: bigint, options?: { fresh: boolean }): Promise<Sighting | null>;
}

function chainView({ daemon, archive }: SendDependencies, batch: PaymentBatch): ChainView {
  const sender = batch.sender;
  let pool: Promise<Set<string>> | null = null;
  let chain: Promise<Sighting[]> | null = null;
  let archived: Promise<Sighting[]> | null = null;
  const daemonChain = async (): Promise<Sighting[]> => {
    const blocks = await daemon.bestChain(BEST_CHAIN_BLOCKS);
    const tip = blocks.at(-1)?.height ?? 0n;
    return blocks.flatMap((block) =>
      block.userCommands.map((command) => daemonSighting(command, { height: block.height.toString(), stateHash: block.stateHash }, tip - block.height)),
    );
  };
  const archiveChain = async (): Promise<Sighting[]> => {
    if (archive === null || archive === undefined) return [];
    const hashes = batch.payments.map((payment) => payment.hash);
    const found = await archive.commandsOnChain(sender, hashes, [...new Set(batch.payments.map((payment) => payment.nonce))]);
    return found.map((command) => ({ ...command, source: 'archive' as const, from: command.feePayer }));
  };
  const search = async (fresh: boolean, matches: (sighting: Sighting & { from: string; nonce: bigint }) => boolean) => {
    if (chain === null || fresh) chain = daemonChain();
    const onDaemon = (await chain).find((sighting) => matches(sighting as Sighting & { from: string; nonce: bigint }));
    if (onDaemon !== undefined) return onDaemon;
    if (archived === null || fresh) archived = archiveChain();
    return (await archived).find((sighting) => matches(sighting as Sighting & { from: string; nonce: bigint })) ?? null;
  };
  return {
    async pooled(hash) {
      pool ??= daemon.pooledUserCommands(sender).then((commands) => new Set(commands.map((command) => command.hash)));
      return (await pool).has(hash);
    },
    onChain: (hash, options) => search(options?.fresh ?? false, (sighting) => sighting.hash === hash),
    onChainWithNonce: (nonce, options) => search(options?.fresh ?? false, (sighting) => sighting.from === sender && sighting.nonce === nonce),
  };
}

function daemonSighting(command: ChainCommand, block: BlockRef, depth: bigint): Sighting & { from: string; nonce: bigint } {
  return { hash: command.hash, from: command.from, nonce: command.nonce, block, depth: Number(depth), failureReason: command.failureReason, source: 'daemon' };
}

function rivalInPool(payment: SignedPayment, rival: string, sender: string): MinapayError {
  return new MinapayError(
    'NONCE_CONFLICT',
    `nonce ${payment.nonce} of ${sender} is taken by transaction ${rival} in the daemon's pool, not by the payment to ` +
      `${payment.data.to} (hash ${payment.hash}); nothing after it was sent: check the sender's transactions before sending again`,
  );
}

const UNPAID_WHY: Readonly<Record<'void' | 'failed' | 'dropped', string>> = {
  void: 'is void: another transaction took its nonce',
  failed: 'failed on chain',
  dropped: "was dropped by the daemon's pool after every broadcast allowed (--max-broadcasts)",
};

/**
 * The end of a run that found payments that will not be paid as they are:
 * void ones first (NONCE_CONFLICT), then failed ones (PAYMENT_REJECTED),
 * then ones the pool kept dropping (PAYMENT_DROPPED).
 */
function unpaidError(
  unpaid: readonly SignedPayment[],
  settled: ReadonlyMap<SignedPayment, PaymentProgress>,
  summary: SendSummary,
  sender: string,
): MinapayError {
  const how = (payment: SignedPayment) => settled.get(payment) as 'void' | 'failed' | 'dropped';
  const each = unpaid.map((payment) => `the payment to ${payment.data.to} (nonce ${payment.nonce}, hash ${payment.hash}) ${UNPAID_WHY[how(payment)]}`);
  const code = unpaid.some((p) => how(p) === 'void') ? 'NONCE_CONFLICT' : unpaid.some((p) => how(p) === 'failed') ? 'PAYMENT_REJECTED' : 'PAYMENT_DROPPED';
  const others = `(the other payments: ${summary.final} final, ${summary.included} on chain, ${summary.inPool} in the daemon's pool)`;
  const advice =
    code === 'PAYMENT_DROPPED'
      ? `fix what makes the pool drop it (a fee below what the pool keeps, the balance), then send again with a higher --max-broadcasts`
      : `minapay never signs a payment again by itself: check the transactions of ${sender}; once payout status shows the payee unpaid for ` +
        'certain (final), payout sign --unpaid pays it anew';
  return new MinapayError(code, `${each.join('; ')}; ${advice} ${others}`);
}
