import { MinapayError } from '../errors.js';
import type { ChainBlock, ChainCommand, Daemon } from './daemon.js';
import { paymentStates, type BlockRef, type PaymentState, type SendLogWriter, type SendRecord } from './send-log.js';
import type { SignedPayment, SignedPayments } from './sign.js';
import { paymentId } from './transaction-id.js';

/**
 * Sending never signs: it broadcasts only the frozen bytes of signed.json,
 * in nonce order, and records only what the daemon shows of the payment
 * itself, looked up by its transaction ID and hash. An answer to a
 * broadcast other than the payment taken ("Duplicate", "Invalid_nonce") is
 * never evidence: the payment is then looked up (after a lost connection,
 * by the next run). It is accepted while the daemon's pool holds it,
 * included (or failed) once the best chain has it, and void when the
 * sender's committed nonce has passed its nonce and the daemon knows it
 * nowhere: another transaction took the nonce. A void payment is never sent
 * again.
 *
 * Each run looks up again every payment not yet seen on chain. One the
 * daemon no longer knows (a restart empties its pool) whose nonce is still
 * free is broadcast again, same bytes and hash: the chain takes one payment
 * per nonce, so a repeat is harmless.
 */
export type SendAction = 'skip' | 'send' | 'look-up-or-resend' | 'look-up';

export interface SendSummary {
  /** Payments on the best chain (applied), before or by this run. */
  readonly onChain: number;
  /** Payments in the daemon's pool, not yet seen on chain. */
  readonly inPool: number;
  /** Payments broadcast for the first time and taken by the daemon. */
  readonly sent: number;
  /** Payments broadcast again, same bytes, and taken: earlier broadcasts the daemon had lost or refused. */
  readonly resent: number;
}

/** How a payment was settled by this run, for progress output. */
export type PaymentProgress = 'on chain' | 'in pool' | 'sent' | 'sent again' | 'failed' | 'void';

export interface SendDependencies {
  readonly daemon: Daemon;
  readonly log: SendLogWriter;
  /** The time written into each record. */
  readonly now: () => string;
  /** Told about each payment as it is settled (progress). */
  readonly onPayment?: ((payment: SignedPayment, how: PaymentProgress) => void) | undefined;
}

/** The most blocks the daemon holds on its best chain: k, the consensus parameter (290 on mainnet and devnet). */
export const BEST_CHAIN_BLOCKS = 290;

/** What a send would do with each payment, from the log alone (--dry-run). */
export function sendActions(signed: SignedPayments, records: readonly SendRecord[]): { payment: SignedPayment; action: SendAction }[] {
  const states = paymentStates(records);
  return signed.payments.map((payment) => ({ payment, action: actionFor(states.get(payment.hash)) }));
}

function actionFor(state: PaymentState | undefined): SendAction {
  if (state === undefined) return 'send';
  if (state === 'included' || state === 'failed') return 'skip';
  if (state === 'void') return 'look-up';
  return 'look-up-or-resend';
}

export async function sendPayments(signed: SignedPayments, records: readonly SendRecord[], deps: SendDependencies): Promise<SendSummary> {
  const states = paymentStates(records);
  const run: Run = { ...deps, sender: signed.sender, view: daemonView(deps.daemon, signed.sender) };
  const settled = new Map<SignedPayment, PaymentProgress>();
  for (const payment of signed.payments) {
    const state = states.get(payment.hash);
    const how = state === undefined ? await broadcast(payment, false, run) : await settleEarlier(payment, state, run);
    settled.set(payment, how);
    deps.onPayment?.(payment, how);
  }
  const count = (...hows: PaymentProgress[]) => [...settled.values()].filter((how) => hows.includes(how)).length;
  const summary = { onChain: count('on chain'), inPool: count('in pool', 'sent', 'sent again'), sent: count('sent'), resent: count('sent again') };
  const lost = [...settled].filter(([, how]) => how === 'void' || how === 'failed').map(([payment]) => payment);
  if (lost.length > 0) throw unpaid(lost, settled, summary, signed.sender);
  return summary;
}

interface Run extends SendDependencies {
  readonly sender: string;
  readonly view: DaemonView;
}

/** A payment with a record from an earlier run: settled by what the daemon shows of it now. */
async function settleEarlier(payment: SignedPayment, state: PaymentState, run: Run): Promise<PaymentProgress> {
  if (state === 'included') return 'on chain';
  if (state === 'failed') return 'failed';
  const found = await lookUp(payment, run);
  if (found.where === 'nowhere') {
    // Another transaction took the nonce once; whatever happened since, it is not sent again without a person.
    if (state === 'void') return 'void';
    return broadcast(payment, true, run);
  }
  if (found.where === 'rival') throw rivalInPool(payment, found.hash, run.sender);
  return record(payment, found, state, run);
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
  return record(payment, found, 'broadcasting', run);
}

/** Appends what the daemon shows of the payment, unless the log already says so. */
async function record(payment: SignedPayment, found: Shown, state: PaymentState, run: Run): Promise<PaymentProgress> {
  const base = { nonce: payment.nonce.toString(), hash: payment.hash };
  if (found.where === 'pool') {
    if (state !== 'accepted') await run.log.append({ event: 'accepted', ...base, how: 'confirmed', at: run.now() });
    return 'in pool';
  }
  if (found.where === 'chain') {
    const { block, command } = found;
    if (command.failureReason !== null) {
      await run.log.append({ event: 'failed', ...base, block, reason: command.failureReason, at: run.now() });
      return 'failed';
    }
    await run.log.append({ event: 'included', ...base, block, at: run.now() });
    return 'on chain';
  }
  if (state !== 'void')
    await run.log.append({ event: 'void', ...base, committedNonce: found.committedNonce.toString(), takenBy: found.takenBy, at: run.now() });
  return 'void';
}

/** Where the daemon shows a payment. */
type Found =
  | { readonly where: 'pool' }
  | { readonly where: 'chain'; readonly block: BlockRef; readonly command: ChainCommand }
  /** Its nonce is used on chain, not by it. */
  | { readonly where: 'taken'; readonly committedNonce: bigint; readonly takenBy: string | null }
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
 * payment's nonce and the daemon then does not have the payment, the
 * payment cannot be what used the nonce (unless it was included so long ago
 * that the daemon no longer holds the block: run send within k blocks of a
 * broadcast to see each payment included).
 */
async function lookUp(payment: SignedPayment, run: Run): Promise<Found> {
  if (await run.view.pooled(payment.hash)) return { where: 'pool' };
  const seen = await run.view.onChain(payment.hash);
  if (seen !== null) return { where: 'chain', ...seen };
  const committedNonce = (await run.daemon.account(run.sender))?.nonce ?? 0n;
  const status = await run.daemon.transactionStatus(paymentId(payment));
  if (status === 'PENDING') return { where: 'pool' };
  if (status === 'INCLUDED') {
    const onChain = await run.view.onChain(payment.hash, { fresh: true });
    // INCLUDED by a daemon whose best chain does not show it yet: it is waiting, not known to be on chain.
    return onChain === null ? { where: 'pool' } : { where: 'chain', ...onChain };
  }
  if (committedNonce > payment.nonce) {
    const taker = await run.view.onChainWithNonce(payment.nonce, { fresh: true });
    return { where: 'taken', committedNonce, takenBy: taker?.command.hash ?? null };
  }
  const pooled = await run.daemon.pooledUserCommands(run.sender);
  if (pooled.some((command) => command.hash === payment.hash)) return { where: 'pool' };
  const rival = pooled.find((command) => command.nonce === payment.nonce);
  return rival === undefined ? { where: 'nowhere' } : { where: 'rival', hash: rival.hash };
}

/**
 * What a run knows of the daemon's pool and best chain: each asked once (the chain is the largest answer), so that payments
 * found there cost no request of their own, and asked again where a stale answer would hide evidence.
 */
interface DaemonView {
  /** Whether the sender's pooled commands, as the run first saw them, hold this hash. */
  pooled(hash: string): Promise<boolean>;
  /** The block holding the command with this hash; fresh asks the daemon again. */
  onChain(hash: string, options?: { fresh: boolean }): Promise<{ block: BlockRef; command: ChainCommand } | null>;
  /** The sender's command with this nonce on the best chain. */
  onChainWithNonce(nonce: bigint, options?: { fresh: boolean }): Promise<{ block: BlockRef; command: ChainCommand } | null>;
}

function daemonView(daemon: Daemon, sender: string): DaemonView {
  let pool: Promise<Set<string>> | null = null;
  let chain: Promise<ChainBlock[]> | null = null;
  const search = async (fresh: boolean, matches: (command: ChainCommand) => boolean) => {
    if (chain === null || fresh) chain = daemon.bestChain(BEST_CHAIN_BLOCKS);
    for (const block of await chain) {
      const command = block.userCommands.find(matches);
      if (command !== undefined) return { block: { height: block.height.toString(), stateHash: block.stateHash }, command };
    }
    return null;
  };
  return {
    async pooled(hash) {
      pool ??= daemon.pooledUserCommands(sender).then((commands) => new Set(commands.map((command) => command.hash)));
      return (await pool).has(hash);
    },
    onChain: (hash, options) => search(options?.fresh ?? false, (command) => command.hash === hash),
    onChainWithNonce: (nonce, options) => search(options?.fresh ?? false, (command) => command.from === sender && command.nonce === nonce),
  };
}

function rivalInPool(payment: SignedPayment, rival: string, sender: string): MinapayError {
  return new MinapayError(
    'NONCE_CONFLICT',
    `nonce ${payment.nonce} of ${sender} is taken by transaction ${rival} in the daemon's pool, not by the payment to ` +
      `${payment.data.to} (hash ${payment.hash}); nothing after it was sent: check the sender's transactions before sending again`,
  );
}

/** The end of a run that found payments the chain will never apply: void ones first (NONCE_CONFLICT), else failed ones. */
function unpaid(lost: readonly SignedPayment[], settled: ReadonlyMap<SignedPayment, PaymentProgress>, summary: SendSummary, sender: string): MinapayError {
  const voided = lost.filter((payment) => settled.get(payment) === 'void');
  const each = lost.map((payment) => {
    const what = settled.get(payment) === 'void' ? 'is void: another transaction took its nonce' : 'failed on chain';
    return `the payment to ${payment.data.to} (nonce ${payment.nonce}, hash ${payment.hash}) ${what}`;
  });
  return new MinapayError(
    voided.length > 0 ? 'NONCE_CONFLICT' : 'PAYMENT_REJECTED',
    `${each.join('; ')}; minapay will not send ${lost.length === 1 ? 'it' : 'them'} again: check the transactions of ${sender} ` +
      `and pay ${lost.length === 1 ? 'that delegator' : 'those delegators'} anew ` +
      `(the other payments: ${summary.onChain} on chain, ${summary.inPool} in the daemon's pool)`,
  );
}
