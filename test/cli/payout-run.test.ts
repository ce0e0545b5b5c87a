import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { readSendLog } from '../../src/payout/send-log.js';
import { ROOT, tempDir } from '../helpers.js';
import { within } from '../processes.js';
import { type RunWorld, runArgs, runWorld } from './payout-run-fixture.js';
import { type CliResult, runCli, runCliProcess } from './run.js';

/**
 * `minapay payout run` against the real parts: the stand-in daemon over
 * HTTP, the archive database on PGlite served over the wire protocol, a
 * ledger archive on disk, and a local HTTP receiver for notifications.
 */
before(() => process.chdir(ROOT));

const failedWith = (result: CliResult, exit: number, code: string, pattern?: RegExp) => {
  assert.equal(result.code, exit, result.stdout + result.stderr);
  assert.match(result.stderr, new RegExp(`\\[${code}\\]\\n$`));
  if (pattern !== undefined) assert.match(result.stderr, pattern);
};

/** Each delegator's applied payments' amounts at the daemon. */
function paymentsTo(world: RunWorld): bigint[][] {
  return world.delegators.map((pk) => world.daemon.included.filter((payment) => payment.to === pk).map((payment) => payment.amount));
}

/** A local HTTP receiver of notifications: every JSON body posted, with its path. */
class Receiver {
  readonly received: { path: string; body: Record<string, unknown> }[] = [];
  private readonly server: Server = createServer((request, response) => void this.take(request).then(() => response.end('ok')));

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async take(request: IncomingMessage): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    this.received.push({ path: request.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
  }
}

/** A port nothing listens on: a receiver that is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * One world for the file (each world costs an archive schema, a ledger
 * archive and a daemon), taken through a whole epoch step by step: the
 * tests run in order and each goes on from where the one before left it.
 * Notifications go to a local receiver and to one that is down.
 */
const dir = tempDir();

describe('minapay payout run', () => {
  let w: RunWorld;
  let receiver: Receiver;
  let env: Record<string, string>;
  let epochOne: string[];
  const TOKEN = 'SECRET-TOKEN-123';
  before(async () => {
    receiver = await new Receiver().start();
    env = { DOWN_HOOK: `http://127.0.0.1:${await closedPort()}/hook/${TOKEN}` };
    w = await runWorld({ dir, config: { notify: [receiver.url('/generic'), 'env:DOWN_HOOK'] } });
    // After --last-finished has chosen the epoch, runs name it: each choice reads the archive database again.
    epochOne = ['--config', w.config, 'payout', 'run', '--epoch', '1'];
  });
  after(async () => {
    await w.close();
    await receiver.stop();
  });
  const results: CliResult[] = [];
  const run = async (args: string[]) => {
    const result = await runCli(args, { env });
    results.push(result);
    return result;
  };

  it('--dry-run says what it would do for the last finished epoch, and writes, sends and notifies nothing', async () => {
    const dry = await run(runArgs(w, '--dry-run'));
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^epoch 1 of era berkeley/m);
    assert.match(dry.stdout, /^plan: would plan from ledger \S+epoch-1-\S+ and 2 blocks of the pool$/m);
    assert.match(dry.stdout, /^sign: would verify the plan and sign its payments$/m);
    assert.equal(existsSync(w.journal), false);
    assert.equal(receiver.received.length, 0);
  });

  it('plans the last finished epoch from the archives, verifies, signs and sends once; a second run meanwhile exits 75 at once (locked)', async (t) => {
    // The first run is held where it asks the daemon for the sender's nonce, holding the pool's and the epoch's locks.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached: () => void = () => {};
    const atSign = new Promise<void>((resolve) => (reached = resolve));
    w.daemon.accountHook = async () => {
      w.daemon.accountHook = undefined;
      reached();
      await held;
    };
    const running = run(runArgs(w));
    await within('the first run to reach signing', 20_000, atSign);
    failedWith(await runCliProcess(t, epochOne, { env }), 75, 'LOCKED', /already running/);
    release();
    const first = await running;
    failedWith(first, 75, 'PAYMENTS_PENDING', /epoch 1: 4 in the daemon's pool/);
    assert.match(first.stdout, /^epoch 1: planned 4 payments, [\d.]+ MINA$/m);
    assert.match(first.stdout, /^epoch 1: signed 4 payments$/m);
    assert.match(first.stdout, /^epoch 1: 4 payments: 0 final, 0 on chain, 4 in the daemon's pool \(4 sent now, 0 sent again\)$/m);
    const plan = JSON.parse(readFileSync(join(w.epochDir, 'plan.json'), 'utf8')) as {
      inputs: { ledger: { path: string }; blocks: { path: string; count: number } };
    };
    assert.equal(plan.inputs.blocks.count, 2);
    assert.equal(plan.inputs.blocks.path, join(w.epochDir, 'blocks.json'));
    assert.ok(plan.inputs.ledger.path.startsWith(w.ledgers), plan.inputs.ledger.path);
    // The delegators have no account yet: by default the pool pays the creation fee on top.
    assert.ok(w.daemon.pool.every((payment) => payment.amount > 1_000_000_000n));
  });

  it('follows the payments: 75 while they wait in the pool or on chain (sending nothing twice), 0 once all are final, then does nothing', async () => {
    const second = await run(epochOne);
    failedWith(second, 75, 'PAYMENTS_PENDING');
    assert.doesNotMatch(second.stdout, /planned|signed/);
    assert.equal(w.daemon.sendRequests, 4);
    w.daemon.includePool();
    failedWith(await run(epochOne), 75, 'PAYMENTS_PENDING', /4 on chain, not yet final/);
    w.daemon.addEmptyBlocks(3);
    const final = await run(epochOne);
    assert.equal(final.code, 0, final.stderr);
    assert.match(final.stdout, /^epoch 1: every payment is final$/m);
    const again = await run(epochOne);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(w.daemon.sendRequests, 4);
    assert.deepEqual(
      paymentsTo(w).map((amounts) => amounts.length),
      [1, 1, 1, 1],
    );
    const status = await runCli(['payout', 'status', '--journal', w.journal]);
    assert.equal(status.code, 0, status.stdout + status.stderr);
    assert.equal((await readSendLog(join(w.epochDir, 'send-log.jsonl'))).filter((record) => record.event === 'final').length, 4);
  });

  it('notified the local receiver of planned, sent and final with the figures; the receiver that is down changed nothing and saw no token printed', () => {
    const events = receiver.received.map(({ body }) => body['event']);
    assert.deepEqual(events, ['planned', 'sent', 'final']);
    const [planned, sent, done] = receiver.received.map(({ body }) => body);
    assert.deepEqual([planned!['source'], planned!['network'], planned!['pool'], planned!['epoch']], ['minapay', 'mainnet', w.pool, 1]);
    assert.match(String(planned!['text']), new RegExp(`^minapay: mainnet pool ${w.pool} epoch 1: planned 4 payments, [\\d.]+ MINA$`));
    assert.deepEqual((planned!['details'] as { payments: number; blocks: number }).payments, 4);
    assert.match(String(sent!['text']), /4 payments broadcast; 4 in the daemon's pool/);
    assert.match(String(done!['text']), /all 4 payments final/);
    // The receiver that is down: warned about on stderr by host alone, logged in the journal; the payout went on as the tests above show.
    const stderr = results.map((result) => result.stderr).join('');
    assert.match(stderr, /minapay: warning: the final notification to json http:\/\/127\.0\.0\.1:\d+ failed after 3 attempt\(s\) \(ECONNREFUSED\)/);
    const log = readFileSync(join(w.journal, 'mainnet', w.pool, 'notifications.jsonl'), 'utf8');
    const logged = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; delivered: boolean });
    assert.deepEqual(
      logged.map((entry) => [entry.event, entry.delivered]),
      [
        ['planned', true],
        ['planned', false],
        ['sent', true],
        ['sent', false],
        ['final', true],
        ['final', false],
      ],
    );
    const printed = results.map((result) => result.stdout + result.stderr).join('');
    assert.ok(!`${printed}${log}`.includes(TOKEN), 'the token leaked');
  });

  it('refuses an epoch not final yet (75), one whose ledger was never archived (66) and a daemon that is not synced (75), changing nothing', async () => {
    const requests = w.daemon.sendRequests;
    failedWith(await run(['--config', w.config, 'payout', 'run', '--epoch', '2']), 75, 'EPOCH_NOT_FINAL');
    // Epoch 0 is final but nobody archived its ledger (and the pool won nothing in it).
    failedWith(
      await run(['--config', w.config, 'payout', 'run', '--epoch', '0']),
      66,
      'LEDGER_ARCHIVE_MISSING',
      /epoch 0's staking ledger was never archived, so it cannot be paid from it/,
    );
    w.daemon.chain.syncStatus = 'CATCHUP';
    failedWith(await run(epochOne), 75, 'DAEMON_NOT_SYNCED');
    assert.equal(w.daemon.sendRequests, requests);
    assert.deepEqual(readdirSync(join(w.journal, 'mainnet', w.pool)).sort(), ['epoch-1', 'notifications.jsonl']);
  });
});
