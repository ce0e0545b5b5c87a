import { MinapayError } from '../errors.js';
import type { SignedPayment } from './sign.js';

/** What the daemon knows of the sender's account. Nonces and amounts as bigint. */
export interface DaemonAccount {
  /** Nonce of the best tip's ledger: payments below it are on chain. */
  readonly nonce: bigint;
  /** Next nonce to use, counting the daemon's transaction pool. */
  readonly inferredNonce: bigint;
  /** What the account can spend now (liquid, or total when the daemon gives no liquid balance). */
  readonly balance: bigint;
}

export type TransactionStatus = 'INCLUDED' | 'PENDING' | 'UNKNOWN';

export type SendOutcome = { readonly accepted: true; readonly hash: string } | { readonly accepted: false; readonly reason: string };

/** The three things minapay asks a Mina daemon. */
export interface Daemon {
  account(publicKey: string): Promise<DaemonAccount | null>;
  /** Throws DAEMON_UNAVAILABLE when the request may or may not have reached the daemon. */
  sendPayment(payment: SignedPayment): Promise<SendOutcome>;
  transactionStatus(hash: string): Promise<TransactionStatus>;
}

const ACCOUNT_QUERY = 'query($publicKey: PublicKey!) { account(publicKey: $publicKey) { nonce inferredNonce balance { total liquid } } }';
const SEND_PAYMENT_MUTATION = 'mutation($input: SendPaymentInput!, $signature: SignatureInput) { sendPayment(input: $input, signature: $signature) { payment { hash nonce } } }';
const TRANSACTION_STATUS_QUERY = 'query($payment: ID) { transactionStatus(payment: $payment) }';
const REQUEST_TIMEOUT_MS = 30_000;
const STATUSES: readonly TransactionStatus[] = ['INCLUDED', 'PENDING', 'UNKNOWN'];

/** A daemon reached over its GraphQL endpoint; values always travel as variables, never spliced into a query. */
export function graphqlDaemon(url: string): Daemon {
  return {
    async account(publicKey) {
      const data = await queryData(url, ACCOUNT_QUERY, { publicKey });
      const account = data['account'] as { nonce?: unknown; inferredNonce?: unknown; balance?: { total?: unknown; liquid?: unknown } } | null;
      if (account === null || account === undefined) return null;
      return {
        nonce: whole(account.nonce, 'account.nonce', url),
        inferredNonce: whole(account.inferredNonce, 'account.inferredNonce', url),
        balance: whole(account.balance?.liquid ?? account.balance?.total, 'account.balance', url),
      };
    },
    async sendPayment(payment) {
      const response = await post(url, SEND_PAYMENT_MUTATION, { input: payment.data, signature: payment.signature });
      const errors = graphqlErrors(response);
      if (errors !== null) return { accepted: false, reason: errors };
      const hash = ((response['data'] as Record<string, { payment?: { hash?: unknown } }> | undefined)?.['sendPayment']?.payment?.hash ?? null) as unknown;
      if (typeof hash !== 'string') throw invalid(url, 'sendPayment returned no payment hash');
      return { accepted: true, hash };
    },
    async transactionStatus(hash) {
      const status = (await queryData(url, TRANSACTION_STATUS_QUERY, { payment: hash }))['transactionStatus'];
      if (!STATUSES.includes(status as TransactionStatus)) throw invalid(url, `transactionStatus returned ${JSON.stringify(status)}`);
      return status as TransactionStatus;
    },
  };
}

async function queryData(url: string, query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await post(url, query, variables);
  const errors = graphqlErrors(response);
  if (errors !== null) throw invalid(url, errors);
  const data = response['data'];
  if (data === null || typeof data !== 'object') throw invalid(url, 'answered without data');
  return data as Record<string, unknown>;
}

/** One GraphQL request. Any failure to get an answer is DAEMON_UNAVAILABLE: the request may have been seen. */
async function post(url: string, query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  let text: string;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    text = await response.text();
    if (!response.ok && !text.startsWith('{')) throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    throw new MinapayError('DAEMON_UNAVAILABLE', `${url}: no answer from the daemon (${describe(error)})`, { cause: error });
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw invalid(url, 'answered with something that is not JSON');
  }
}

function graphqlErrors(response: Record<string, unknown>): string | null {
  const errors = response['errors'];
  if (!Array.isArray(errors) || errors.length === 0) return null;
  return errors.map((error: { message?: unknown }) => String(error?.message ?? 'unknown error')).join('; ');
}

function whole(value: unknown, field: string, url: string): bigint {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !/^\d+$/.test(text)) throw invalid(url, `${field} is ${JSON.stringify(value)}, not a whole number`);
  return BigInt(text);
}

function invalid(url: string, problem: string): MinapayError {
  return new MinapayError('DAEMON_INVALID', `${url}: ${problem}`);
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as Error).message ?? String(error);
}
