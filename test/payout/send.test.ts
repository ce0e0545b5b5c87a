import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';

import Client from 'mina-signer';

import { graphqlDaemon } from '../../src/payout/daemon.js';
import { readSendLog } from '../../src/payout/send-log.js';
import { signerFor, signPayments } from '../../src/payout/sign.js';
import type { SignedPayments } from '../../src/payout/signed-file.js';
import { paymentId, signedCommandId } from '../../src/payout/transaction-id.js';
import { tempDir } from '../helpers.js';
import { A, events, failure, foreignPayment, FUNDS, sendOnce as sendOnceAt, sender, signedFixture, summary } from './send-fixture.js';
import { StandInDaemon } from './stand-in-daemon.js';
import { commandPayment, readSignedCommand } from './transaction-ids.js';

let daemon: StandInDaemon;
afterEach(() => daemon?.stop());

async function standIn(balance = FUNDS): Promise<StandInDaemon> {
  daemon = await new StandInDaemon({ network: 'mainnet', accounts: { [sender.publicKey]: { balance, nonce: 4n } } }).start();
  return daemon;
}

/** One send run against the stand-in (send-fixture.ts), at once after a drop. */
const sendOnce = (signed: SignedPayments, logPath: string) => sendOnceAt(daemon.url, signed, logPath);

describe('sending signed payments', () => {
  it('sends each payment once, logging broadcasting before and accepted after; later runs look them up and send nothing', async () => {
    await standIn();
    const signed = signedFixture();
    const logPath = join(tempDir(), 'send-log.jsonl');
    assert.deepEqual(await sendOnce(signed, logPath), summary({ included: 0, inPool: 2, sent: 2, resent: 0 }));
    assert.deepEqual(await sendOnce(signed, logPath), summary({ included: 0, inPool: 2, sent: 0, resent: 0 }));
    assert.deepEqual(await events(logPath), ['broadcasting 4', 'accepted 4 sent', 'broadcasting 5', 'accepted 5 sent']);
    assert.deepEqual(
      daemon.pool.map((p) => p.hash),
      signed.payments.map((p) => p.hash),
    );
    const block = daemon.includePool();
    assert.deepEqual(await sendOnce(signed, logPath), summary({ included: 2, inPool: 0, sent: 0, resent: 0 }));
    const records = await readSendLog(logPath);
    assert.deepEqual(
      records.slice(4).map((record) => [record.event, record.nonce, record.event === 'included' ? record.block : null]),
      [
        ['included', '4', { height: String(block.height), stateHash: block.stateHash }],
        ['included', '5', { height: String(block.height), stateHash: block.stateHash }],
      ],
    );
    assert.deepEqual(await sendOnce(signed, logPath), summary({ included: 2, inPool: 0, sent: 0, resent: 0 }));
    assert.equal((await readSendLog(logPath)).length, 6);
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
        'mainnet',
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
    const stopped = failure(await sendOnce(signed, logPath));
    assert.equal(stopped.code, 'DAEMON_UNAVAILABLE');
    assert.match(stopped.message, /may or may not have arrived: run send again/);
    assert.deepEqual(await sendOnce(signed, logPath), summary({ included: 0, inPool: 2, sent: 1, resent: 1 }));
    assert.deepEqual(await events(logPath), ['broadcasting 4', 'broadcasting 4', 'accepted 4 sent', 'broadcasting 5', 'accepted 5 sent']);
    assert.equal(daemon.payments().length, 2);
  });

  it('looks an earlier broadcast up at the daemon before sending it again: one the daemon took is not sent again', async () => {
    await standIn();
    daemon.drops.set(2, 'decided');
    const signed = signedFixture();
    const logPath = join(tempDir(), 'send-log.jsonl');
    assert.equal(failure(await sendOnce(signed, logPath)).code, 'DAEMON_UNAVAILABLE');
    daemon.includePool();
    assert.deepEqual(await sendOnce(signed, logPath), summary({ included: 2, inPool: 0, sent: 0, resent: 0 }));
    assert.equal(daemon.sendRequests, 2);
    assert.deepEqual(await events(logPath), ['broadcasting 4', 'accepted 4 sent', 'broadcasting 5', 'included 4', 'included 5']);
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

  it('takes "Duplicate" as accepted only once the daemon shows the payment in its pool by its ID', async () => {
    await standIn();
    const signed = signedFixture();
    await sendOnce(signed, join(tempDir(), 'other-log.jsonl'));
    const logPath = join(tempDir(), 'send-log.jsonl');
    assert.deepEqual(await sendOnce(signed, logPath), summary({ included: 0, inPool: 2, sent: 0, resent: 0 }));
    assert.deepEqual(await events(logPath), ['broadcasting 4', 'accepted 4 confirmed', 'broadcasting 5', 'accepted 5 confirmed']);
    assert.equal(daemon.payments().length, 2);
  });

  it('a "Duplicate" for a payment the daemon never received is a rejection, not an acceptance; the next run sends it', async () => {
    await standIn();
    daemon.falseDuplicates.add(1);
    const signed = signedFixture();
    const logPath = join(tempDir(), 'send-log.jsonl');
    const stopped = failure(await sendOnce(signed, logPath));
    assert.equal(stopped.code, 'PAYMENT_REJECTED');
    assert.match(stopped.message, /\(nonce 4\): Couldn't send user_command: Duplicate; it does not have the payment in its pool or on its best chain/);
    assert.deepEqual(await events(logPath), ['broadcasting 4', 'rejected 4']);
    assert.equal(daemon.payments().length, 0);
    assert.deepEqual(await sendOnce(signed, logPath), summary({ included: 0, inPool: 2, sent: 1, resent: 1 }));
    assert.deepEqual(
      daemon.pool.map((p) => p.hash),
      signed.payments.map((p) => p.hash),
    );
  });

  it('a nonce another transaction of the sender took is void: logged with the evidence, reported, never sent again; later payments still go', async () => {
    // The daemon answers Invalid_nonce as the real one does, or (a hostile one) calls the payment a duplicate of what used the nonce.
    for (const falseDuplicate of [false, true]) {
      await standIn();
      const taker = daemon.receiveBlock([foreignPayment(4n)]).commands[0]!;
      if (falseDuplicate) daemon.falseDuplicates.add(1);
      const signed = signedFixture();
      const logPath = join(tempDir(), 'send-log.jsonl');
      const stopped = failure(await sendOnce(signed, logPath));
      assert.equal(stopped.code, 'NONCE_CONFLICT');
      assert.match(
        stopped.message,
        new RegExp(
          `\\(nonce 4, hash ${signed.payments[0]!.hash}\\) is void: another transaction took its nonce; minapay never signs a payment again by itself`,
        ),
      );
      const records = await readSendLog(logPath);
      assert.deepEqual(await events(logPath), ['broadcasting 4', 'void 4', 'broadcasting 5', 'accepted 5 sent']);
      const takenIn = { height: '2', stateHash: daemon.blocks[1]!.stateHash };
      assert.deepEqual(records[1], {
        event: 'void',
        nonce: '4',
        hash: signed.payments[0]!.hash,
        committedNonce: '5',
        takenBy: taker.hash,
        block: takenIn,
        depth: 0,
        source: 'daemon',
        final: false,
        at: 'T',
      });
      // A later run looks it up again, finds it still void and broadcasts nothing for it.
      assert.equal(failure(await sendOnce(signed, logPath)).code, 'NONCE_CONFLICT');
      assert.equal(daemon.sendRequests, 2);
      assert.equal((await readSendLog(logPath)).length, 4);
      assert.deepEqual(
        daemon.payments().map((p) => p.hash),
        [taker.hash, signed.payments[1]!.hash],
      );
      await daemon.stop();
    }
  });

  it('stops at the first rejection and sends nothing after it; once the cause is fixed, a later run continues from it', async () => {
    await standIn(9_000_000_000n);
    const signed = signedFixture();
    const logPath = join(tempDir(), 'send-log.jsonl');
    const stopped = failure(await sendOnce(signed, logPath));
    assert.equal(stopped.code, 'PAYMENT_REJECTED');
    assert.match(stopped.message, /rejected the payment to B62qnx5h\w+ \(nonce 5\): Couldn't send user_command: Insufficient_funds/);
    assert.deepEqual(await events(logPath), ['broadcasting 4', 'accepted 4 sent', 'broadcasting 5', 'rejected 5']);
    daemon.accounts.get(sender.publicKey)!.balance = FUNDS;
    assert.deepEqual(await sendOnce(signed, logPath), summary({ included: 0, inPool: 2, sent: 0, resent: 1 }));
    assert.equal(daemon.payments().length, 2);
  });

  it("stops when another transaction of the sender waits in the daemon's pool with a payment's nonce, naming it; void once that is on chain", async () => {
    await standIn();
    daemon.drops.set(1, 'received');
    const signed = signedFixture();
    const logPath = join(tempDir(), 'send-log.jsonl');
    await sendOnce(signed, logPath);
    // Meanwhile the operator sent something else with nonce 4 from the same key, through this daemon.
    const other = foreignPayment(4n);
    await graphqlDaemon(daemon.url).sendPayment({ pk: sender.publicKey, nonce: 4n, hash: '', ...other });
    const stopped = failure(await sendOnce(signed, logPath));
    assert.equal(stopped.code, 'NONCE_CONFLICT');
    assert.match(
      stopped.message,
      new RegExp(
        `nonce 4 of ${sender.publicKey} is taken by transaction ${daemon.pool[0]!.hash} in the daemon's pool, ` +
          `not by the payment .* \\(hash ${signed.payments[0]!.hash}\\)`,
      ),
    );
    assert.equal(daemon.payments().length, 1);
    daemon.includePool();
    assert.equal(failure(await sendOnce(signed, logPath)).code, 'NONCE_CONFLICT');
    assert.deepEqual(await events(logPath), ['broadcasting 4', 'void 4', 'broadcasting 5', 'accepted 5 sent']);
  });

  it('broadcasts again, same bytes and hash, a payment the daemon lost in a restart while its nonce is free; never one whose nonce was taken', async () => {
    await standIn();
    const signed = signedFixture();
    const logPath = join(tempDir(), 'send-log.jsonl');
    await sendOnce(signed, logPath);
    daemon.restart();
    const again = await sendOnce(signed, logPath);
    assert.deepEqual(
      daemon.pool.map((p) => p.hash),
      signed.payments.map((p) => p.hash),
    );
    assert.equal(daemon.sendRequests, 4);
    assert.deepEqual(again, summary({ included: 0, inPool: 2, sent: 0, resent: 2 }));
    // Lost again, and meanwhile the same key used nonce 4 elsewhere: payment 4 is void, payment 5 goes out once more.
    daemon.restart();
    daemon.receiveBlock([foreignPayment(4n)]);
    assert.equal(failure(await sendOnce(signed, logPath)).code, 'NONCE_CONFLICT');
    // The log says the daemon had payment 5 and lost it, before it goes again.
    assert.deepEqual((await events(logPath)).slice(-4), ['void 4', 'dropped 5', 'broadcasting 5', 'accepted 5 sent']);
    assert.equal(daemon.sendRequests, 5);
  });

  it('a payment that failed on chain (too small to create its receiver) is logged failed and reported, not counted paid', async () => {
    await standIn();
    const newcomer = new Client({ network: 'mainnet' }).genKeys().publicKey;
    const data = { to: newcomer, from: sender.publicKey, amount: '5000', fee: '10000000', nonce: '4', memo: '', validUntil: '4294967295' };
    const signed = { ...signedFixture(), payments: signPayments('mainnet', [{ pk: newcomer, data }], sender.privateKey) };
    const logPath = join(tempDir(), 'send-log.jsonl');
    await sendOnce(signed, logPath);
    assert.equal(daemon.pool.length, 1);
    daemon.includePool();
    const stopped = failure(await sendOnce(signed, logPath));
    assert.equal(stopped.code, 'PAYMENT_REJECTED');
    assert.match(stopped.message, /\(nonce 4, hash \w+\) failed on chain; minapay never signs a payment again by itself/);
    const failed = (await readSendLog(logPath)).at(-1);
    assert.deepEqual([failed?.event, failed?.event === 'failed' ? failed.reason : null], ['failed', 'Amount_insufficient_to_create_account']);
    assert.equal(failure(await sendOnce(signed, logPath)).code, 'PAYMENT_REJECTED');
    assert.equal((await readSendLog(logPath)).length, 3);
  });
});
