import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, before, describe, it, type TestContext } from 'node:test';

import Client from 'mina-signer';

import { ROOT, tempDir } from '../helpers.js';
import { keyFile } from '../payout/key-files.js';
import { StandInDaemon } from '../payout/stand-in-daemon.js';
import { killedWithTest, within } from '../processes.js';
import { compiledCli } from './compiled.js';
import { fixturePlanArgs } from './fixture-plan.js';
import { type CliResult, runCli } from './run.js';

/**
 * `payout plan`, `sign` and `send` of one epoch take the same lock, from
 * before they read the epoch until their files have landed: a second run
 * meanwhile exits 75 at once. Each race is held open by the first run's own
 * progress, never by a clock: the stand-in daemon keeps the first run's
 * request (sign asking for the sender's nonce, send's first payment) until
 * the contenders have run.
 */
const _POOL = 'B62qrMi68WSSWpmb3Yfp7ztzAFx6gUyF26VAzPNgYEoYKRASRj2pqZK';
const sender = new Client({ network: 'mainnet' }).genKeys();

// Plans record their input paths as given: run from the repository root.
before(() => process.chdir(ROOT));
let daemon: StandInDaemon;
afterEach(() => daemon?.stop());

const planArgs = (journal: string, commission = '0.05') => fixturePlanArgs(journal, { commission }, '--quiet');
const signArgs = (plan: string, ...extra: string[]) => [
  'payout',
  'sign',
  plan,
  '--key-file',
  keyFile(`${sender.privateKey}\n`),
  '--graphql',
  daemon.url,
  '--quiet',
  ...extra,
];

/** A minapay run as its own process; killed when the test ends if it is still running, and a failure if it runs 30 s. */
function cliProcess(t: TestContext, args: readonly string[]): Promise<CliResult> {
  const child = spawn(process.execPath, [...compiledCli(), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  void killedWithTest(t, child);
  const closed = new Promise<CliResult>((resolve) => child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
  return within(`minapay ${args.slice(0, 2).join(' ')} to exit`, 30_000, closed);
}

/** A door the stand-in daemon waits at: `reached` once a request arrives at `wait()`, which holds it until `open()`. */
function door() {
  let arrived!: () => void;
  let opened!: () => void;
  const reached = new Promise<void>((resolve) => (arrived = resolve));
  const opening = new Promise<void>((resolve) => (opened = resolve));
  const wait = () => {
    arrived();
    return opening;
  };
  return { reached, wait, open: () => opened() };
}

/** Exit 75 at once, naming the epoch's lock and its holder. */
function locked(result: CliResult, epochDir: string): void {
  assert.equal(result.code, 75, result.stdout + result.stderr);
  assert.ok(result.stderr.startsWith(`minapay: ${join(epochDir, 'epoch.lock')}: `), result.stderr);
  assert.match(result.stderr, /: payout plan, sign or send of this epoch is already running \(pid \d+\); try again when it has finished \[LOCKED\]\n$/);
}

const planHashOf = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { planHash: string }).planHash;

describe('one lock for plan, sign and send of an epoch', () => {
  it('while payout sign runs, a re-plan and a second sign of the epoch exit 75, and signed.json belongs to the plan on disk', async (t) => {
    daemon = await new StandInDaemon({ network: 'mainnet', accounts: { [sender.publicKey]: { balance: 5_000_000_000_000n, nonce: 9n } } }).start();
    const journal = tempDir();
    const plan = (await runCli(planArgs(journal, '0.05'))).stdout.trim();
    const epochDir = dirname(plan);
    const hold = door();
    daemon.accountHook = () => {
      daemon.accountHook = undefined;
      return hold.wait();
    };
    // The first sign has read the plan and asks the daemon for the sender's nonce: held there.
    const first = cliProcess(t, signArgs(plan));
    await within('the first sign to ask the daemon for the nonce', 30_000, hold.reached);
    locked(await cliProcess(t, planArgs(journal, '0.10')), epochDir);
    locked(await cliProcess(t, signArgs(plan, '--resign')), epochDir);
    locked(await cliProcess(t, signArgs(plan)), epochDir);
    hold.open();
    const signed = await first;
    assert.equal(signed.code, 0, signed.stderr);
    assert.equal(planHashOf(join(epochDir, 'signed.json')), planHashOf(plan), 'signed.json is of the plan on disk');
    assert.match(readFileSync(plan, 'utf8'), /"commission": "0\.05"/);
    assert.equal(existsSync(join(epochDir, 'epoch.lock')), false, 'released');
  });

  it('while payout send runs, a re-plan, a re-sign and a second send of the epoch exit 75; the send pays each once', async (t) => {
    daemon = await new StandInDaemon({ network: 'mainnet', accounts: { [sender.publicKey]: { balance: 5_000_000_000_000n, nonce: 9n } } }).start();
    const journal = tempDir();
    const plan = (await runCli(planArgs(journal, '0.05'))).stdout.trim();
    const epochDir = dirname(plan);
    assert.equal((await runCli(signArgs(plan))).code, 0);
    const signed = join(epochDir, 'signed.json');
    const before = readFileSync(signed, 'utf8');
    const hold = door();
    // The first payment has reached the daemon, which has not looked at it yet: nothing is in its pool, so a re-sign would look safe.
    daemon.sendHook = async (request, phase) => {
      if (request === 1 && phase === 'received') await hold.wait();
    };
    const first = cliProcess(t, ['payout', 'send', signed, '--graphql', daemon.url, '--quiet']);
    await within('the first send to reach the daemon', 30_000, hold.reached);
    locked(await cliProcess(t, signArgs(plan, '--resign')), epochDir);
    locked(await cliProcess(t, planArgs(journal, '0.10')), epochDir);
    locked(await cliProcess(t, ['payout', 'send', signed, '--graphql', daemon.url]), epochDir);
    hold.open();
    const sent = await first;
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(readFileSync(signed, 'utf8'), before);
    assert.equal(daemon.sendRequests, 2);
    assert.equal(daemon.payments().length, 2);
  });
});
