import { rename } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import type { Argv } from 'yargs';

import { MinapayError, quoted } from '../errors.js';
import { daemonChain } from '../io/daemon-chain.js';
import { compareKeys } from '../ledger/account.js';
import { defaultMemo, plannedCommitment, signCommitment } from '../payout/commitment.js';
import { graphqlDaemon, type Daemon, type DaemonAccount } from '../payout/daemon.js';
import { exists, lockPoolPlanning, plannedEpochs, SEND_LOG_FILE, SIGNED_FILE, supplementFileName, writePlanFiles } from '../payout/journal.js';
import { type EpochPayments, readEpochPayments, writeSignedFiles, writeSupplementFiles } from '../payout/epoch-payments.js';
import { linePayees, type NewAccountChoice, type NewAccounts } from '../payout/plan.js';
import { formatPlanDocument, parsePlanDocument, type StoredPlan } from '../payout/plan-file.js';
import { delegatorReport, paymentKey } from '../payout/report.js';
import { NO_EXPIRY, paymentData, type SigningTerms, signerFor } from '../payout/sign.js';
import { MAX_NONCE, plannedPayments, type SignedPayments, type SignedSupplement } from '../payout/signed-file.js';
import { signPaymentsOnWorkers } from '../payout/parallel-sign.js';
import { paymentViews, type PaymentView } from '../payout/status.js';
import { replanWithNewAccounts } from '../payout/verify.js';
import { formatMina } from '../protocol/amounts.js';
import { wholeNumberFromText } from '../protocol/whole-number.js';
import type { CliContext } from './context.js';
import { ledgerReadOptions } from './ledger-source.js';
import { globalOptions, transactionFeeOption, type RawArgs, workerCount } from './options.js';
import { planFileOptions, planInputFiles, verifyPlanFiles } from './plan-files.js';
import { senderKey } from './sender-key.js';

/**
 * Signing workers by default: one per core, but no more than 8, since each
 * holds its own mina-signer and Pasta module (about 40 MB: `npm run
 * bench:sign` peaked at 119 MB with one, 157 MB with two), and one thread
 * signs about 100 payments a second, so 8 would sign 2,000 in some 3 s.
 */
const MAX_DEFAULT_WORKERS = 8;

/** What `payout sign` and `payout run` sign with: the key, the nonce (or the daemon), fee, memo, expiry, the new-account choice, and the workers. */
export function signingOptions(yargs: Argv): Argv {
  return planFileOptions(yargs)
    .option('key-file', {
      type: 'string',
      describe: "sender's key: a base58 private key or the daemon's encrypted key file (mode 600); else $MINAPAY_PRIVATE_KEY",
    })
    .option('nonce', { type: 'string', describe: 'nonce of the first payment (else the daemon’s inferredNonce)' })
    .option('graphql', { type: 'string', describe: "the daemon's GraphQL URL: nonce and balance of the sender, payees without an account" })
    .option('fee', { type: 'string', describe: 'MINA per payment instead of the plan’s (only when the pool pays fees)' })
    .option('memo', {
      type: 'string',
      describe: "memo of payments whose plan line has none (at most 32 bytes); default: the plan's commitment, mp1: and its root's first 28 hex digits",
    })
    .option('valid-until', { type: 'string', describe: 'global slot after which the payments cannot be included' })
    .option('new-accounts', {
      choices: ['pay-fee', 'skip', 'allow'],
      describe:
        'with --graphql, for payees with no account on chain: pay-fee adds the account creation fee to the payment, skip carries the line ' +
        'to the next epoch, allow lets the payee bear the fee (the plan is re-planned to say which)',
    })
    .option('workers', {
      type: 'number',
      default: Math.min(availableParallelism(), MAX_DEFAULT_WORKERS),
      describe: `worker threads signing (default: one per core, at most ${MAX_DEFAULT_WORKERS})`,
    });
}

/**
 * Signs an epoch's plan into signed.json, under the epoch's lock the caller
 * holds: the plan verified against its inputs first, payees without an
 * account settled by the new-account choice (re-planning the epoch), then
 * one payment per payable line with consecutive nonces.
 */
export async function signEpoch(planPath: string, args: RawArgs, context: CliContext): Promise<SignedPayments> {
  const { network, quiet } = globalOptions(args);
  const workers = workerCount(args['workers']);
  const epochDir = dirname(planPath);
  const { plan: found, signed: previous } = await readEpochPayments(epochDir);
  if (found.network !== network) throw new MinapayError('NETWORK_MISMATCH', `${planPath}: the plan is for ${found.network}, not --network ${network}`);
  await verifyPlanFiles(found, planPath, args, context, true);

  const daemon = typeof args['graphql'] === 'string' ? graphqlDaemon(args['graphql']) : null;
  if (previous !== null) await checkResign(previous, args['resign'] === true, daemon, join(epochDir, SIGNED_FILE));
  const { privateKey, sender, client } = await senderOf(args, context, found.network);
  const account = daemon === null ? null : await senderAccount(daemon, sender);
  const choice = args['new-accounts'] as NewAccountChoice | undefined;
  const plan = choice === undefined ? found : await settleNewAccounts(found, planPath, { args, context, daemon, choice, sender });
  const terms = signingTerms(args, plan, sender, firstNonce(args['nonce'], account));
  if (typeof args['graphql'] === 'string') await checkDaemonChain(args['graphql'], plan, terms.validUntil, context, quiet);
  const unsigned = paymentData(plan, terms);
  checkBalance(account, sender, unsigned);
  const committed = plannedCommitment(plan);
  const signed: SignedPayments = {
    planHash: plan.planHash,
    network: plan.network,
    epoch: plan.epoch,
    sender,
    payments: await signPaymentsOnWorkers(plan.network, unsigned, privateKey, workers),
    commitment: committed === null ? null : signCommitment(client, committed, privateKey),
  };
  await writeSignedFiles(epochDir, plan, signed, async () => {
    if (previous !== null) await setAsideSendLog(epochDir, previous);
  });
  if (!quiet) context.stderr.write(signSummary(signed.epoch, sender, signed.payments, spendOf(unsigned)));
  return signed;
}

/**
 * payout sign --unpaid: new payments, with nonces after every earlier one,
 * for exactly the lines whose payment is void or failed for certain,
 * written as the next supplement-<n>.json. Refused while any payment of the
 * epoch is not settled: a payment still pending, on chain but not final, or
 * of unknown outcome could yet be paid, and paying its line again would pay
 * it twice.
 */
export async function signUnpaid(planPath: string, args: RawArgs, context: CliContext): Promise<string | null> {
  const { network, quiet } = globalOptions(args);
  const workers = workerCount(args['workers']);
  const epochDir = dirname(planPath);
  const epoch = await readEpochPayments(epochDir);
  if (epoch.signed === null) throw new MinapayError('USAGE', `${join(epochDir, SIGNED_FILE)}: nothing is signed yet: run payout sign without --unpaid`);
  if (epoch.plan.network !== network)
    throw new MinapayError('NETWORK_MISMATCH', `${planPath}: the plan is for ${epoch.plan.network}, not --network ${network}`);
  const current = paymentViews(epoch.batch, epoch.records).filter((view) => view.current);
  checkAllSettled(current, epoch.plan.epoch);
  const unpaid = current.filter((view) => view.status === 'void' || view.status === 'failed');
  if (unpaid.length === 0) return null;
  await verifyPlanFiles(epoch.plan, planPath, args, context, true);
  const daemon = typeof args['graphql'] === 'string' ? graphqlDaemon(args['graphql']) : null;
  const { privateKey, sender } = await senderOf(args, context, epoch.plan.network);
  if (sender !== epoch.signed.sender)
    throw new MinapayError('USAGE', `the key is ${sender}'s; the epoch's payments are from ${epoch.signed.sender}: sign the supplement with the same key`);
  if (daemon !== null) await checkPayable(unpaid, daemon);
  const account = daemon === null ? null : await senderAccount(daemon, sender);
  const terms = signingTerms(args, epoch.plan, sender, firstNonce(args['nonce'], account));
  if (typeof args['graphql'] === 'string') await checkDaemonChain(args['graphql'], epoch.plan, terms.validUntil, context, quiet);
  const replaced = new Map(unpaid.map((view) => [paymentKey(view.pk, view.payTo), view.hash]));
  const unpaidPayments = plannedPayments(epoch.plan, sender).filter((payment) => replaced.has(paymentKey(payment.line.pk, payment.payTo)));
  const unsigned = paymentData(epoch.plan, terms, unpaidPayments);
  checkBalance(account, sender, unsigned);
  const supplement: SignedSupplement = {
    planHash: epoch.plan.planHash,
    network: epoch.plan.network,
    epoch: epoch.plan.epoch,
    sender,
    supplement: epoch.supplements.length + 1,
    payments: (await signPaymentsOnWorkers(epoch.plan.network, unsigned, privateKey, workers)).map((payment) => ({
      ...payment,
      replaces: replaced.get(paymentKey(payment.pk, payment.data.to))!,
    })),
  };
  checkAfterEarlier(supplement, epoch);
  await writeSupplementFiles(epochDir, epoch, supplement);
  if (!quiet) context.stderr.write(signSummary(supplement.epoch, sender, supplement.payments, spendOf(unsigned)));
  return join(epochDir, supplementFileName(supplement.supplement));
}

function checkAllSettled(current: readonly PaymentView[], epoch: number): void {
  const open = current.filter((view) => !view.settled);
  if (open.length === 0) return;
  const named = open.slice(0, 5).map((view) => `${view.payTo} (nonce ${view.nonce}) is ${view.status}`);
  throw new MinapayError(
    'PAYMENTS_UNSETTLED',
    `epoch ${epoch}: ${open.length} payment(s) not settled yet (${named.join(', ')}${open.length > 5 ? ', ...' : ''}); ` +
      'a payee is paid anew only once every payment of the epoch is final, or failed or void for certain: run payout send until then',
  );
}

/** A payment that failed for want of the account creation fee would fail again, unless its payee has an account by now. */
async function checkPayable(unpaid: readonly PaymentView[], daemon: Daemon): Promise<void> {
  const short = unpaid.filter((view) => view.status === 'failed' && view.reason === 'Amount_insufficient_to_create_account');
  if (short.length === 0) return;
  const existing = await daemon.existingAccounts(short.map((view) => view.payTo));
  const still = short.find((view) => !existing.has(view.payTo));
  if (still !== undefined) {
    throw new MinapayError(
      'NEW_ACCOUNT_UNPAYABLE',
      `the payment to ${still.payTo} (nonce ${still.nonce}) failed because it could not pay the account creation fee, and ${still.payTo} ` +
        'still has no account: a new payment of the same amount would fail again; carry it to a later epoch or pay it by hand',
    );
  }
}

/** The supplement's nonces come after every payment of the epoch (a daemon's inferred nonce always does; a --nonce might not). */
function checkAfterEarlier(supplement: SignedSupplement, epoch: EpochPayments): void {
  const last = epoch.batch!.payments.map((payment) => payment.nonce).sort((a, b) => (a < b ? 1 : -1))[0]!;
  const first = supplement.payments[0]?.nonce;
  if (first !== undefined && first <= last) throw new MinapayError('USAGE', `--nonce ${first} is not after the epoch's earlier payments (up to ${last})`);
}

/**
 * Asks the daemon which payees have no account, and re-plans the epoch
 * (under the pool's planning lock) when that, the fee or the choice differs
 * from what the plan records. Refused when a later epoch was planned from
 * this plan's carry: its link names this plan's hash.
 */
async function settleNewAccounts(
  plan: StoredPlan,
  planPath: string,
  how: { args: RawArgs; context: CliContext; daemon: Daemon | null; choice: NewAccountChoice; sender: string },
): Promise<StoredPlan> {
  if (how.daemon === null) throw new MinapayError('USAGE', '--new-accounts needs --graphql: only the daemon knows which payees have an account');
  const paid = plan.lines.filter((line) => line.amount > 0n || line.newAccount);
  const candidates = [...new Set(paid.flatMap((line) => linePayees(line).map((payee) => payee.payTo)))].filter((payTo) => payTo !== how.sender);
  const existing = await how.daemon.existingAccounts(candidates);
  const payees = candidates.filter((payee) => !existing.has(payee)).sort(compareKeys);
  const recorded = plan.inputs.newAccounts ?? null;
  if (payees.length === 0 && recorded === null) return plan;
  const wanted: NewAccounts = { choice: how.choice, fee: await how.daemon.accountCreationFee(), payees };
  if (recorded !== null && sameNewAccounts(recorded, wanted)) return plan;
  const poolDir = dirname(dirname(planPath));
  const later = (await plannedEpochs(poolDir)).find((planned) => planned > plan.epoch);
  if (later !== undefined) {
    throw new MinapayError(
      'CARRY_CHAIN_BROKEN',
      `epoch ${later} is already planned after epoch ${plan.epoch}: settling ${payees.length} payee(s) without an account would change ` +
        `epoch ${plan.epoch}'s plan, which epoch ${later}'s carry names; sign without --new-accounts, or remove epoch ${later}'s plan (nothing signed) first`,
    );
  }
  const release = await lockPoolPlanning(poolDir);
  try {
    const reporting = ledgerReadOptions(how.context, true);
    const replanned = await replanWithNewAccounts(plan, planPath, await planInputFiles(plan, how.args), reporting.read, wanted).finally(reporting.done);
    const text = formatPlanDocument(replanned.document);
    await writePlanFiles(dirname(planPath), text, delegatorReport(replanned.report, replanned.plan.lines));
    if (!globalOptions(how.args).quiet) how.context.stderr.write(newAccountsSummary(wanted));
    return parsePlanDocument(text, planPath);
  } finally {
    await release();
  }
}

function sameNewAccounts(a: NewAccounts, b: NewAccounts): boolean {
  return a.choice === b.choice && a.fee === b.fee && a.payees.length === b.payees.length && a.payees.every((payee, index) => payee === b.payees[index]);
}

function newAccountsSummary({ choice, fee, payees }: NewAccounts): string {
  const what = {
    'pay-fee': 'the pool pays the fee on top of each payment',
    skip: 'their lines are carried to the next epoch',
    allow: 'each payee bears the fee',
  };
  return `${payees.length} payee(s) have no account yet (creation fee ${formatMina(fee)} MINA): ${choice}, ${what[choice]}; the plan is re-planned to say so\n`;
}

async function senderOf(args: RawArgs, context: CliContext, network: string) {
  const privateKey = await senderKey(typeof args['key-file'] === 'string' ? args['key-file'] : undefined, context);
  const client = signerFor(network);
  return { privateKey, client, sender: publicKeyOf(client, privateKey) };
}

function signingTerms(args: RawArgs, plan: StoredPlan, sender: string, nonce: bigint): SigningTerms {
  return {
    sender,
    firstNonce: nonce,
    fee: args['fee'] === undefined ? null : transactionFeeOption(args['fee'], '--fee'),
    memo: args['memo'] === undefined ? defaultMemo(plan) : String(args['memo']),
    validUntil: args['valid-until'] === undefined ? NO_EXPIRY : validUntilOption(args['valid-until'], plan),
  };
}

/**
 * The daemon that will take the payments says which fork it is on. It must be
 * the plan's era or a later one: a daemon of a release before the plan's
 * fork is on a chain that no longer grows, and payments it takes are never
 * included where delegators look. Paying an epoch of an earlier era on
 * today's chain is said once on stderr. --valid-until must lie ahead of the
 * best tip, or no payment could ever be included.
 */
async function checkDaemonChain(url: string, plan: StoredPlan, validUntil: bigint, context: CliContext, quiet: boolean): Promise<void> {
  const chain = await daemonChain(url);
  const planStart = plan.era.firstGlobalSlot;
  const daemonStart = chain.facts.firstGlobalSlot;
  if (planStart !== null && daemonStart < planStart) {
    throw new MinapayError(
      'ERA_MISMATCH',
      `${url}: the daemon is on the chain that forked at global slot ${daemonStart}, before era ${plan.era.name} (first global slot ${planStart}) ` +
        `that epoch ${plan.epoch} was planned in: it runs a release from before that fork`,
    );
  }
  if (validUntil <= BigInt(chain.globalSlot)) {
    throw new MinapayError(
      'USAGE',
      `--valid-until ${validUntil} is not after the daemon's best tip at global slot ${chain.globalSlot}: no payment could be included`,
    );
  }
  if (planStart !== daemonStart && !quiet) {
    context.stderr.write(`minapay: epoch ${plan.epoch} of era ${plan.era.name} is paid on the chain that forked at global slot ${daemonStart}\n`);
  }
}

function spendOf(unsigned: readonly { data: { amount: string; fee: string } }[]): bigint {
  return unsigned.reduce((sum, { data }) => sum + BigInt(data.amount) + BigInt(data.fee), 0n);
}

function checkBalance(account: DaemonAccount | null, sender: string, unsigned: readonly { data: { amount: string; fee: string } }[]): void {
  const spend = spendOf(unsigned);
  if (account !== null && account.balance < spend) {
    throw new MinapayError(
      'INSUFFICIENT_BALANCE',
      `${sender} can spend ${formatMina(account.balance)} MINA; the ${unsigned.length} payments need ${formatMina(spend)} MINA with fees`,
    );
  }
}

/**
 * Signed payments are frozen once written. They may be replaced only when
 * the daemon shows the sender's next nonce at or below the first signed
 * one: then none of them is in the pool or on chain, and none ever can be
 * once the new ones take those nonces.
 */
async function checkResign(previous: SignedPayments, resign: boolean, daemon: Daemon | null, signedPath: string): Promise<void> {
  if (!resign)
    throw new MinapayError(
      'SIGNED_EXISTS',
      `${signedPath} exists: its payments may already be sent; use payout send, or --resign with --graphql if none can have been included`,
    );
  if (daemon === null) throw new MinapayError('RESIGN_REFUSED', '--resign needs --graphql: only the daemon can show that no signed payment was used');
  const first = previous.payments[0];
  if (first === undefined) return;
  const account = await senderAccount(daemon, previous.sender);
  if (account.inferredNonce > first.nonce) {
    throw new MinapayError(
      'RESIGN_REFUSED',
      `${signedPath}: the daemon's next nonce for ${previous.sender} is ${account.inferredNonce}, past the ` +
        `first signed nonce ${first.nonce}: some payments may be included, so they cannot be signed again`,
    );
  }
}

/** The old send log speaks of the old hashes: kept for the record under another name. */
async function setAsideSendLog(epochDir: string, previous: SignedPayments): Promise<void> {
  const log = join(epochDir, SEND_LOG_FILE);
  if (await exists(log)) await rename(log, join(epochDir, `send-log.superseded-${previous.payments[0]?.hash ?? 'empty'}.jsonl`));
}

async function senderAccount(daemon: Daemon, sender: string): Promise<DaemonAccount> {
  const account = await daemon.account(sender);
  if (account === null) throw new MinapayError('INSUFFICIENT_BALANCE', `the daemon knows no account ${sender}: it has nothing to send`);
  return account;
}

function publicKeyOf(client: ReturnType<typeof signerFor>, privateKey: string): string {
  try {
    return client.derivePublicKey(privateKey);
  } catch {
    throw new MinapayError('KEY_INVALID', 'the sender key is not a valid Mina private key');
  }
}

function firstNonce(option: unknown, account: DaemonAccount | null): bigint {
  const given = option === undefined ? null : wholeOption(option, '--nonce', MAX_NONCE);
  if (account === null) {
    if (given === null) throw new MinapayError('USAGE', 'give --nonce N or --graphql URL (to read the sender’s nonce)');
    return given;
  }
  if (given !== null && given !== account.inferredNonce)
    throw new MinapayError('USAGE', `--nonce ${given} differs from the daemon’s next nonce ${account.inferredNonce} for the sender`);
  return account.inferredNonce;
}

/** Payments are sent once the epoch is over: a last valid slot inside it or before it has passed already. */
function validUntilOption(value: unknown, plan: StoredPlan): bigint {
  const slot = wholeOption(value, '--valid-until', NO_EXPIRY);
  if (slot <= BigInt(plan.slots.last)) {
    throw new MinapayError(
      'USAGE',
      `--valid-until ${slot} is not after epoch ${plan.epoch}'s last slot ${plan.slots.last}: the payments could never be included`,
    );
  }
  return slot;
}

function wholeOption(value: unknown, flag: string, max: bigint): bigint {
  const whole = wholeNumberFromText(String(value), max);
  if (whole === null) throw new MinapayError('USAGE', `${flag} must be a whole number up to ${max}, not ${quoted(value)}`);
  return whole;
}

function signSummary(epoch: number, sender: string, payments: readonly { nonce: bigint }[], spend: bigint): string {
  if (payments.length === 0) return `epoch ${epoch}: nothing to pay\n`;
  return (
    `epoch ${epoch}: signed ${payments.length} payment${payments.length === 1 ? '' : 's'} from ${sender}, ` +
    `nonces ${payments[0]!.nonce} to ${payments.at(-1)!.nonce}, ${formatMina(spend)} MINA with fees\n`
  );
}
