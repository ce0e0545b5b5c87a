import { MinapayError } from '../errors.js';
import { daemonInvalid, daemonWholeNumber, graphqlData, graphqlErrors, graphqlPost } from '../io/graphql.js';
import type { SignedPayment } from './signed-file.js';
import { memoText } from './transaction-id.js';

/** What the daemon knows of the sender's account. Nonces and amounts as bigint. */
export interface DaemonAccount {
  /** Nonce of the best tip's ledger (committed): every nonce below it is used on chain. */
  readonly nonce: bigint;
  /** Next nonce to use, counting the daemon's transaction pool. */
  readonly inferredNonce: bigint;
  /** What the account can spend now (liquid, or total when the daemon gives no liquid balance). */
  readonly balance: bigint;
}

/** INCLUDED: on the best chain the daemon holds; PENDING: in its pool (or a side branch); UNKNOWN: neither, which includes long final. */
export type TransactionStatus = 'INCLUDED' | 'PENDING' | 'UNKNOWN';

export type SendOutcome = { readonly accepted: true; readonly hash: string } | { readonly accepted: false; readonly reason: string };

/** A user command in the daemon's pool. */
export interface PooledCommand {
  readonly hash: string;
  readonly nonce: bigint;
}

/** A user command in a block; failureReason is null for one that was applied. */
export interface ChainCommand extends PooledCommand {
  readonly from: string;
  readonly failureReason: string | null;
  /** Its memo's text; null when the daemon gave none or it holds no text. */
  readonly memo: string | null;
}

export interface ChainBlock {
  readonly stateHash: string;
  readonly height: bigint;
  readonly userCommands: readonly ChainCommand[];
}

/** What minapay asks a Mina daemon, by the real daemon's GraphQL fields. */
export interface Daemon {
  account(publicKey: string): Promise<DaemonAccount | null>;
  /** Throws DAEMON_UNAVAILABLE when the request may or may not have reached the daemon. */
  sendPayment(payment: SignedPayment): Promise<SendOutcome>;
  /** By the payment's transaction ID (transaction-id.ts): the daemon takes no hash here. */
  transactionStatus(paymentId: string): Promise<TransactionStatus>;
  /** The last blocks of the daemon's best chain, oldest first: at most maxLength, and no more than the daemon holds (k). */
  bestChain(maxLength: number): Promise<ChainBlock[]>;
  /** The sender's commands in the daemon's pool. */
  pooledUserCommands(publicKey: string): Promise<PooledCommand[]>;
  /** Which of these keys have an account on the daemon's best tip (batched: one request per hundred keys). */
  existingAccounts(publicKeys: readonly string[]): Promise<Set<string>>;
  /** The network's account creation fee, from the daemon's genesis constants (`genesisConstants { accountCreationFee }`). */
  accountCreationFee(): Promise<bigint>;
  /** `syncStatus`: SYNCED when the daemon follows the network. */
  syncStatus(): Promise<string>;
}

const ACCOUNT_QUERY = 'query($publicKey: PublicKey!) { account(publicKey: $publicKey) { nonce inferredNonce balance { total liquid } } }';
const SEND_PAYMENT_MUTATION =
  'mutation($input: SendPaymentInput!, $signature: SignatureInput) { sendPayment(input: $input, signature: $signature) { payment { hash nonce } } }';
const TRANSACTION_STATUS_QUERY = 'query($payment: ID!) { transactionStatus(payment: $payment) }';
const BEST_CHAIN_QUERY =
  'query($maxLength: Int) { bestChain(maxLength: $maxLength) { stateHash protocolState { consensusState { blockHeight } } ' +
  'transactions { userCommands { hash nonce from memo failureReason } } } }';
const POOLED_USER_COMMANDS_QUERY = 'query($publicKey: PublicKey) { pooledUserCommands(publicKey: $publicKey) { hash nonce } }';
const GENESIS_CONSTANTS_QUERY = 'query { genesisConstants { accountCreationFee } }';
const SYNC_STATUS_QUERY = 'query { syncStatus }';
const STATUSES: readonly TransactionStatus[] = ['INCLUDED', 'PENDING', 'UNKNOWN'];
/** Keys asked about in one request: each is one aliased `account` field of the query. */
const ACCOUNTS_PER_REQUEST = 100;

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
    async bestChain(maxLength) {
      const blocks = (await graphqlData(url, BEST_CHAIN_QUERY, { maxLength }))['bestChain'];
      // The daemon has no best chain while it bootstraps.
      if (blocks === null || blocks === undefined) throw new MinapayError('DAEMON_NOT_SYNCED', `${url}: the daemon has no best chain yet; try again later`);
      if (!Array.isArray(blocks)) throw daemonInvalid(url, 'bestChain is not a list of blocks');
      return blocks.map((block, index) => chainBlock(block, `bestChain[${index}]`, url));
    },
    async pooledUserCommands(publicKey) {
      const commands = (await graphqlData(url, POOLED_USER_COMMANDS_QUERY, { publicKey }))['pooledUserCommands'];
      if (!Array.isArray(commands)) throw daemonInvalid(url, 'pooledUserCommands is not a list');
      return commands.map((command, index) => pooledCommand(command, `pooledUserCommands[${index}]`, url));
    },
    async existingAccounts(publicKeys) {
      const existing = new Set<string>();
      for (let start = 0; start < publicKeys.length; start += ACCOUNTS_PER_REQUEST) {
        const keys = publicKeys.slice(start, start + ACCOUNTS_PER_REQUEST);
        const data = await graphqlData(url, accountsQuery(keys.length), Object.fromEntries(keys.map((key, index) => [`k${index}`, key])));
        keys.forEach((key, index) => {
          // The daemon answers null for a key without an account.
          if (data[`a${index}`] !== null && data[`a${index}`] !== undefined) existing.add(key);
        });
      }
      return existing;
    },
    async accountCreationFee() {
      const constants = (await graphqlData(url, GENESIS_CONSTANTS_QUERY))['genesisConstants'] as { accountCreationFee?: unknown } | null | undefined;
      return daemonWholeNumber(constants?.accountCreationFee, 'genesisConstants.accountCreationFee', url);
    },
    async syncStatus() {
      const status = (await graphqlData(url, SYNC_STATUS_QUERY))['syncStatus'];
      if (typeof status !== 'string') throw daemonInvalid(url, `syncStatus is ${JSON.stringify(status)}`);
      return status;
    },
  };
}

/** One `account` field per key, aliased a0, a1, ..., the keys passed as variables k0, k1, ... */
function accountsQuery(count: number): string {
  const indexes = Array.from({ length: count }, (_, index) => index);
  return (
    `query(${indexes.map((index) => `$k${index}: PublicKey!`).join(', ')}) { ` +
    `${indexes.map((index) => `a${index}: account(publicKey: $k${index}) { publicKey }`).join(' ')} }`
  );
}

function chainBlock(value: unknown, where: string, url: string): ChainBlock {
  const block = value as {
    stateHash?: unknown;
    protocolState?: { consensusState?: { blockHeight?: unknown } };
    transactions?: { userCommands?: unknown };
  } | null;
  if (typeof block?.stateHash !== 'string') throw daemonInvalid(url, `${where}.stateHash is ${JSON.stringify(block?.stateHash)}`);
  const commands = block.transactions?.userCommands;
  if (!Array.isArray(commands)) throw daemonInvalid(url, `${where}.transactions.userCommands is not a list`);
  return {
    stateHash: block.stateHash,
    height: daemonWholeNumber(block.protocolState?.consensusState?.blockHeight, `${where}.blockHeight`, url),
    userCommands: commands.map((command, index) => chainCommand(command, `${where}.userCommands[${index}]`, url)),
  };
}

function chainCommand(value: unknown, where: string, url: string): ChainCommand {
  const command = value as { from?: unknown; failureReason?: unknown; memo?: unknown } | null;
  if (typeof command?.from !== 'string') throw daemonInvalid(url, `${where}.from is ${JSON.stringify(command?.from)}`);
  const failureReason = command.failureReason ?? null;
  if (failureReason !== null && typeof failureReason !== 'string') throw daemonInvalid(url, `${where}.failureReason is ${JSON.stringify(failureReason)}`);
  return { ...pooledCommand(value, where, url), from: command.from, failureReason, memo: typeof command.memo === 'string' ? memoText(command.memo) : null };
}

function pooledCommand(value: unknown, where: string, url: string): PooledCommand {
  const command = value as { hash?: unknown; nonce?: unknown } | null;
  if (typeof command?.hash !== 'string') throw daemonInvalid(url, `${where}.hash is ${JSON.stringify(command?.hash)}`);
  return { hash: command.hash, nonce: daemonWholeNumber(command.nonce, `${where}.nonce`, url) };
}
