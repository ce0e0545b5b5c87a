import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, watch } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';

import fc from 'fast-check';
import Client from 'mina-signer';

import { readSendLog } from '../../src/payout/send-log.js';
import { ROOT, tempDir } from '../helpers.js';
import { keyFile } from '../payout/key-files.js';
import { StandInDaemon } from '../payout/stand-in-daemon.js';
import { killedWithTest, within } from '../processes.js';
import { compiledCli } from './compiled.js';
import { planPool } from './fixture-plan.js';
import { runCli } from './run.js';

/**
 * Exactly once, with a real process killed by SIGKILL at random points:
 * while the daemon has a payment in hand but has not decided, after it
 * accepted one but before the answer arrived, once the answer is logged as
 * accepted (between log records), or during start-up, as soon as it holds
 * the epoch lock. After each kill the send is run again; in the end every
 * delegator is paid exactly once and the send log agrees with the daemon.
 *
 * Every kill point is an event of the run's own progress (a request at the
 * daemon, a record in its log, its lock file), never a guess at how fast
 * this machine is: each run pays at most a few payments before it is killed
 * (1, 2, 2 and 0 at most for the four kinds in turn), and the pool owes more
 * payments than all the killed runs together can make, so every run meets
 * its kill point; the pool is no bigger than that needs.
 */
const client = new Client({ network: 'mainnet' });
const sender = client.genKeys();
const pool = client.genKeys().publicKey;
const PAYMENTS = 24;
const delegators = Array.from({ length: PAYMENTS }, () => client.genKeys().publicKey);
/** Three of each kind of kill point: at most 3 x (1 + 2 + 2 + 0) = 15 payments made by killed runs. */
const KILLS = 12;
/** Milliseconds the stand-in daemon takes over each payment. */
const SEND_LATENCY_MS = 25;

let daemon: StandInDaemon;
before(() => process.chdir(ROOT));
after(() => daemon?.stop());

type KillPoint = { kind: 'request'; after: number; phase: 'received' | 'decided' } | { kind: 'logged'; after: number } | { kind: 'locked' };

/** How many records of the send log say `accepted`. */
function acceptedRecords(log: string): number {
  try {
    return readFileSync(log, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"accepted"')).length;
  } catch {
    return 0;
  }
}

/** Runs `payout send` as its own process, killing it with SIGKILL at `kill`; resolves to its exit code once it has exited. */
async function sendProcess(t: TestContext, signed: string, kill: KillPoint | null): Promise<number | null> {
  const child = spawn(process.execPath, [...compiledCli(), 'payout', 'send', signed, '--graphql', daemon.url, '--quiet'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  const exited = killedWithTest(t, child).then(({ code }) => code);
  const first = daemon.sendRequests + 1;
  const epochDir = dirname(signed);
  daemon.sendHook = undefined;
  // Events of the run's files: its lock appearing, its log growing.
  const watcher = watch(epochDir);
  const stopWatching = () => watcher.close();
  void exited.then(stopWatching, stopWatching);
  if (kill?.kind === 'locked') {
    // Start-up: it holds the epoch lock (a link to a file naming its pid) and has not yet asked the daemon anything.
    const lock = join(epochDir, 'epoch.lock');
    watcher.on('change', (_event, name) => {
      let holder = '';
      try {
        holder = readFileSync(lock, 'utf8');
      } catch {}
      if (name === 'epoch.lock' && holder === `${child.pid}\n`) child.kill('SIGKILL');
    });
  }
  if (kill?.kind === 'logged') {
    // Between log records: the answer to its `after`-th payment arrived and was logged as accepted; the next broadcast may not be.
    const log = join(epochDir, 'send-log.jsonl');
    let acceptedBefore: number | null = null;
    daemon.sendHook = async (request, phase) => {
      if (request === first - 1 + kill.after && phase === 'decided') acceptedBefore = acceptedRecords(log);
    };
    watcher.on('change', () => {
      if (acceptedBefore !== null && acceptedRecords(log) > acceptedBefore) child.kill('SIGKILL');
    });
  }
  if (kill?.kind === 'request') {
    daemon.sendHook = async (request, phase) => {
      if (request !== first - 1 + kill.after || phase !== kill.phase) return;
      // Killed before the daemon looked at it: the payment is lost in transit.
      if (phase === 'received') daemon.drops.set(request, 'received');
      child.kill('SIGKILL');
      await exited;
    };
  }
  return within(`payout send (kill point ${JSON.stringify(kill)}) to exit`, 30_000, exited);
}

/** Each kind of kill point, at a random request or moment within it. */
function killPoints(): fc.Arbitrary<KillPoint>[] {
  const atRequest = (phase: 'received' | 'decided') =>
    fc.record({ kind: fc.constant('request' as const), after: fc.integer({ min: 1, max: 2 }), phase: fc.constant(phase) });
  return [
    atRequest('received'),
    atRequest('decided'),
    fc.record({ kind: fc.constant('logged' as const), after: fc.integer({ min: 1, max: 2 }) }),
    fc.constant({ kind: 'locked' as const }),
  ];
}

describe('payout send killed with SIGKILL at random points', () => {
  it(`pays every delegator exactly once after ${KILLS} kills and a final run, and the log agrees with the daemon`, async (t) => {
    const dir = tempDir();
    daemon = await new StandInDaemon({ network: 'mainnet', accounts: { [sender.publicKey]: { balance: 10_000_000_000_000n, nonce: 3n } } }).start();
    const planPath = await planPool(dir, pool, delegators);
    const sign = await runCli(['payout', 'sign', planPath, '--key-file', keyFile(`${sender.privateKey}\n`), '--graphql', daemon.url, '--quiet']);
    assert.equal(sign.code, 0, sign.stderr);
    const signed = sign.stdout.trim();

    // Each kind of kill point in turn: every run is cut short after a few payments.
    daemon.sendLatencyMs = SEND_LATENCY_MS;
    const kinds = killPoints();
    let killed = 0;
    for (let round = 0; round < KILLS; round += 1) {
      const [kill] = fc.sample(kinds[round % kinds.length]!, 1);
      if ((await sendProcess(t, signed, kill!)) === null) killed += 1;
      // Now and then a block includes what the pool holds: resumed runs meet both PENDING and INCLUDED payments.
      if (round % 4 === 3) daemon.includePool();
    }
    assert.equal(killed, KILLS, `only ${killed} of ${KILLS} runs were killed before finishing (${daemon.payments().length} of ${PAYMENTS} paid)`);
    assert.equal(await sendProcess(t, signed, null), 0);
    // A block takes what waits in the pool, 15 more make it final; one more run (in this process: nothing kills it) sees every payment final.
    daemon.includePool();
    daemon.addEmptyBlocks(15);
    const confirming = await runCli(['payout', 'send', signed, '--graphql', daemon.url, '--quiet']);
    assert.equal(confirming.code, 0, confirming.stderr);

    const plan = JSON.parse(readFileSync(join(dirname(signed), 'plan.json'), 'utf8')) as { lines: { payTo: string; amount: string }[] };
    const owed = plan.lines.filter((line) => line.amount !== '0');
    assert.equal(owed.length, PAYMENTS);
    const paid = daemon.payments();
    for (const line of owed)
      assert.deepEqual(
        paid.filter((p) => p.to === line.payTo).map((p) => p.amount),
        [BigInt(line.amount)],
        `${line.payTo} paid once`,
      );
    assert.equal(paid.length, owed.length);
    assert.equal(daemon.pool.length, 0);
    const records = await readSendLog(join(dirname(signed), 'send-log.jsonl'));
    // The kills hit both sides of a broadcast: payments sent again after one was lost, and payments found at the daemon.
    const broadcasts = records.filter((r) => r.event === 'broadcasting').length;
    assert.ok(broadcasts > PAYMENTS, `${broadcasts} broadcasts: no payment was lost in transit and sent again`);
    const foundAfterBroadcast = paid.some((payment) => {
      const own = records.filter((r) => r.hash === payment.hash).map((r) => (r.event === 'accepted' ? `accepted ${r.how}` : r.event));
      return own.some((event, index) => event === 'broadcasting' && ['accepted confirmed', 'included'].includes(own[index + 1] ?? ''));
    });
    assert.ok(foundAfterBroadcast, 'no payment was found at the daemon after a kill cut its broadcast short');
    const final = new Set(records.filter((r) => r.event === 'final').map((r) => r.hash));
    assert.deepEqual([...final].sort(), paid.map((p) => p.hash).sort());
    const status = await runCli(['payout', 'status', '--journal', join(dir, 'journal')]);
    assert.equal(status.code, 0, status.stdout + status.stderr);
  });
});
