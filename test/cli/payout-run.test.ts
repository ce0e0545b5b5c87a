import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { before, describe, it, type TestContext } from 'node:test';

import { readSendLog } from '../../src/payout/send-log.js';
import { ROOT } from '../helpers.js';
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

/** A world for the test `t`, closed when it ends (before the file's PGlite is). */
async function world(t: TestContext, options: Parameters<typeof runWorld>[0] = {}): Promise<RunWorld> {
  const made = await runWorld(options);
  t.after(() => made.close());
  return made;
}

describe('minapay payout run', () => {
  it('pays the last finished epoch from the archives: plans, verifies, signs and sends once, follows to final (75, then 0), then does nothing', async (t) => {
    const w = await world(t);
    const first = await runCli(runArgs(w));
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

    const second = await runCli(runArgs(w));
    failedWith(second, 75, 'PAYMENTS_PENDING');
    assert.doesNotMatch(second.stdout, /planned|signed/);
    assert.equal(w.daemon.sendRequests, 4);

    w.daemon.includePool();
    failedWith(await runCli(runArgs(w)), 75, 'PAYMENTS_PENDING', /4 on chain, not yet final/);
    w.daemon.addEmptyBlocks(3);
    const final = await runCli(runArgs(w));
    assert.equal(final.code, 0, final.stderr);
    assert.match(final.stdout, /^epoch 1: every payment is final$/m);
    const again = await runCli(runArgs(w));
    assert.equal(again.code, 0, again.stderr);
    assert.equal(w.daemon.sendRequests, 4);
    assert.deepEqual(
      paymentsTo(w).map((amounts) => amounts.length),
      [1, 1, 1, 1],
    );
    const status = await runCli(['payout', 'status', '--journal', w.journal]);
    assert.equal(status.code, 0, status.stdout + status.stderr);
  });

  it('--dry-run says what it would do and writes and sends nothing', async (t) => {
    const w = await world(t);
    const dry = await runCli(runArgs(w, '--dry-run'));
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^epoch 1 of era berkeley/m);
    assert.match(dry.stdout, /^plan: would plan from ledger \S+epoch-1-\S+ and 2 blocks of the pool$/m);
    assert.match(dry.stdout, /^sign: would verify the plan and sign its payments$/m);
    assert.equal(existsSync(w.journal), false);
    assert.equal(w.daemon.sendRequests, 0);
  });

  it('refuses an epoch whose ledger was never archived (66), one not final yet (75), and a daemon that is not synced (75), changing nothing', async (t) => {
    const w = await world(t);
    failedWith(await runCli(['--config', w.config, 'payout', 'run', '--epoch', '2']), 75, 'EPOCH_NOT_FINAL');
    writeFileSync(
      join(w.ledgers, 'mainnet', 'manifest.json'),
      readFileSync(join(w.ledgers, 'mainnet', 'manifest.json'), 'utf8').replace('"epoch": 1', '"epoch": 3'),
    );
    failedWith(await runCli(runArgs(w)), 66, 'LEDGER_ARCHIVE_MISSING', /epoch 1's staking ledger was never archived, so it cannot be paid from it/);
    w.daemon.chain.syncStatus = 'CATCHUP';
    failedWith(await runCli(runArgs(w)), 75, 'DAEMON_NOT_SYNCED');
    assert.equal(w.daemon.sendRequests, 0);
    assert.deepEqual(readdirSync(join(w.journal, 'mainnet', w.pool)), []);
  });

  it('a second run while one is working exits 75 at once (the lock), and the first goes on', async (t) => {
    const w = await world(t);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached: () => void = () => {};
    const atSign = new Promise<void>((resolve) => (reached = resolve));
    // The first run is held where it asks the daemon for the sender's nonce, holding the pool's and the epoch's locks.
    w.daemon.accountHook = async () => {
      w.daemon.accountHook = undefined;
      reached();
      await held;
    };
    const first = runCli(runArgs(w));
    await within('the first run to reach signing', 20_000, atSign);
    failedWith(await runCliProcess(t, runArgs(w)), 75, 'LOCKED', /already running/);
    release();
    failedWith(await first, 75, 'PAYMENTS_PENDING');
    assert.equal(w.daemon.sendRequests, 4);
  });

  it('notifies a local receiver of planned, sent and final, with the figures; a receiver that is down changes nothing else and leaks no token', async (t) => {
    const receiver = await new Receiver().start();
    t.after(() => receiver.stop());
    const down = `http://127.0.0.1:${await closedPort()}/hook/SECRET-TOKEN-123`;
    const w = await world(t, { config: { notify: [receiver.url('/generic'), 'env:DOWN_HOOK'] } });
    const env = { DOWN_HOOK: down };
    failedWith(await runCli(runArgs(w), { env }), 75, 'PAYMENTS_PENDING');
    w.daemon.includePool();
    w.daemon.addEmptyBlocks(3);
    const final = await runCli(runArgs(w), { env });
    assert.equal(final.code, 0, final.stderr);
    const events = receiver.received.map(({ body }) => body['event']);
    assert.deepEqual(events, ['planned', 'sent', 'final']);
    const [planned, sent, done] = receiver.received.map(({ body }) => body);
    assert.deepEqual([planned!['source'], planned!['network'], planned!['pool'], planned!['epoch']], ['minapay', 'mainnet', w.pool, 1]);
    assert.match(String(planned!['text']), new RegExp(`^minapay: mainnet pool ${w.pool} epoch 1: planned 4 payments, [\\d.]+ MINA$`));
    assert.deepEqual((planned!['details'] as { payments: number; blocks: number }).payments, 4);
    assert.match(String(sent!['text']), /4 payments broadcast; 4 in the daemon's pool/);
    assert.match(String(done!['text']), /all 4 payments final/);
    // The receiver that is down: warned about on stderr by host alone, logged in the journal, and the payout went on as ever.
    assert.match(final.stderr, /minapay: warning: the final notification to json http:\/\/127\.0\.0\.1:\d+ failed after 3 attempt\(s\) \(ECONNREFUSED\)/);
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
    assert.ok(!`${final.stdout}${final.stderr}${log}`.includes('SECRET-TOKEN-123'), 'the token leaked');
    assert.deepEqual(
      paymentsTo(w).map((amounts) => amounts.length),
      [1, 1, 1, 1],
    );
    assert.equal((await readSendLog(join(w.epochDir, 'send-log.jsonl'))).filter((record) => record.event === 'final').length, 4);
  });
});
