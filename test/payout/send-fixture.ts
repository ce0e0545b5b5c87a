import { readFileSync } from 'node:fs';

import Client from 'mina-signer';

import { graphqlDaemon } from '../../src/payout/daemon.js';
import { parsePlanDocument } from '../../src/payout/plan-file.js';
import { openSendLog, readSendLog } from '../../src/payout/send-log.js';
import { type ArchiveChain, DEFAULT_TRACKING, sendPayments, type SendSummary, type TrackingTerms } from '../../src/payout/send.js';
import { paymentData, signerFor, signPayments } from '../../src/payout/sign.js';
import type { SignedPayments } from '../../src/payout/signed-file.js';
import { fixture } from '../helpers.js';
import type { SignedInput } from './stand-in-daemon.js';

/** The send tests' sender (a fresh key), its funds, and the fixture plan's first payee. */
export const sender = new Client({ network: 'mainnet' }).genKeys();
export const FUNDS = 2_000_000_000_000n;
export const A = 'B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1';
const PLAN_PATH = fixture('expected', 'post-berkeley.epoch-18.plan.json');

/** The fixture plan's two payments, signed from nonce 4. */
export function signedFixture(): SignedPayments {
  const plan = parsePlanDocument(readFileSync(PLAN_PATH, 'utf8'), PLAN_PATH);
  const unsigned = paymentData(plan, { sender: sender.publicKey, firstNonce: 4n, fee: null, memo: '', validUntil: 4_294_967_295n });
  return {
    planHash: plan.document.planHash,
    network: 'mainnet',
    epoch: 18,
    sender: sender.publicKey,
    payments: signPayments('mainnet', unsigned, sender.privateKey),
  };
}

/** Payments final at 15 blocks; a dropped payment is broadcast again at once (the back-off has tests of its own). */
export const AT_ONCE: TrackingTerms = { ...DEFAULT_TRACKING, backoffMs: 0 };

export interface SendOnceOptions {
  readonly terms?: TrackingTerms;
  /** The clock of the records and the back-off. */
  readonly now?: () => string;
  readonly archive?: ArchiveChain | null;
}

/** One send run against the daemon at `url`, with a real log file; resolves to its summary or the error it stopped with. */
export async function sendOnce(url: string, signed: SignedPayments, logPath: string, options: SendOnceOptions = {}) {
  const log = await openSendLog(logPath);
  try {
    return await sendPayments(signed, await readSendLog(logPath), {
      daemon: graphqlDaemon(url),
      log,
      now: options.now ?? (() => 'T'),
      terms: options.terms ?? AT_ONCE,
      archive: options.archive ?? null,
    });
  } catch (error) {
    return error as Error & { code: string };
  } finally {
    await log.close();
  }
}

/** The log's records as `event nonce` (with how, for accepted). */
export const events = async (logPath: string) =>
  (await readSendLog(logPath)).map((record) => `${record.event} ${record.nonce}${record.event === 'accepted' ? ` ${record.how}` : ''}`);

/** A payment from the sender that the daemon's pool never saw, signed with the same key elsewhere. */
export function foreignPayment(nonce: bigint, to = sender.publicKey): SignedInput {
  const data = { to, from: sender.publicKey, amount: '1000000000', fee: '10000000', nonce: nonce.toString(), memo: 'elsewhere', validUntil: '4294967295' };
  return { data, signature: signerFor('mainnet').signPayment(data, sender.privateKey).signature };
}

export const failure = (result: unknown) => result as Error & { code: string };

/** A send summary: the counts given, 0 for the others. */
export const summary = (counts: Partial<SendSummary>): SendSummary => ({ final: 0, included: 0, inPool: 0, sent: 0, resent: 0, waiting: 0, ...counts });
