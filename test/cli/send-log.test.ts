import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, before, describe, it } from 'node:test';

import Client from 'mina-signer';

import { readSendLog } from '../../src/payout/send-log.js';
import { ROOT, tempDir } from '../helpers.js';
import { diskWithRoom } from '../io/full-disk.js';
import { keyFile } from '../payout/key-files.js';
import { StandInDaemon } from '../payout/stand-in-daemon.js';
import { fixturePlanArgs } from './fixture-plan.js';
import { runCli, type CliResult } from './run.js';

/**
 * send-log.jsonl after power loss or on a full disk: a record is on disk
 * whole or not at all, a torn last record is cut off before anything is
 * appended after it, and no payment leaves without its whole `broadcasting`
 * record.
 */
const _POOL = 'B62qrMi68WSSWpmb3Yfp7ztzAFx6gUyF26VAzPNgYEoYKRASRj2pqZK';
const sender = new Client({ network: 'mainnet' }).genKeys();

// Plans record their input paths as given: run from the repository root.
before(() => process.chdir(ROOT));
let daemon: StandInDaemon;
afterEach(() => daemon?.stop());

async function succeeded(args: string[]): Promise<CliResult> {
  const result = await runCli(args);
  assert.equal(result.code, 0, result.stderr);
  return result;
}

/** Plans and signs the fixture epoch (two payments, nonces 9 and 10) against a fresh stand-in daemon; resolves to signed.json and the journal. */
async function signedEpoch(): Promise<{ signed: string; journal: string }> {
  daemon = await new StandInDaemon({ network: 'mainnet', accounts: { [sender.publicKey]: { balance: 5_000_000_000_000n, nonce: 9n } } }).start();
  const journal = tempDir();
  const plan = (await succeeded(fixturePlanArgs(journal, {}, '--quiet'))).stdout.trim();
  const signed = (await succeeded(['payout', 'sign', plan, '--key-file', keyFile(`${sender.privateKey}\n`), '--graphql', daemon.url, '--quiet'])).stdout.trim();
  return { signed, journal };
}

const send = (signed: string) => runCli(['payout', 'send', signed, '--graphql', daemon.url]);

/** Each payment the daemon took, paid exactly once, and the log's accepted records are exactly those. */
async function paidOnce(signed: string): Promise<void> {
  const payments = (JSON.parse(readFileSync(signed, 'utf8')) as { payments: { hash: string }[] }).payments.map((payment) => payment.hash);
  assert.deepEqual(
    daemon
      .payments()
      .map((payment) => payment.hash)
      .sort(),
    [...payments].sort(),
  );
  const accepted = (await readSendLog(join(dirname(signed), 'send-log.jsonl'))).filter((record) => record.event === 'accepted').map((record) => record.hash);
  assert.deepEqual([...accepted].sort(), [...payments].sort());
}

describe('payout send and its log', () => {
  it('cuts off a torn last record (power lost mid-append), pays each payment once, and every command works on the epoch', async () => {
    const { signed, journal } = await signedEpoch();
    const [first] = (JSON.parse(readFileSync(signed, 'utf8')) as { payments: { hash: string; nonce: string }[] }).payments;
    const log = join(dirname(signed), 'send-log.jsonl');
    // The first broadcasting record, cut by the power going out before its request could leave.
    appendFileSync(log, JSON.stringify({ event: 'broadcasting', nonce: first!.nonce, hash: first!.hash, at: 'T' }).slice(0, 40));
    const sent = await send(signed);
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(sent.stdout, "epoch 18: 2 payments: 0 final, 0 on chain, 2 in the daemon's pool (2 sent now, 0 sent again)\n");
    assert.ok(readFileSync(log, 'utf8').endsWith('\n'));
    await paidOnce(signed);
    daemon.includePool();
    // Final: 15 blocks (the default --min-confirmations) above theirs.
    daemon.addEmptyBlocks(15);
    assert.equal((await send(signed)).code, 0);
    assert.equal((await runCli(['payout', 'status', '--journal', journal])).code, 0);
    assert.equal((await runCli(['payout', 'report', '--journal', journal])).code, 0);
    assert.equal(daemon.sendRequests, 2);
  });

  it('on a full disk sends nothing without its whole broadcasting record (exit 74), keeps the log whole, and the next run pays each once', async (t) => {
    const { signed, journal } = await signedEpoch();
    const log = join(dirname(signed), 'send-log.jsonl');
    const logOnly = (path: string) => path === log;
    // Not even the first record fits, nor report.csv: no payment may leave, and the error is the log's.
    const full = diskWithRoom(t, 40);
    const stopped = await send(signed);
    assert.equal(stopped.code, 74, stopped.stderr);
    assert.match(
      stopped.stderr,
      /^minapay: \S+\/send-log\.jsonl: cannot append the broadcasting record of nonce 9 to the send log: no space left .*\[OUTPUT_DISK_FULL\]\n$/,
    );
    assert.equal(daemon.sendRequests, 0);
    assert.equal(readFileSync(log, 'utf8'), '');
    full.restore();
    // The first broadcasting record fits, its accepted record does not: the payment has left, and its record says so.
    const [first] = (JSON.parse(readFileSync(signed, 'utf8')) as { payments: { hash: string; nonce: string }[] }).payments;
    const broadcasting = `${JSON.stringify({ event: 'broadcasting', nonce: first!.nonce, hash: first!.hash, at: new Date().toISOString() })}\n`;
    const half = diskWithRoom(t, broadcasting.length + 10, logOnly);
    assert.equal((await send(signed)).code, 74);
    assert.equal(daemon.sendRequests, 1);
    assert.deepEqual(
      (await readSendLog(log)).map((record) => record.event),
      ['broadcasting'],
    );
    assert.ok(readFileSync(log, 'utf8').endsWith('\n'), 'no torn record');
    half.restore();
    const resumed = await send(signed);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(resumed.stdout, "epoch 18: 2 payments: 0 final, 0 on chain, 2 in the daemon's pool (1 sent now, 0 sent again)\n");
    await paidOnce(signed);
    daemon.includePool();
    // Final: 15 blocks (the default --min-confirmations) above theirs.
    daemon.addEmptyBlocks(15);
    assert.equal((await send(signed)).code, 0);
    assert.equal((await runCli(['payout', 'status', '--journal', journal])).code, 0);
  });
});
