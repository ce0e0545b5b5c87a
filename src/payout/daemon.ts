import { daemonInvalid, daemonWholeNumber, graphqlData, graphqlErrors, graphqlPost } from '../io/graphql.js';
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

/** What minapay asks a Mina daemon, by the real daemon's GraphQL fields. */
export interface Daemon {
  account(publicKey: string): Promise<DaemonAccount | null>;
  /** Throws DAEMON_UNAVAILABLE when the request may or may not have reached the daemon. */
  sendPayment(payment: SignedPayment): Promise<SendOutcome>;
  /** By the payment's transaction ID (transaction-id.ts): the daemon takes no hash here. */
  transactionStatus(paymentId: string): Promise<TransactionStatus>;
}

const ACCOUNT_QUERY = 'query($publicKey: PublicKey!) { account(publicKey: $publicKey) { nonce inferredNonce balance { total liquid } } }';
const SEND_PAYMENT_MUTATION =
  'mutation($input: SendPaymentInput!, $signature: SignatureInput) { sendPayment(input: $input, signature: $signature) { payment { hash nonce } } }';
const TRANSACTION_STATUS_QUERY = 'query($payment: ID!) { transactionStatus(payment: $payment) }';
const STATUSES: readonly TransactionStatus[] = ['INCLUDED', 'PENDING', 'UNKNOWN'];

/** A daemon reached over its GraphQL endpoint. */
export function graphqlDaemon(url: string): Daemon {
  return {
    async account(publicKey) {
      const data = await graphqlData(url, ACCOUNT_QUERY, { publicKey });
      const account = data['account'] as { nonce?: unknown; inferredNonce?: unknown; balance?: { total?: unknown; liquid?: unknown } } | null;
      if (account === null || account === undefined) return null;
      return {
        nonce: daemonWholeNumber(account.nonce, 'account.nonce', url),
        inferredNonce: daemonWholeNumber(account.inferredNonce, 'account.inferredNonce', url),
        balance: daemonWholeNumber(account.balance?.liquid ?? account.balance?.total, 'account.balance', url),
      };
    },
    async sendPayment(payment) {
      const response = await graphqlPost(url, SEND_PAYMENT_MUTATION, { input: payment.data, signature: payment.signature });
      const errors = graphqlErrors(response);
      if (errors !== null) return { accepted: false, reason: errors };
      const hash = ((response['data'] as Record<string, { payment?: { hash?: unknown } }> | undefined)?.['sendPayment']?.payment?.hash ?? null) as unknown;
      if (typeof hash !== 'string') throw daemonInvalid(url, 'sendPayment returned no payment hash');
      return { accepted: true, hash };
    },
    async transactionStatus(paymentId) {
      const status = (await graphqlData(url, TRANSACTION_STATUS_QUERY, { payment: paymentId }))['transactionStatus'];
      if (!STATUSES.includes(status as TransactionStatus)) throw daemonInvalid(url, `transactionStatus returned ${JSON.stringify(status)}`);
      return status as TransactionStatus;
    },
  };
}
