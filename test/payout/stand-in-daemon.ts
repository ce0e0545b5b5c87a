import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import Client from 'mina-signer';

/**
 * A stand-in for a Mina daemon's GraphQL endpoint, for tests (no daemon
 * runs here). It answers the operations minapay uses (account,
 * sendPayment, transactionStatus; syncStatus and the best tip's epoch
 * ledgers), the payment ones with the
 * daemon's rules: every payment's signature is verified for its network,
 * the sender's nonces must follow on from the ledger and pool without a
 * gap, amount + fee must be covered, and a payment it already has is a
 * Duplicate. Accepted payments wait in a pool until `includePool()` puts
 * them in a block. Faults: drop a connection, or stop answering.
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
}

/** Called around each sendPayment (numbered from 1): before it is looked at, and after it is decided but before the answer leaves. */
export type SendHook = (request: number, phase: 'received' | 'decided') => void | Promise<void>;

interface GraphqlRequest {
  readonly query?: unknown;
  readonly variables?: Record<string, unknown>;
}

export class StandInDaemon {
  readonly accounts = new Map<string, StandInAccount>();
  readonly pool: StandInPayment[] = [];
  readonly included: StandInPayment[] = [];
  /** How many sendPayment requests arrived, in all. */
  sendRequests = 0;
  /** Drop the connection of these sendPayment requests without an answer: 'received' before deciding, 'decided' after accepting. */
  readonly drops = new Map<number, 'received' | 'decided'>();
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

  private readonly client: Client;
  private readonly server: Server;
  private requests = 0;

  constructor(options: StandInOptions) {
    this.client = new Client({ network: options.network });
    for (const [pk, account] of Object.entries(options.accounts)) this.accounts.set(pk, { balance: account.balance, nonce: account.nonce ?? 0n });
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
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A block: the pool's payments are applied to the ledger in nonce order. */
  includePool(): void {
    for (const payment of this.pool.splice(0).sort((a, b) => (a.nonce < b.nonce ? -1 : 1))) {
      const sender = this.accounts.get(payment.from)!;
      sender.balance -= payment.amount + payment.fee;
      sender.nonce = payment.nonce + 1n;
      const receiver = this.accounts.get(payment.to) ?? { balance: 0n, nonce: 0n };
      receiver.balance += payment.amount;
      this.accounts.set(payment.to, receiver);
      this.included.push(payment);
    }
  }

  /** Every payment the daemon took, pooled or included. */
  payments(): StandInPayment[] {
    return [...this.included, ...this.pool];
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.requests += 1;
    if (this.requests > this.dieAfterRequests) {
      request.socket.destroy();
      return;
    }
    const body = JSON.parse(await text(request)) as GraphqlRequest;
    const query = String(body.query ?? '');
    const variables = body.variables ?? {};
    if (/\bsendPayment\s*\(/.test(query)) return this.sendPayment(variables, request, response);
    if (/\baccount\s*\(/.test(query)) {
      await this.accountHook?.();
      return reply(response, { data: { account: this.account(String(variables['publicKey'])) } });
    }
    if (/\bbestChain\s*\(/.test(query)) {
      reply(response, { data: this.chainData() });
      this.chainHook?.();
      return;
    }
    if (/\btransactionStatus\s*\(/.test(query)) return reply(response, { data: { transactionStatus: this.status(String(variables['payment'])) } });
    reply(response, { errors: [{ message: `stand-in daemon: unsupported query ${query}` }] });
  }

  /** As the daemon answers `syncStatus bestChain(maxLength: 1) { ... consensusState { epoch stakingEpochData nextEpochData } }`: epochs are strings. */
  private chainData() {
    const { syncStatus, epoch, stakingLedgerHash, nextLedgerHash } = this.chain;
    const consensusState = {
      epoch: String(epoch),
      stakingEpochData: { ledger: { hash: stakingLedgerHash } },
      nextEpochData: { ledger: { hash: nextLedgerHash } },
    };
    return { syncStatus, bestChain: syncStatus === 'BOOTSTRAP' ? null : [{ protocolState: { consensusState } }] };
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

  private status(hash: string): string {
    if (this.included.some((payment) => payment.hash === hash)) return 'INCLUDED';
    if (this.pool.some((payment) => payment.hash === hash)) return 'PENDING';
    return 'UNKNOWN';
  }

  private async sendPayment(variables: Record<string, unknown>, request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.sendRequests += 1;
    const number = this.sendRequests;
    await this.sendHook?.(number, 'received');
    if (this.drops.get(number) === 'received') {
      request.socket.destroy();
      return;
    }
    if (this.sendLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.sendLatencyMs));
    const outcome = this.decide(variables['input'] as Record<string, string>, variables['signature'] as { field: string; scalar: string });
    await this.sendHook?.(number, 'decided');
    if (this.drops.get(number) === 'decided') {
      request.socket.destroy();
      return;
    }
    if (typeof outcome === 'string') reply(response, { data: null, errors: [{ message: `Couldn't send user_command: ${outcome}` }] });
    else reply(response, { data: { sendPayment: { payment: { hash: outcome.hash, nonce: outcome.nonce.toString() } } } });
  }

  /** The pool's verdict on a payment: accepted (and pooled) or the daemon's error name. */
  private decide(input: Record<string, string>, signature: { field: string; scalar: string }): StandInPayment | string {
    const data = {
      to: input['to']!,
      from: input['from']!,
      amount: input['amount']!,
      fee: input['fee']!,
      nonce: input['nonce']!,
      memo: input['memo'] ?? '',
      validUntil: input['validUntil'] ?? '4294967295',
    };
    const signed = { data, signature, publicKey: data.from };
    let valid = false;
    try {
      valid = this.client.verifyPayment(signed);
    } catch {
      valid = false;
    }
    if (!valid) return 'Invalid_signature';
    const hash = this.client.hashPayment(signed, { berkeley: true });
    if (this.payments().some((payment) => payment.hash === hash)) return 'Duplicate';
    const account = this.accounts.get(data.from);
    if (account === undefined) return 'Fee_payer_account_not_found';
    const nonce = BigInt(data.nonce);
    if (this.pool.some((payment) => payment.from === data.from && payment.nonce === nonce)) return 'Insufficient_replace_fee';
    if (nonce !== this.inferredNonce(data.from)) return 'Invalid_nonce';
    const payment: StandInPayment = { hash, from: data.from, to: data.to, amount: BigInt(data.amount), fee: BigInt(data.fee), nonce, memo: data.memo };
    const reserved = this.pool.filter((p) => p.from === data.from).reduce((sum, p) => sum + p.amount + p.fee, 0n);
    if (account.balance - reserved < payment.amount + payment.fee) return 'Insufficient_funds';
    this.pool.push(payment);
    return payment;
  }
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
