import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import bs58check from 'bs58check';
import Client from 'mina-signer';

import type { PaymentData, PaymentSignature } from '../../src/payout/signed-file.js';
import { encodedMemo } from '../../src/payout/transaction-id.js';
import { commandPayment, readSignedCommand } from './transaction-ids.js';

/**
 * A stand-in for a Mina daemon's GraphQL endpoint, for tests (no daemon
 * runs here). It answers the operations minapay uses, with the real
 * daemon's argument names and rules: account (committed `nonce` and
 * `inferredNonce`, counting the pool), sendPayment (every signature
 * verified for its network; nonces follow on from the ledger and pool
 * without a gap; amount + fee covered; "Duplicate" only for a payment its
 * pool already holds), transactionStatus (by the payment's ID, which it
 * decodes and hashes like the daemon; a hash is an error), pooledUserCommands,
 * bestChain (its last k blocks; syncStatus and the epoch ledgers too).
 *
 * Accepted payments wait in the pool (the mempool) until `includePool()`
 * puts them in a block, or until block production (`produceBlocks(ms)`)
 * does every few hundred milliseconds; `addEmptyBlocks(n)` deepens the
 * chain; `receiveBlock()` is a block from elsewhere, with commands the pool
 * never saw (a foreign transaction that takes a nonce). A payment to a new
 * account below the account creation fee fails on chain, as on the real
 * chain, and `failOnInclusion` makes any payment fail there with a given
 * reason. Faults: drop a connection, stop answering, answer "Duplicate" for
 * a payment it never received, restart (the pool is lost), `dropFromPool`
 * (an eviction: the payment and the sender's later nonces leave the pool).
 */
export interface StandInAccount {
  balance: bigint;
  nonce: bigint;
}

export interface StandInPayment {
  readonly hash: string;
  readonly from: string;
  readonly to: string;
  readonly amount: bigint;
  readonly fee: bigint;
  readonly nonce: bigint;
  readonly memo: string;
}

/** A payment in a block: null failureReason if it was applied. */
export interface StandInCommand extends StandInPayment {
  readonly failureReason: string | null;
  /** The payment created its receiver's account (and paid the creation fee): a re-org deletes it again. */
  readonly createdReceiver?: boolean;
}

export interface StandInBlock {
  readonly height: number;
  readonly stateHash: string;
  readonly commands: readonly StandInCommand[];
}

export interface StandInOptions {
  readonly network: 'mainnet' | 'devnet';
  readonly accounts: Record<string, { balance: bigint; nonce?: bigint }>;
}

/** The best tip's consensus state as far as epoch ledgers go, and how synced the daemon says it is. */
export interface StandInChain {
  syncStatus: 'SYNCED' | 'CATCHUP' | 'BOOTSTRAP' | 'CONNECTING' | 'LISTENING' | 'OFFLINE';
  epoch: number;
  stakingLedgerHash: string;
  nextLedgerHash: string;
  /** The best tip's slot in its epoch (consensusState.slot). */
  slot?: number;
  /** The epochs' seeds (base58, "2va...") and total currencies (nanomina), as stakingEpochData and nextEpochData carry them. */
  stakingSeed?: string;
  stakingTotalCurrency?: bigint;
  nextSeed?: string;
  nextTotalCurrency?: bigint;
  /**
   * The fork the daemon runs (genesisConstants, daemonStatus.consensusConfiguration, and consensusState.slotSinceGenesis,
   * which counts from the first genesis while epoch and slot count from the fork): Berkeley's on mainnet unless set.
   */
  fork?: StandInFork;
}

export interface StandInFork {
  readonly firstGlobalSlot: number;
  readonly genesisTimestamp: string;
  readonly slotDurationMs: number;
  readonly slotsPerEpoch: number;
  readonly coinbase: bigint;
}

/** Mainnet since the Berkeley upgrade, as its daemons report it. */
export const BERKELEY_FORK: StandInFork = {
  firstGlobalSlot: 564_480,
  genesisTimestamp: '2024-06-05T00:00:00Z',
  slotDurationMs: 180_000,
  slotsPerEpoch: 7140,
  coinbase: 720_000_000_000n,
};

/** Called around each sendPayment (numbered from 1): before it is looked at, and after it is decided but before the answer leaves. */
export type SendHook = (request: number, phase: 'received' | 'decided') => void | Promise<void>;

/** A payment as sendPayment takes it. */
export interface SignedInput {
  readonly data: PaymentData;
  readonly signature: PaymentSignature;
}

interface GraphqlRequest {
  readonly query?: unknown;
  readonly variables?: Record<string, unknown>;
}

/** The real chain's account creation fee (1 MINA), taken from a payment that creates its receiver. */
export const ACCOUNT_CREATION_FEE = 1_000_000_000n;
/** The arguments each field takes, as the real schema names them. */
const FIELD_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  sendPayment: ['input', 'signature'],
  account: ['publicKey', 'token'],
  transactionStatus: ['payment', 'zkappTransaction'],
  pooledUserCommands: ['publicKey', 'hashes', 'ids'],
  bestChain: ['maxLength'],
  genesisConstants: [],
  daemonStatus: [],
  syncStatus: [],
};

/** Fields of the chain's state: a query may ask for several at once, and gets each. */
const CHAIN_FIELDS = ['bestChain', 'genesisConstants', 'daemonStatus', 'syncStatus'];

export class StandInDaemon {
  readonly accounts = new Map<string, StandInAccount>();
  readonly pool: StandInPayment[] = [];
  /** The chain from its genesis block, oldest first. */
  readonly blocks: StandInBlock[] = [];
  /** How many blocks the daemon holds (k): older ones are final and out of its view, as payments in them. */
  frontierLength = 290;
  /** How many sendPayment requests arrived, in all. */
  sendRequests = 0;
  /** Drop the connection of these sendPayment requests without an answer: 'received' before deciding, 'decided' after accepting. */
  readonly drops = new Map<number, 'received' | 'decided'>();
  /** Answer these sendPayment requests "Duplicate" without looking at them: a daemon that claims a payment it never received. */
  readonly falseDuplicates = new Set<number>();
  /** After this many requests of any kind, every connection is cut. */
  dieAfterRequests = Number.POSITIVE_INFINITY;
  /** Milliseconds each sendPayment takes, as a busy daemon would. */
  sendLatencyMs = 0;
  sendHook: SendHook | undefined;
  chain: StandInChain = { syncStatus: 'SYNCED', epoch: 0, stakingLedgerHash: '', nextLedgerHash: '' };
  /** Called after each answer about the chain: a test can move the chain on between two questions. */
  chainHook: (() => void) | undefined;
  /** Awaited before each account question is answered: a test can hold a run there, e.g. `payout sign` asking for the nonce. */
  accountHook: (() => Promise<void>) | undefined;
  /** Payments (by hash) that a block includes as failed, with the chain's failure reason: their fee and nonce are spent. */
  readonly failOnInclusion = new Map<string, string>();
  /** Blocks this daemon produced by itself (`produceBlocks`). */
  producedBlocks = 0;
  /** Called after each block is added, whoever made it. */
  blockHook: ((block: StandInBlock) => void) | undefined;

  private readonly client: Client;
  private readonly server: Server;
  private requests = 0;
  private production: NodeJS.Timeout | undefined;
  /** Re-orgs so far: blocks of the fork that won the last one are named after it. */
  private forks = 0;

  constructor(options: StandInOptions) {
    this.client = new Client({ network: options.network });
    for (const [pk, account] of Object.entries(options.accounts)) this.accounts.set(pk, { balance: account.balance, nonce: account.nonce ?? 0n });
    this.addBlock([]);
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  /** Listens on 127.0.0.1, on any free port unless one is given. */
  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.stopProducing();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A block of this daemon: the pool's payments, each sender's in nonce order from its ledger nonce. */
  includePool(): StandInBlock {
    const payments = this.pool.splice(0).sort((a, b) => (a.nonce < b.nonce ? -1 : 1));
    return this.addBlock(payments.map((payment) => this.apply(payment)));
  }

  /** Block production, as a network makes it: a block of the pool's payments every `ms` milliseconds, until stopped. */
  produceBlocks(ms: number): void {
    this.stopProducing();
    this.production = setInterval(() => {
      this.producedBlocks += 1;
      this.includePool();
    }, ms);
  }

  stopProducing(): void {
    clearInterval(this.production);
    this.production = undefined;
  }

  /** `count` blocks without commands: the chain grows over what it holds, as other producers' blocks would make it. */
  addEmptyBlocks(count: number): void {
    for (let i = 0; i < count; i += 1) this.addBlock([]);
  }

  /**
   * An eviction (a full pool drops its lowest fees; a restart drops all): the payment leaves the pool, and with it the
   * sender's later nonces, which can no longer be applied without it.
   */
  dropFromPool(hash: string): StandInPayment[] {
    const dropped = this.pool.find((payment) => payment.hash === hash);
    if (dropped === undefined) throw new Error(`stand-in daemon: no payment ${hash} in the pool`);
    const leaving = this.pool.filter((payment) => payment.from === dropped.from && payment.nonce >= dropped.nonce);
    for (const payment of leaving) this.pool.splice(this.pool.indexOf(payment), 1);
    return leaving;
  }

  /** A block from another node whose commands this daemon's pool never had (say, the same key used elsewhere). */
  receiveBlock(payments: readonly SignedInput[]): StandInBlock {
    const commands = payments.map((payment) => {
      if (!this.verified(payment)) throw new Error(`stand-in daemon: the block's payment of nonce ${payment.data.nonce} has a bad signature`);
      const command = this.payment(payment.data, this.hash(payment));
      if (command.nonce !== this.accounts.get(command.from)?.nonce) throw new Error(`stand-in daemon: the block's nonce ${command.nonce} is not next`);
      return this.apply(command);
    });
    const block = this.addBlock(commands);
    // The pool drops what the new best tip has used up, as the daemon's pool does on a new block.
    const stale = this.pool.filter((payment) => payment.nonce < (this.accounts.get(payment.from)?.nonce ?? 0n));
    for (const payment of stale) this.pool.splice(this.pool.indexOf(payment), 1);
    return block;
  }

  /**
   * A re-org: a longer fork from another producer replaces the best chain's last `depth` blocks with `depth + 1` blocks
   * of its own, without their commands. Their effects on the ledger are undone; with `backToPool`, the daemon takes the
   * commands back into its pool (as a daemon does with what the new best chain no longer holds), else they are lost.
   */
  reorganize(depth: number, { backToPool }: { backToPool: boolean }): StandInPayment[] {
    const orphaned = this.blocks.splice(this.blocks.length - depth, depth).flatMap((block) => block.commands);
    for (const command of [...orphaned].reverse()) this.undo(command);
    this.forks += 1;
    this.addEmptyBlocks(depth + 1);
    const payments = orphaned.map(({ failureReason: _reason, createdReceiver: _created, ...payment }) => payment);
    if (backToPool) this.pool.push(...payments);
    return payments;
  }

  /** A restart: the daemon comes back with its chain and an empty pool. */
  restart(): void {
    this.pool.length = 0;
  }

  /** Every payment in a block, final or not. */
  get included(): StandInPayment[] {
    return this.blocks.flatMap((block) => block.commands);
  }

  /** Every payment the daemon took, pooled or included. */
  payments(): StandInPayment[] {
    return [...this.included, ...this.pool];
  }

  private addBlock(commands: StandInCommand[]): StandInBlock {
    const height = this.blocks.length + 1;
    // A block of a fork that won a re-org has a state hash of its own at the same height.
    const name = this.forks === 0 ? `stand-in block ${height}` : `stand-in fork ${this.forks} block ${height}`;
    const stateHash = bs58check.encode(Uint8Array.from([0x10, 0x01, ...Buffer.from(name.padEnd(32, '.'))]));
    const block = { height, stateHash, commands };
    this.blocks.push(block);
    this.blockHook?.(block);
    return block;
  }

  /** Applies a payment to the ledger: the fee and nonce always; the amount unless it cannot create its receiver. */
  private apply(payment: StandInPayment): StandInCommand {
    const sender = this.accounts.get(payment.from)!;
    sender.balance -= payment.fee;
    sender.nonce = payment.nonce + 1n;
    const forced = this.failOnInclusion.get(payment.hash);
    if (forced !== undefined) return { ...payment, failureReason: forced };
    const receiver = this.accounts.get(payment.to);
    if (receiver === undefined && payment.amount < ACCOUNT_CREATION_FEE) return { ...payment, failureReason: 'Amount_insufficient_to_create_account' };
    sender.balance -= payment.amount;
    if (receiver === undefined) this.accounts.set(payment.to, { balance: payment.amount - ACCOUNT_CREATION_FEE, nonce: 0n });
    else receiver.balance += payment.amount;
    return { ...payment, failureReason: null, createdReceiver: receiver === undefined };
  }

  /** What apply did, undone: a block that leaves the best chain takes its commands' effects with it. */
  private undo(command: StandInCommand): void {
    const sender = this.accounts.get(command.from)!;
    sender.balance += command.fee;
    sender.nonce = command.nonce;
    if (command.failureReason !== null) return;
    sender.balance += command.amount;
    if (command.createdReceiver === true) this.accounts.delete(command.to);
    else this.accounts.get(command.to)!.balance -= command.amount;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.requests += 1;
    if (this.requests > this.dieAfterRequests) {
      request.socket.destroy();
      return;
    }
    const body = JSON.parse(await text(request)) as GraphqlRequest;
    const query = String(body.query ?? '');
    try {
      const field = Object.keys(FIELD_ARGUMENTS).find((name) => new RegExp(`\\b${name}\\b`).test(query));
      if (field === undefined) throw new Error(`stand-in daemon: unsupported query ${query}`);
      const aliases = aliasedFields(query, field);
      if (aliases.length > 0) {
        if (field === 'account') await this.accountHook?.();
        const answers = aliases.map(({ alias, args }) => [alias, this.answer(field, fieldArgumentsOf(field, args, body.variables ?? {}))[field]]);
        reply(response, { data: Object.fromEntries(answers) });
        return;
      }
      if (CHAIN_FIELDS.includes(field)) {
        const asked = CHAIN_FIELDS.filter((name) => new RegExp(`\\b${name}\\b`).test(query));
        reply(response, { data: Object.assign({}, ...asked.map((name) => this.answer(name, fieldArguments(query, name, body.variables ?? {})))) });
        if (asked.includes('bestChain')) this.chainHook?.();
        return;
      }
      const args = fieldArguments(query, field, body.variables ?? {});
      if (field === 'sendPayment') return await this.sendPayment(args, request, response);
      if (field === 'account') await this.accountHook?.();
      reply(response, { data: this.answer(field, args) });
    } catch (error) {
      reply(response, { data: null, errors: [{ message: (error as Error).message }] });
    }
  }

  private answer(field: string, args: Map<string, unknown>): Record<string, unknown> {
    if (field === 'account') return { account: this.account(String(args.get('publicKey'))) };
    if (field === 'transactionStatus') return { transactionStatus: this.status(args) };
    if (field === 'pooledUserCommands') return { pooledUserCommands: this.pooled(args.get('publicKey')) };
    if (field === 'syncStatus') return { syncStatus: this.chain.syncStatus };
    const fork = this.chain.fork ?? BERKELEY_FORK;
    if (field === 'genesisConstants') {
      const genesisConstants = {
        accountCreationFee: ACCOUNT_CREATION_FEE.toString(),
        coinbase: fork.coinbase.toString(),
        genesisTimestamp: fork.genesisTimestamp,
      };
      return { genesisConstants };
    }
    if (field === 'daemonStatus') return { daemonStatus: { consensusConfiguration: { slotDuration: fork.slotDurationMs, slotsPerEpoch: fork.slotsPerEpoch } } };
    return this.chainData(args.get('maxLength'));
  }

  /**
   * As the daemon answers `syncStatus` and `bestChain(maxLength)`: the last blocks it holds, oldest first, each with its
   * height, epoch and slot (strings), epoch data (seeds base58, total currency a string) and user commands; no best chain
   * while bootstrapping. The epoch figures are the chain's as the test set them, on every block.
   */
  private chainData(maxLength: unknown) {
    const { syncStatus, epoch, stakingLedgerHash, nextLedgerHash, slot, stakingSeed, stakingTotalCurrency, nextSeed, nextTotalCurrency } = this.chain;
    const fork = this.chain.fork ?? BERKELEY_FORK;
    const epochData = (hash: string, seed: string | undefined, totalCurrency: bigint | undefined) => ({
      ledger: { hash, totalCurrency: (totalCurrency ?? 0n).toString() },
      seed: seed ?? '2va9BGv9JrLTtrzZttiEMDYw1Zj6a6EHzXjmP9evHDTG3oEquURA', // the seed 0
    });
    const length = Math.min(typeof maxLength === 'number' ? maxLength : this.frontierLength, this.frontierLength);
    const blocks = this.blocks.slice(-length).map((block) => ({
      stateHash: block.stateHash,
      protocolState: {
        consensusState: {
          blockHeight: String(block.height),
          epoch: String(epoch),
          slot: String(slot ?? 0),
          slotSinceGenesis: String(fork.firstGlobalSlot + epoch * fork.slotsPerEpoch + (slot ?? 0)),
          stakingEpochData: epochData(stakingLedgerHash, stakingSeed, stakingTotalCurrency),
          nextEpochData: epochData(nextLedgerHash, nextSeed, nextTotalCurrency),
        },
      },
      transactions: { userCommands: block.commands.map((command) => ({ ...userCommand(command), failureReason: command.failureReason })) },
    }));
    return { syncStatus, bestChain: syncStatus === 'BOOTSTRAP' ? null : blocks };
  }

  private account(publicKey: string) {
    const account = this.accounts.get(publicKey);
    if (account === undefined) return null;
    const balance = account.balance.toString();
    return { nonce: account.nonce.toString(), inferredNonce: this.inferredNonce(publicKey).toString(), balance: { total: balance, liquid: balance } };
  }

  private inferredNonce(publicKey: string): bigint {
    const pooled = this.pool.filter((payment) => payment.from === publicKey).length;
    return (this.accounts.get(publicKey)?.nonce ?? 0n) + BigInt(pooled);
  }

  /** The daemon rebuilds the command from its ID and hashes it; anything else is an error, not UNKNOWN. */
  private status(args: Map<string, unknown>): string {
    const payment = args.get('payment');
    if ((payment === undefined || payment === null) === (args.get('zkappTransaction') === undefined || args.get('zkappTransaction') === null))
      throw new Error('Invalid query: Specify either a payment ID or a zkApp transaction ID');
    let hash: string;
    try {
      hash = this.hash(commandPayment(readSignedCommand(String(payment))));
    } catch (error) {
      throw new Error(`Invalid transaction provided (${(error as Error).message})`);
    }
    if (this.blocks.slice(-this.frontierLength).some((block) => block.commands.some((command) => command.hash === hash))) return 'INCLUDED';
    if (this.pool.some((pooled) => pooled.hash === hash)) return 'PENDING';
    return 'UNKNOWN';
  }

  private pooled(publicKey: unknown) {
    return this.pool.filter((payment) => publicKey === undefined || publicKey === null || payment.from === publicKey).map(userCommand);
  }

  private async sendPayment(args: Map<string, unknown>, request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.sendRequests += 1;
    const number = this.sendRequests;
    await this.sendHook?.(number, 'received');
    if (this.drops.get(number) === 'received') {
      request.socket.destroy();
      return;
    }
    if (this.sendLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.sendLatencyMs));
    const outcome = this.falseDuplicates.has(number)
      ? 'Duplicate'
      : this.decide(args.get('input') as Record<string, string>, args.get('signature') as PaymentSignature);
    await this.sendHook?.(number, 'decided');
    if (this.drops.get(number) === 'decided') {
      request.socket.destroy();
      return;
    }
    if (typeof outcome === 'string') reply(response, { data: null, errors: [{ message: `Couldn't send user_command: ${outcome}` }] });
    else reply(response, { data: { sendPayment: { payment: userCommand(outcome) } } });
  }

  /** The pool's verdict on a payment: accepted (and pooled) or the daemon's error name. */
  private decide(input: Record<string, string>, signature: PaymentSignature): StandInPayment | string {
    const data = {
      to: input['to']!,
      from: input['from']!,
      amount: input['amount']!,
      fee: input['fee']!,
      nonce: input['nonce']!,
      memo: input['memo'] ?? '',
      validUntil: input['validUntil'] ?? '4294967295',
    };
    if (!this.verified({ data, signature })) return 'Invalid_signature';
    const payment = this.payment(data, this.hash({ data, signature }));
    // Only a payment its pool holds is a duplicate; one already on chain has a used nonce.
    if (this.pool.some((pooled) => pooled.hash === payment.hash)) return 'Duplicate';
    const account = this.accounts.get(data.from);
    if (account === undefined) return 'Fee_payer_account_not_found';
    if (this.pool.some((pooled) => pooled.from === data.from && pooled.nonce === payment.nonce)) return 'Insufficient_replace_fee';
    if (payment.nonce !== this.inferredNonce(data.from)) return 'Invalid_nonce';
    const reserved = this.pool.filter((p) => p.from === data.from).reduce((sum, p) => sum + p.amount + p.fee, 0n);
    if (account.balance - reserved < payment.amount + payment.fee) return 'Insufficient_funds';
    this.pool.push(payment);
    return payment;
  }

  private verified({ data, signature }: SignedInput): boolean {
    try {
      return this.client.verifyPayment({ data, signature, publicKey: data.from });
    } catch {
      return false;
    }
  }

  private hash({ data, signature }: SignedInput): string {
    return this.client.hashPayment({ data, signature, publicKey: data.from }, { berkeley: true });
  }

  private payment(data: PaymentData, hash: string): StandInPayment {
    return { hash, from: data.from, to: data.to, amount: BigInt(data.amount), fee: BigInt(data.fee), nonce: BigInt(data.nonce), memo: data.memo };
  }
}

/** A payment as the daemon's UserCommand: nonce an Int, amounts strings. */
function userCommand(payment: StandInPayment) {
  return {
    hash: payment.hash,
    kind: 'PAYMENT',
    nonce: Number(payment.nonce),
    from: payment.from,
    to: payment.to,
    amount: payment.amount.toString(),
    fee: payment.fee.toString(),
    memo: encodedMemo(payment.memo),
  };
}

/**
 * The arguments given to a field in a query, by name: variables resolved, literals (numbers, strings) read. An argument the
 * real schema does not have on that field is an error, as the daemon makes it.
 */
function fieldArguments(query: string, field: string, variables: Record<string, unknown>): Map<string, unknown> {
  return fieldArgumentsOf(field, new RegExp(`\\b${field}\\s*\\(([^)]*)\\)`).exec(query)?.[1] ?? '', variables);
}

/** A field asked several times under aliases (`a0: account(publicKey: $k0) { ... }`), each with its arguments' text. */
function aliasedFields(query: string, field: string): { alias: string; args: string }[] {
  return [...query.matchAll(new RegExp(`(\\w+)\\s*:\\s*${field}\\s*\\(([^)]*)\\)`, 'g'))].map(([, alias, args]) => ({ alias: alias!, args: args! }));
}

function fieldArgumentsOf(field: string, given: string, variables: Record<string, unknown>): Map<string, unknown> {
  const args = new Map<string, unknown>();
  for (const [, name, value] of given.matchAll(/(\w+)\s*:\s*(\$\w+|"[^"]*"|-?\d+)/g)) {
    if (!FIELD_ARGUMENTS[field]!.includes(name!)) throw new Error(`Unknown argument "${name}" on field "${field}"`);
    if (value!.startsWith('$')) args.set(name!, variables[value!.slice(1)]);
    else args.set(name!, value!.startsWith('"') ? value!.slice(1, -1) : Number(value));
  }
  return args;
}

async function text(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function reply(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
