import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';

import { readSendLog, type SendRecord } from '../../src/payout/send-log.js';
import { paymentViews } from '../../src/payout/status.js';
import { tempDir } from '../helpers.js';
import { within } from '../processes.js';
import { AT_ONCE, events, failure, foreignPayment, FUNDS, sendOnce, type SendOnceOptions, sender, signedFixture, summary } from './send-fixture.js';
import { StandInDaemon } from './stand-in-daemon.js';

/**
 * Payments followed to finality against the stand-in daemon's mempool and
 * block production: depth and final, drops broadcast again (same bytes) with
 * back-off and a bound, foreign nonces and failed inclusions settled only
 * once deep enough (the archive database as a second source is tested with
 * the archive's other queries, test/blocks/archive.test.ts).
 */
let daemon: StandInDaemon;
afterEach(() => daemon?.stop());

async function standIn(): Promise<StandInDaemon> {
  daemon = await new StandInDaemon({ network: 'mainnet', accounts: { [sender.publicKey]: { balance: FUNDS, nonce: 4n } } }).start();
  return daemon;
}

const signed = signedFixture();
const run = (logPath: string, options: SendOnceOptions = {}) => sendOnce(daemon.url, signed, logPath, options);
const FINAL_AT_3 = { ...AT_ONCE, minConfirmations: 3 };
const last = async (logPath: string): Promise<SendRecord> => (await readSendLog(logPath)).at(-1)!;
const views = async (logPath: string) =>
  paymentViews({ sender: signed.sender, payments: signed.payments, supplementOf: new Map() }, await readSendLog(logPath));

/** The daemon holds exactly the signed payments, by hash: the same bytes, each once. */
function assertSameHashes(held: readonly { readonly hash: string }[], what: string): void {
  assert.deepEqual(
    held.map((payment) => payment.hash),
    signed.payments.map((payment) => payment.hash),
    what,
  );
}

describe('following payments to finality', () => {
  it('records each payment included with its block and depth, final once --min-confirmations blocks are above it, then settled', async () => {
    await standIn();
    const logPath = join(tempDir(), 'send-log.jsonl');
    const options = { terms: FINAL_AT_3 };
    assert.deepEqual(await sendOnce(daemon.url, signed, logPath, options), summary({ inPool: 2, sent: 2 }));
    const block = daemon.includePool();
    assert.deepEqual(await sendOnce(daemon.url, signed, logPath, options), summary({ included: 2 }));
    daemon.addEmptyBlocks(2);
    assert.deepEqual(await sendOnce(daemon.url, signed, logPath, options), summary({ included: 2 }));
    const ref = { height: String(block.height), stateHash: block.stateHash };
    assert.deepEqual(await last(logPath), { event: 'included', nonce: '5', hash: signed.payments[1]!.hash, block: ref, depth: 2, source: 'daemon', at: 'T' });
    daemon.addEmptyBlocks(1);
    assert.deepEqual(await sendOnce(daemon.url, signed, logPath, options), summary({ final: 2 }));
    assert.deepEqual(await last(logPath), { event: 'final', nonce: '5', hash: signed.payments[1]!.hash, block: ref, depth: 3, source: 'daemon', at: 'T' });
    const settledLog = (await readSendLog(logPath)).length;
    daemon.dieAfterRequests = 0;
    // Settled: a later run asks the daemon nothing about them (it could not answer) and writes nothing.
    assert.deepEqual(await sendOnce(daemon.url, signed, logPath, options), summary({ final: 2 }));
    assert.equal((await readSendLog(logPath)).length, settledLog);
    assert.deepEqual(
      (await views(logPath)).map((view) => [view.status, view.depth, view.attempts, view.settled]),
      [
        ['final', 3, 1, true],
        ['final', 3, 1, true],
      ],
    );
  });

  it('broadcasts a payment the mempool dropped again with the same signed bytes once its back-off has passed, and it is included once', async () => {
    await standIn();
    const logPath = join(tempDir(), 'send-log.jsonl');
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const options = { terms: { ...FINAL_AT_3, backoffMs: 60_000 }, now: () => new Date(clock).toISOString() };
    await sendOnce(daemon.url, signed, logPath, options);
    // An eviction: the first payment leaves the pool, and the sender's later nonce with it.
    assert.equal(daemon.dropFromPool(signed.payments[0]!.hash).length, 2);
    clock += 30_000;
    assert.deepEqual(await sendOnce(daemon.url, signed, logPath, options), summary({ waiting: 2 }));
    assert.equal(daemon.sendRequests, 2);
    assert.deepEqual((await events(logPath)).slice(-2), ['dropped 4', 'dropped 5']);
    // Another run inside the back-off logs nothing new.
    assert.deepEqual(await sendOnce(daemon.url, signed, logPath, options), summary({ waiting: 2 }));
    assert.equal((await readSendLog(logPath)).length, 6);
    clock += 31_000;
    assert.deepEqual(await sendOnce(daemon.url, signed, logPath, options), summary({ inPool: 2, resent: 2 }));
    assertSameHashes(daemon.pool, 'the same signed payments in the pool');
    daemon.includePool();
    daemon.addEmptyBlocks(3);
    assert.deepEqual(await sendOnce(daemon.url, signed, logPath, options), summary({ final: 2 }));
    assertSameHashes(daemon.included, 'each payment included once');
    assert.deepEqual(
      (await views(logPath)).map((view) => [view.status, view.attempts]),
      [
        ['final', 2],
        ['final', 2],
      ],
    );
  });

  it('a re-org that takes the payments off the best chain before they are final: followed again, included anew, each paid once', async () => {
    await standIn();
    const logPath = join(tempDir(), 'send-log.jsonl');
    const options = { terms: FINAL_AT_3 };
    await sendOnce(daemon.url, signed, logPath, options);
    daemon.includePool();
    daemon.addEmptyBlocks(1);
    assert.deepEqual(await sendOnce(daemon.url, signed, logPath, options), summary({ included: 2 }));
    // A longer fork wins; the daemon takes the payments back into its pool.
    daemon.reorganize(2, { backToPool: true });
    assert.deepEqual(await sendOnce(daemon.url, signed, logPath, options), summary({ inPool: 2 }));
    assert.equal(daemon.sendRequests, 2, 'nothing sent again while the pool holds them');
    const block = daemon.includePool();
    daemon.addEmptyBlocks(3);
    assert.deepEqual(await sendOnce(daemon.url, signed, logPath, options), summary({ final: 2 }));
    const final = await last(logPath);
    assert.ok(final.event === 'final');
    assert.deepEqual(final.block, { height: String(block.height), stateHash: block.stateHash }, 'final in the block of the new best chain');
    assertSameHashes(daemon.included, 'each payment included once');
  });

  it('a re-org whose new best chain lost the payments: broadcast again with the same bytes, never re-signed, included once', async () => {
    await standIn();
    const logPath = join(tempDir(), 'send-log.jsonl');
    const options = { terms: FINAL_AT_3 };
    await sendOnce(daemon.url, signed, logPath, options);
    daemon.includePool();
    assert.deepEqual(await sendOnce(daemon.url, signed, logPath, options), summary({ included: 2 }));
    daemon.reorganize(1, { backToPool: false });
    // No back-off here: the run that finds them gone sends them again.
    assert.deepEqual(await sendOnce(daemon.url, signed, logPath, options), summary({ inPool: 2, resent: 2 }));
    assert.deepEqual((await events(logPath)).slice(-6), ['dropped 4', 'broadcasting 4', 'accepted 4 sent', 'dropped 5', 'broadcasting 5', 'accepted 5 sent']);
    assertSameHashes(daemon.pool, 'the same signed payments in the pool');
    daemon.includePool();
    daemon.addEmptyBlocks(3);
    assert.deepEqual(await sendOnce(daemon.url, signed, logPath, options), summary({ final: 2 }));
    assertSameHashes(daemon.included, 'each payment included once');
  });

  it('stops broadcasting a payment the pool keeps dropping after --max-broadcasts, records it, and says so', async () => {
    await standIn();
    const logPath = join(tempDir(), 'send-log.jsonl');
    const options = { terms: { ...AT_ONCE, maxBroadcasts: 2 } };
    const first = { ...signed, payments: signed.payments.slice(0, 1) };
    await sendOnce(daemon.url, first, logPath, options);
    daemon.dropFromPool(first.payments[0]!.hash);
    assert.deepEqual(await sendOnce(daemon.url, first, logPath, options), summary({ inPool: 1, resent: 1 }));
    daemon.dropFromPool(first.payments[0]!.hash);
    const stopped = failure(await sendOnce(daemon.url, first, logPath, options));
    assert.equal(stopped.code, 'PAYMENT_DROPPED');
    assert.match(stopped.message, /\(nonce 4, hash \w+\) was dropped by the daemon's pool after every broadcast allowed \(--max-broadcasts\)/);
    assert.deepEqual(await last(logPath), { event: 'dropped', nonce: '4', hash: first.payments[0]!.hash, broadcasts: 2, exhausted: true, at: 'T' });
    assert.equal(daemon.sendRequests, 2);
    // A person raises the bound: the next run sends the same bytes again.
    assert.deepEqual(await sendOnce(daemon.url, first, logPath, { terms: AT_ONCE }), summary({ inPool: 1, resent: 1 }));
  });

  it('a foreign transaction that takes a nonce makes the payment void, naming it and its block; certain once the taker is final', async () => {
    await standIn();
    const taker = daemon.receiveBlock([foreignPayment(4n)]);
    const logPath = join(tempDir(), 'send-log.jsonl');
    const options = { terms: FINAL_AT_3 };
    assert.equal(failure(await run(logPath, options)).code, 'NONCE_CONFLICT');
    const before = (await views(logPath))[0]!;
    assert.deepEqual([before.status, before.takenBy, before.block?.height, before.settled], ['void', taker.commands[0]!.hash, '2', false]);
    daemon.includePool();
    daemon.addEmptyBlocks(3);
    const stopped = failure(await run(logPath, options));
    assert.equal(stopped.code, 'NONCE_CONFLICT');
    assert.match(stopped.message, /once payout status shows the payee unpaid for certain \(final\), payout sign --unpaid pays it anew/);
    const after = await views(logPath);
    assert.deepEqual(
      after.map((view) => [view.status, view.settled]),
      [
        ['void', true],
        ['final', true],
      ],
    );
    assert.deepEqual(
      daemon.included.map((payment) => payment.nonce),
      [4n, 5n],
    );
    assert.equal(daemon.included.filter((payment) => payment.hash === signed.payments[0]!.hash).length, 0);
  });

  it("a payment included as failed is recorded with the chain's failure reason, and is failed for certain once deep enough", async () => {
    await standIn();
    daemon.failOnInclusion.set(signed.payments[1]!.hash, 'Source_minimum_balance_violation');
    const logPath = join(tempDir(), 'send-log.jsonl');
    const options = { terms: FINAL_AT_3 };
    await run(logPath, options);
    daemon.includePool();
    const stopped = failure(await run(logPath, options));
    assert.equal(stopped.code, 'PAYMENT_REJECTED');
    assert.match(stopped.message, /\(nonce 5, hash \w+\) failed on chain/);
    daemon.addEmptyBlocks(3);
    await run(logPath, options);
    assert.deepEqual(
      (await views(logPath)).map((view) => [view.status, view.reason, view.depth, view.settled]),
      [
        ['final', null, 3, true],
        ['failed', 'Source_minimum_balance_violation', 3, true],
      ],
    );
  });

  it("the stand-in's block production takes pending payments into blocks every few hundred ms; runs follow them until final", async () => {
    await standIn();
    const logPath = join(tempDir(), 'send-log.jsonl');
    const options = { terms: FINAL_AT_3 };
    await run(logPath, options);
    daemon.produceBlocks(200);
    const nextBlock = () => within('the next block', 5_000, new Promise<void>((resolve) => (daemon.blockHook = () => resolve())));
    let result = await run(logPath, options);
    while (!('final' in result && result.final === 2)) {
      await nextBlock();
      result = await run(logPath, options);
    }
    assert.ok(daemon.producedBlocks >= 4, `${daemon.producedBlocks} blocks made`);
    assertSameHashes(daemon.included, 'each payment included once');
  });

  it('without the archive, a payment the daemon can no longer show is void with no taker named, and never void for certain', async () => {
    await standIn();
    const logPath = join(tempDir(), 'send-log.jsonl');
    await run(logPath);
    daemon.includePool();
    daemon.frontierLength = 1;
    daemon.addEmptyBlocks(30);
    assert.equal(failure(await run(logPath)).code, 'NONCE_CONFLICT');
    assert.deepEqual(
      (await views(logPath)).map((view) => [view.status, view.takenBy, view.settled]),
      [
        ['void', null, false],
        ['void', null, false],
      ],
    );
  });
});
