import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it, type TestContext } from 'node:test';

import fc from 'fast-check';

import { readSendLog } from '../../src/payout/send-log.js';
import { ROOT } from '../helpers.js';
import { killedWithTest, within } from '../processes.js';
import { compiledCli } from './compiled.js';
import { type RunWorld, runWorld } from './payout-run-fixture.js';

/**
 * `minapay payout run`, the CLI as it ships, killed with SIGKILL 20 times
 * at random points of every step, then run to completion: every delegator
 * is paid exactly once and every payment is final.
 *
 * Kill points follow the run's own progress, never the clock: the epoch
 * lock taken (start-up), blocks.json written (the archive read), plan.json
 * written (planned), the daemon asked about the sender or the payees
 * (signing), signed.json written (signed), a payment at the daemon before
 * or after it decided, an accepted record logged (sending), and a chain
 * answer or an included record logged (following). They come in the order
 * of the steps, so each is reached: a run killed at one never gets past it,
 * the pool owes more payments than the sending kills can make, and blocks
 * are made only between runs, so payments are on chain but not final while
 * the following kills happen.
 */
before(() => process.chdir(ROOT));

type KillPoint =
  | { kind: 'locked' | 'blocks' | 'planned' | 'signing' | 'signed' | 'chain' }
  | { kind: 'request'; after: number; phase: 'received' | 'decided' }
  | { kind: 'logged'; event: 'accepted' | 'included' };

/** The 20 kill points, in the order of the run's steps; random within each. */
function killSchedule(): KillPoint[] {
  const one = <T>(arbitrary: fc.Arbitrary<T>) => fc.sample(arbitrary, 1)[0]!;
  const request = (phase: 'received' | 'decided') => ({ kind: 'request' as const, after: one(fc.integer({ min: 1, max: 2 })), phase });
  const following = () => one(fc.constantFrom<KillPoint>({ kind: 'chain' }, { kind: 'logged', event: 'included' }));
  return [
    { kind: 'locked' },
    { kind: 'locked' },
    { kind: 'blocks' },
    { kind: 'blocks' },
    { kind: 'planned' },
    { kind: 'signing' },
    { kind: 'signing' },
    { kind: 'signed' },
    request(one(fc.constantFrom('received', 'decided'))),
    request('received'),
    request('decided'),
    { kind: 'logged', event: 'accepted' },
    ...Array.from({ length: 8 }, following),
  ];
}

/** How many records of the send log have this event. */
function logged(world: RunWorld, event: string): number {
  try {
    return readFileSync(join(world.epochDir, 'send-log.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.includes(`"event":"${event}"`)).length;
  } catch {
    return 0;
  }
}

/** One `payout run` process, killed with SIGKILL at `kill` (null: not killed); resolves to its exit code (null when killed). */
async function runProcess(t: TestContext, world: RunWorld, kill: KillPoint | null): Promise<number | null> {
  const { daemon, epochDir } = world;
  // --epoch 1 rather than --last-finished (tested in payout-run.test.ts): the archive database is then read only to plan.
  const args = ['--config', world.config, 'payout', 'run', '--epoch', '1', '--quiet'];
  const child = spawn(process.execPath, [...compiledCli(), ...args], { cwd: ROOT, stdio: 'ignore' });
  const exited = killedWithTest(t, child).then(({ code }) => code);
  const killNow = () => child.kill('SIGKILL');
  daemon.sendHook = undefined;
  daemon.accountHook = undefined;
  daemon.chainHook = undefined;
  const watcher = watch(epochDir);
  const stopWatching = () => watcher.close();
  void exited.then(stopWatching, stopWatching);
  const onFile = (file: string, act: () => void) => watcher.on('change', (_event, name) => name === file && act());
  switch (kill?.kind) {
    case 'locked':
      onFile('epoch.lock', () => {
        let holder = '';
        try {
          holder = readFileSync(join(epochDir, 'epoch.lock'), 'utf8');
        } catch {}
        if (holder === `${child.pid}\n`) killNow();
      });
      break;
    case 'blocks':
      onFile('blocks.json', killNow);
      break;
    case 'planned':
      onFile('plan.json', killNow);
      break;
    case 'signed':
      onFile('signed.json', killNow);
      break;
    case 'signing':
      // Held while the daemon answers the sender's nonce or the payees' accounts: killed in the middle of signing.
      daemon.accountHook = async () => {
        if (existsSync(join(epochDir, 'signed.json'))) return;
        killNow();
        await exited;
      };
      break;
    case 'request': {
      const first = daemon.sendRequests + 1;
      daemon.sendHook = async (number, phase) => {
        if (number !== first - 1 + kill.after || phase !== kill.phase) return;
        // Killed before the daemon looked at it: the payment is lost in transit.
        if (phase === 'received') daemon.drops.set(number, 'received');
        killNow();
        await exited;
      };
      break;
    }
    case 'logged': {
      const before = logged(world, kill.event);
      watcher.on('change', () => logged(world, kill.event) > before && killNow());
      break;
    }
    case 'chain':
      daemon.chainHook = killNow;
      break;
  }
  return within(`payout run (kill point ${JSON.stringify(kill)}) to exit`, 30_000, exited);
}

describe('payout run killed with SIGKILL at random points of every step', () => {
  it('after 20 kills and runs to completion, every delegator is paid exactly once and every payment is final', async (t) => {
    const world = await runWorld({ delegators: 5, config: { 'min-confirmations': 10 } });
    t.after(() => world.close());
    mkdirSync(world.epochDir, { recursive: true });
    const schedule = killSchedule();
    let killed = 0;
    for (const kill of schedule) {
      // Following: what waits in the pool goes into a block, one deeper each time, never final during the kills.
      if (kill.kind === 'chain' || (kill.kind === 'logged' && kill.event === 'included')) world.daemon.includePool();
      if ((await runProcess(t, world, kill)) === null) killed += 1;
    }
    assert.equal(killed, schedule.length, `${killed} of ${schedule.length} runs were killed (${world.daemon.payments().length} payments made)`);
    let code: number | null = null;
    for (let round = 0; round < 12 && code !== 0; round += 1) {
      code = await runProcess(t, world, null);
      world.daemon.includePool();
      world.daemon.addEmptyBlocks(10);
    }
    assert.equal(code, 0, 'the run never finished');

    const plan = JSON.parse(readFileSync(join(world.epochDir, 'plan.json'), 'utf8')) as {
      lines: { payTo: string; amount: string; accountCreationFee?: string }[];
    };
    const owed = plan.lines.filter((line) => line.amount !== '0');
    assert.equal(owed.length, world.delegators.length);
    const paid = world.daemon.payments();
    for (const line of owed) {
      const expected = BigInt(line.amount) + BigInt(line.accountCreationFee ?? '0');
      assert.deepEqual(
        paid.filter((payment) => payment.to === line.payTo).map((payment) => payment.amount),
        [expected],
        `${line.payTo} paid once`,
      );
    }
    assert.equal(paid.length, owed.length);
    assert.equal(world.daemon.pool.length, 0);
    const records = await readSendLog(join(world.epochDir, 'send-log.jsonl'));
    const final = new Set(records.filter((record) => record.event === 'final').map((record) => record.hash));
    assert.deepEqual([...final].sort(), paid.map((payment) => payment.hash).sort());
    assert.ok(records.filter((record) => record.event === 'broadcasting').length > owed.length, 'no broadcast was cut short and sent again');
  });
});
