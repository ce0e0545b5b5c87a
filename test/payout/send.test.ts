import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';

import Client from 'mina-signer';

import { graphqlDaemon } from '../../src/payout/daemon.js';
import { parsePlanDocument } from '../../src/payout/plan-file.js';
import { openSendLog, readSendLog } from '../../src/payout/send-log.js';
import { sendPayments } from '../../src/payout/send.js';
import { paymentData, signerFor, signPayments, type SignedPayments } from '../../src/payout/sign.js';
import { paymentId, signedCommandId } from '../../src/payout/transaction-id.js';
import { fixture, tempDir } from '../helpers.js';
import { StandInDaemon } from './stand-in-daemon.js';
import { commandPayment, readSignedCommand } from './transaction-ids.js';

const PLAN_PATH = fixture('expected', 'post-berkeley.epoch-18.plan.json');
const sender = new Client({ network: 'mainnet' }).genKeys();
const FUNDS = 2_000_000_000_000n;
const A = 'B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1';

/** The fixture plan's two payments, signed from nonce 4. */
function signedFixture(): SignedPayments {
  const plan = parsePlanDocument(readFileSync(PLAN_PATH, 'utf8'), PLAN_PATH);
  const unsigned = paymentData(plan, { sender: sender.publicKey, firstNonce: 4n, fee: null, memo: '', validUntil: 4_294_967_295n });
  return {
    planHash: plan.document.planHash,
    network: 'mainnet',
    epoch: 18,
    sender: sender.publicKey,
    payments: signPayments(signerFor('mainnet'), unsigned, sender.privateKey),
  };
}

let daemon: StandInDaemon;
afterEach(() => daemon?.stop());

async function standIn(balance = FUNDS): Promise<StandInDaemon> {
  daemon = await new StandInDaemon({ network: 'mainnet', accounts: { [sender.publicKey]: { balance, nonce: 4n } } }).start();
  return daemon;
}

/** One send run against the stand-in, with a real log file; resolves to its summary or the error it stopped with. */
async function sendOnce(signed: SignedPayments, logPath: string) {
  const log = await openSendLog(logPath);
  try {
    return await sendPayments(signed, await readSendLog(logPath), { daemon: graphqlDaemon(daemon.url), log, now: () => 'T' });
  } catch (error) {
    return error as Error & { code: string };
  } finally {
    await log.close();
  }
}

const events = async (logPath: string) =>
  (await readSendLog(logPath)).map((record) => `${record.event} ${record.nonce}${record.event === 'accepted' ? ` ${record.how}` : ''}`);

describe('sending signed payments', () => {
  it('sends each payment once, logging broadcasting before and accepted after, and a second run sends nothing', async () => {
    await standIn();
    const signed = signedFixture();
    const logPath = join(tempDir(), 'send-log.jsonl');
    assert.deepEqual(await sendOnce(signed, logPath), { alreadyAccepted: 0, confirmed: 0, sent: 2 });
    assert.deepEqual(await sendOnce(signed, logPath), { alreadyAccepted: 2, confirmed: 0, sent: 0 });
    assert.deepEqual(await events(logPath), ['broadcasting 4', 'accepted 4 sent', 'broadcasting 5', 'accepted 5 sent']);
    assert.deepEqual(
      daemon.pool.map((p) => p.hash),
      signed.payments.map((p) => p.hash),
    );
    assert.equal(daemon.sendRequests, 2);
  });

  it("writes a payment's transaction ID as the daemon's Signed_command.to_base64 does", () => {
    // From the daemon's own test "signed command v2 hash from transaction id" (MM src/lib/transaction/transaction_hash.ml):
    // a command with a digest memo and a dummy signature. Read back, it is written again byte for byte.
    const vector =
      'Av0IlDV3VklWpVXVRQr7cidImXn8E9nqCAxPjuyUNZ2pu3pJJxkBAAD//yIAIKTVOZ2q1qG1KT11p6844pWJ3fQug1XGnzv2S3N73azIABXhN3d+nO04Y7YqBul1CY5CEq9o34' +
      'KWvfcB8IWep3kkAf60JFZJVqVV1UUK+3InSJl5/BPZ6ggMT47slDWdqbt6SScZAQEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAA' +
      'AAAAAAAAAAAAAAAAA=';
    const command = readSignedCommand(vector);
    assert.deepEqual(
      [command.fee, command.nonce, command.validUntil, command.amount, command.signature],
      [2000000008n, 0n, 4294967295n, 9396n, { r: 1n, s: 1n }],
    );
    assert.equal(signedCommandId(command), vector);
    // Ours read back as the same payment: mina-signer gives it the hash signed.json holds, across value ranges and a two-byte memo.
    const client = signerFor('mainnet');
    for (const [amount, fee, nonce, memo, validUntil] of [
      ['1', '2000000000', '200', '', '10000'],
      ['1355877760638', '100', '70000', 'é'.repeat(16), '2147483648'],
    ] as const) {
      const [payment] = signPayments(
        client,
        [{ pk: sender.publicKey, data: { to: A, from: sender.publicKey, amount, fee, nonce, memo, validUntil } }],
        sender.privateKey,
      );
      const back = commandPayment(readSignedCommand(paymentId(payment!)));
      assert.deepEqual(back.data, payment!.data);
      assert.equal(client.hashPayment({ ...back, publicKey: sender.publicKey }, { berkeley: true }), payment!.hash);
    }
  });

  it('after a connection dropped before the daemon decided, stops; the next run finds the payment unknown and sends the same bytes', async () => {
    await standIn();
    daemon.drops.set(1, 'received');
    const signed = signedFixture();
    const logPath = join(tempDir(), 'send-log.jsonl');
    const stopped = await sendOnce(signed, logPath);
    assert.equal((stopped as { code: string }).code, 'DAEMON_UNAVAILABLE');
    assert.match((stopped as Error).message, /may or may not have arrived: run send again/);
    assert.deepEqual(await sendOnce(signed, logPath), { alreadyAccepted: 0, confirmed: 0, sent: 2 });
    assert.deepEqual(await events(logPath), ['broadcasting 4', 'broadcasting 4', 'accepted 4 sent', 'broadcasting 5', 'accepted 5 sent']);
    assert.equal(daemon.payments().length, 2);
  });

  it('after a connection dropped once the daemon took the payment, the next run confirms it (pending or included) instead of sending', async () => {
    await standIn();
    daemon.drops.set(2, 'decided');
    const signed = signedFixture();
    const logPath = join(tempDir(), 'send-log.jsonl');
    assert.equal(((await sendOnce(signed, logPath)) as { code: string }).code, 'DAEMON_UNAVAILABLE');
    daemon.includePool();
    assert.deepEqual(await sendOnce(signed, logPath), { alreadyAccepted: 1, confirmed: 1, sent: 0 });
    assert.equal(daemon.sendRequests, 2);
    assert.deepEqual(
      daemon.included.map((p) => p.nonce),
      [4n, 5n],
    );
  });

  it("asks transactionStatus by the payment's transaction ID, as the real daemon requires; a hash is an error there", async () => {
    await standIn();
    const signed = signedFixture();
    const client = graphqlDaemon(daemon.url);
    const [first, second] = signed.payments.map((payment) => paymentId(payment));
    await sendOnce({ ...signed, payments: signed.payments.slice(0, 1) }, join(tempDir(), 'send-log.jsonl'));
    assert.deepEqual([await client.transactionStatus(first!), await client.transactionStatus(second!)], ['PENDING', 'UNKNOWN']);
    daemon.includePool();
    assert.equal(await client.transactionStatus(first!), 'INCLUDED');
    // Once the daemon no longer holds its block, a payment is UNKNOWN again: final, or never there, the daemon cannot tell.
    daemon.frontierLength = 1;
    daemon.includePool();
    assert.equal(await client.transactionStatus(first!), 'UNKNOWN');
    const byHash = await client.transactionStatus(signed.payments[0]!.hash).catch((error: Error) => error);
    assert.equal((byHash as Error & { code: string }).code, 'DAEMON_INVALID');
    assert.match(String(byHash), /Invalid transaction provided/);
  });

  it('takes "Duplicate" for a payment the daemon already has as accepted', async () => {
    await standIn();
    const signed = signedFixture();
    await sendOnce(signed, join(tempDir(), 'other-log.jsonl'));
    const logPath = join(tempDir(), 'send-log.jsonl');
    assert.deepEqual(await sendOnce(signed, logPath), { alreadyAccepted: 0, confirmed: 0, sent: 2 });
    assert.deepEqual(await events(logPath), ['broadcasting 4', 'accepted 4 duplicate', 'broadcasting 5', 'accepted 5 duplicate']);
    assert.equal(daemon.payments().length, 2);
  });

  it('stops at the first rejection and sends nothing after it; once the cause is fixed, a later run continues from it', async () => {
    await standIn(9_000_000_000n);
    const signed = signedFixture();
    const logPath = join(tempDir(), 'send-log.jsonl');
    const stopped = await sendOnce(signed, logPath);
    assert.equal((stopped as { code: string }).code, 'PAYMENT_REJECTED');
    assert.match((stopped as Error).message, /rejected the payment to B62qnx5h\w+ \(nonce 5\): Couldn't send user_command: Insufficient_funds/);
    assert.deepEqual(await events(logPath), ['broadcasting 4', 'accepted 4 sent', 'broadcasting 5', 'rejected 5']);
    daemon.accounts.get(sender.publicKey)!.balance = FUNDS;
    assert.deepEqual(await sendOnce(signed, logPath), { alreadyAccepted: 1, confirmed: 0, sent: 1 });
    assert.equal(daemon.payments().length, 2);
  });

  it('refuses to re-send a payment whose nonce another transaction took, naming the nonce and the hash', async () => {
    await standIn();
    daemon.drops.set(1, 'received');
    const signed = signedFixture();
    const logPath = join(tempDir(), 'send-log.jsonl');
    await sendOnce(signed, logPath);
    // Meanwhile the operator sent something else with nonce 4 from the same key.
    const other = signerFor('mainnet').signPayment(
      { to: sender.publicKey, from: sender.publicKey, amount: '1', fee: '10000000', nonce: '4' },
      sender.privateKey,
    );
    await graphqlDaemon(daemon.url).sendPayment({
      pk: sender.publicKey,
      nonce: 4n,
      hash: '',
      data: { to: sender.publicKey, from: sender.publicKey, amount: '1', fee: '10000000', nonce: '4', memo: '', validUntil: '4294967295' },
      signature: other.signature,
    });
    const stopped = await sendOnce(signed, logPath);
    assert.equal((stopped as { code: string }).code, 'NONCE_CONFLICT');
    assert.match(
      (stopped as Error).message,
      new RegExp(`nonce 4 of ${sender.publicKey} is used, but not by the payment .* \\(hash ${signed.payments[0]!.hash}\\)`),
    );
    assert.equal(daemon.payments().length, 1);
  });
});
