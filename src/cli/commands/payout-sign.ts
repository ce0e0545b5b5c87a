import { rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Argv } from 'yargs';

import { MinapayError, quoted } from '../../errors.js';
import { defaultMemo, plannedCommitment, signCommitment } from '../../payout/commitment.js';
import { graphqlDaemon, type Daemon, type DaemonAccount } from '../../payout/daemon.js';
import { exists, lockEpoch, readEpochPayments, SEND_LOG_FILE, SIGNED_FILE, writeSignedFiles } from '../../payout/journal.js';
import type { StoredPlan } from '../../payout/plan-file.js';
import { MAX_NONCE, NO_EXPIRY, paymentData, signerFor, signPayments, type SignedPayments, type SigningTerms } from '../../payout/sign.js';
import { formatMina } from '../../protocol/amounts.js';
import { wholeNumberFromText } from '../../protocol/whole-number.js';
import type { CliContext } from '../context.js';
import { globalOptions, transactionFeeOption, type RawArgs } from '../options.js';
import { planFileOptions, verifyPlanFiles } from '../plan-files.js';
import { senderKey } from '../sender-key.js';

export function builder(yargs: Argv): Argv {
  return planFileOptions(yargs)
    .positional('plan', { type: 'string', demandOption: true, describe: 'a plan.json in the journal' })
    .option('key-file', {
      type: 'string',
      describe: "sender's key: a base58 private key or the daemon's encrypted key file (mode 600); else $MINAPAY_PRIVATE_KEY",
    })
    .option('nonce', { type: 'string', describe: 'nonce of the first payment (else the daemon’s inferredNonce)' })
    .option('graphql', { type: 'string', describe: "the daemon's GraphQL URL: nonce and balance of the sender" })
    .option('fee', { type: 'string', describe: 'MINA per payment instead of the plan’s (only when the pool pays fees)' })
    .option('memo', {
      type: 'string',
      describe: "memo of payments whose plan line has none (at most 32 bytes); default: the plan's commitment, mp1: and its root's first 28 hex digits",
    })
    .option('valid-until', { type: 'string', describe: 'global slot after which the payments cannot be included' })
    .option('resign', { type: 'boolean', default: false, describe: 'replace signed.json; only while the daemon shows none of its nonces used' });
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const planPath = String(args['plan']);
  // From before the epoch is read until signed.json has landed: a plan replaced meanwhile, or another
  // sign, would leave signed.json paying what no plan on disk says, or silently replace it.
  const release = await lockEpoch(dirname(planPath), 'existing');
  try {
    await signPlan(planPath, args, context);
  } finally {
    await release();
  }
}

async function signPlan(planPath: string, args: RawArgs, context: CliContext): Promise<void> {
  const { network, quiet } = globalOptions(args);
  const epochDir = dirname(planPath);
  const { plan, signed: previous } = await readEpochPayments(epochDir, 'structure');
  if (plan.network !== network) throw new MinapayError('NETWORK_MISMATCH', `${planPath}: the plan is for ${plan.network}, not --network ${network}`);
  await verifyPlanFiles(plan, planPath, args, context, true);

  const daemon = typeof args['graphql'] === 'string' ? graphqlDaemon(args['graphql']) : null;
  if (previous !== null) await checkResign(previous, args['resign'] === true, daemon, join(epochDir, SIGNED_FILE));
  const privateKey = await senderKey(typeof args['key-file'] === 'string' ? args['key-file'] : undefined, context);
  const client = signerFor(plan.network);
  const sender = publicKeyOf(client, privateKey);
  const account = daemon === null ? null : await senderAccount(daemon, sender);
  const terms: SigningTerms = {
    sender,
    firstNonce: firstNonce(args['nonce'], account),
    fee: args['fee'] === undefined ? null : transactionFeeOption(args['fee'], '--fee'),
    memo: args['memo'] === undefined ? defaultMemo(plan) : String(args['memo']),
    validUntil: args['valid-until'] === undefined ? NO_EXPIRY : validUntilOption(args['valid-until'], plan),
  };
  const unsigned = paymentData(plan, terms);
  const spend = unsigned.reduce((sum, { data }) => sum + BigInt(data.amount) + BigInt(data.fee), 0n);
  if (account !== null && account.balance < spend) {
    throw new MinapayError(
      'INSUFFICIENT_BALANCE',
      `${sender} can spend ${formatMina(account.balance)} MINA; the ${unsigned.length} payments need ${formatMina(spend)} MINA with fees`,
    );
  }
  const committed = plannedCommitment(plan);
  const signed: SignedPayments = {
    planHash: plan.planHash,
    network: plan.network,
    epoch: plan.epoch,
    sender,
    payments: signPayments(client, unsigned, privateKey),
    commitment: committed === null ? null : signCommitment(client, committed, privateKey),
  };

  await writeSignedFiles(epochDir, plan, signed, async () => {
    if (previous !== null) await setAsideSendLog(epochDir, previous);
  });
  context.stdout.write(`${join(epochDir, SIGNED_FILE)}\n`);
  if (!quiet) context.stderr.write(summary(signed, spend));
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

function summary(signed: SignedPayments, spend: bigint): string {
  const payments = signed.payments;
  if (payments.length === 0) return `epoch ${signed.epoch}: nothing to pay\n`;
  return (
    `epoch ${signed.epoch}: signed ${payments.length} payment${payments.length === 1 ? '' : 's'} from ` +
    `${signed.sender}, nonces ${payments[0]!.nonce} to ${payments.at(-1)!.nonce}, ${formatMina(spend)} MINA with fees\n`
  );
}
