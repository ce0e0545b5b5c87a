import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import bs58check from 'bs58check';

import { commitmentFields, commitmentMemo, defaultMemo, plannedCommitment, signCommitment } from '../../src/payout/commitment.js';
import { signPaymentsOnWorkers } from '../../src/payout/parallel-sign.js';
import { parsePlanDocument } from '../../src/payout/plan-file.js';
import { checkUnsentHashes, paymentData, signerFor, signPayments, type SigningTerms } from '../../src/payout/sign.js';
import { parseSignedDocument, signedDocument } from '../../src/payout/signed-file.js';
import { fixture } from '../helpers.js';
import { syntheticPlan } from './synthetic-plan.js';

type Signature = { field: string; scalar: string };
type Payment = { to: string; from: string; amount: string; fee: string; nonce: string; validUntil: string; memo: string };
const readFixture = <T>(name: string): T => JSON.parse(readFileSync(fixture('keys', name), 'utf8')) as T;

/** The key pair of o1js's test vectors; fixtures/keys/README.md says where each file comes from. */
const VECTOR_KEY = readFileSync(fixture('keys', 'reference-vector.key'), 'utf8').trim();
const VECTOR_SENDER = 'B62qiy32p8kAKnny8ZFwoMhYpBppM1DWVCqAPBYNcXnsAHhnfAAuXgg';
/** Published by o1js (legacySignatures.ts): three payments and their signatures on each network. */
const PUBLISHED = readFixture<{ payments: Payment[]; signatures: Record<'mainnet' | 'devnet', Signature[]> }>('o1js-payment-signatures.json');
/** Not published: signatures and post-Berkeley hashes that mina-signer 4.0.0 gave, frozen, for those payments and payments at the bounds. */
const FROZEN = readFixture<{ payments: { data: Payment; signatures: Record<'mainnet' | 'devnet', Signature>; hash: string }[] }>('frozen-payment-vectors.json');

const PLAN_PATH = fixture('expected', 'post-berkeley.epoch-18.plan.json');
const plan = () => parsePlanDocument(readFileSync(PLAN_PATH, 'utf8'), PLAN_PATH);
const terms = (changes: Partial<SigningTerms> = {}): SigningTerms => ({
  sender: VECTOR_SENDER,
  firstNonce: 7n,
  fee: null,
  memo: '',
  validUntil: 4_294_967_295n,
  ...changes,
});

describe('signing payments', () => {
  for (const network of ['mainnet', 'devnet'] as const) {
    it(`reproduces o1js's published ${network} payment signatures`, () => {
      const payments = PUBLISHED.payments.map((data) => ({ pk: data.to, data }));
      const signed = signPayments(network, payments, VECTOR_KEY);
      assert.deepEqual(
        signed.map((payment) => payment.signature),
        PUBLISHED.signatures[network],
      );
    });
  }

  it("matches the frozen signatures and post-Berkeley hashes of payments at every field's bounds, zeros and 32-byte UTF-8 memos", () => {
    for (const network of ['mainnet', 'devnet'] as const) {
      const signed = signPayments(
        network,
        FROZEN.payments.map(({ data }) => ({ pk: data.to, data })),
        VECTOR_KEY,
      );
      assert.deepEqual(
        signed.map((payment) => [payment.data, payment.signature, payment.hash]),
        FROZEN.payments.map((vector) => [vector.data, vector.signatures[network], vector.hash]),
        network,
      );
    }
    // The frozen vectors agree with the published ones where they overlap, and each hash is a transaction hash: version byte 0x1d, a 32-byte digest.
    assert.deepEqual(
      FROZEN.payments.slice(0, 3).map((vector) => [vector.data, vector.signatures.mainnet, vector.signatures.devnet]),
      PUBLISHED.payments.map((data, i) => [data, PUBLISHED.signatures.mainnet[i], PUBLISHED.signatures.devnet[i]]),
    );
    for (const { hash } of FROZEN.payments) assert.deepEqual([...bs58check.decode(hash).subarray(0, 2)], [0x1d, 32], hash);
  });

  it('signs on worker threads exactly what one thread signs, in the same order: the same signed.json bytes from 1 and 3 workers', async () => {
    const stored = syntheticPlan(40);
    const payments = paymentData(stored, terms({ memo: 'workers' }));
    const document = (signed: ReturnType<typeof signPayments>) =>
      signedDocument({ planHash: stored.planHash, network: 'mainnet', epoch: stored.epoch, sender: VECTOR_SENDER, payments: signed, commitment: null });
    const inThisThread = document(signPayments('mainnet', payments, VECTOR_KEY));
    assert.equal(payments.length, 40);
    assert.equal(document(await signPaymentsOnWorkers('mainnet', payments, VECTOR_KEY, 1)), inThisThread);
    assert.equal(document(await signPaymentsOnWorkers('mainnet', payments, VECTOR_KEY, 3)), inThisThread);
  });

  it("passes on a worker's failure without the private key, even when the library's message quotes it", async () => {
    const payments = paymentData(syntheticPlan(40), terms());
    // mina-signer's error for an amount that is no number quotes the amount: here, the key.
    const poisoned = payments.map((payment, index) => (index === 30 ? { ...payment, data: { ...payment.data, amount: VECTOR_KEY } } : payment));
    await assert.rejects(
      signPaymentsOnWorkers('mainnet', poisoned, VECTOR_KEY, 2),
      (error: Error) => !`${error.message} ${error.stack}`.includes(VECTOR_KEY) && /<private key>/.test(error.message),
    );
  });

  it('makes one payment per line with an amount, nonces consecutive in key order, the plan fee, and the line memo over --memo', () => {
    const payments = paymentData(plan(), terms({ memo: 'epoch 18' }));
    assert.deepEqual(
      payments.map(({ pk, data }) => [pk, data.amount, data.fee, data.nonce, data.memo]),
      [
        ['B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1', '8137978319', '10000000', '7', 'epoch 18'],
        ['B62qnx5hKBFHZFUFjpEXzh2du8wRegCHrp3kL17gY7qxMBFQcBycJM5', '1355877760638', '10000000', '8', 'epoch 18'],
      ],
    );
    // A line paying the sender itself is not a payment.
    assert.equal(paymentData(plan(), terms({ sender: 'B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1' })).length, 1);
  });

  it('refuses a memo over 32 bytes, counting bytes and not characters', () => {
    assert.equal(paymentData(plan(), terms({ memo: 'é'.repeat(16) })).length, 2);
    assert.throws(
      () => paymentData(plan(), terms({ memo: 'é'.repeat(17) })),
      (error: Error & { code: string }) => error.code === 'MEMO_TOO_LONG' && /34 bytes/.test(error.message),
    );
  });

  it('reads signed.json back only when every payment matches its plan line, and sends a payment only when its hash is its fields', () => {
    const stored = plan();
    const client = signerFor('mainnet');
    const signed = signPayments('mainnet', paymentData(stored, terms()), VECTOR_KEY);
    const commitment = signCommitment(client, plannedCommitment(stored)!, VECTOR_KEY);
    const text = signedDocument({ planHash: stored.document.planHash, network: 'mainnet', epoch: 18, sender: VECTOR_SENDER, payments: signed, commitment });
    assert.deepEqual(parseSignedDocument(text, 'signed.json', stored).payments, signed);
    type SignedJson = { payments: { hash: string; data: Record<string, string>; signature: Record<string, string> }[]; planHash: string };
    const tampered = (edit: (document: SignedJson) => void) => {
      const document = JSON.parse(text) as SignedJson;
      edit(document);
      return parseSignedDocument(JSON.stringify(document), 'signed.json', stored);
    };
    const refused = (pattern: RegExp) => (error: Error & { code: string }) => error.code === 'SIGNED_INVALID' && pattern.test(error.message);
    assert.throws(() => tampered((d) => (d.payments[0]!.data['amount'] = '9137978319')), refused(/payment 0 does not pay line/));
    assert.throws(() => tampered((d) => (d.planHash = 'f00d')), refused(/signed for plan f00d/));
    assert.throws(() => tampered((d) => d.payments.pop()), refused(/has 1 payments; its plan has 2 payments to make/));
    // Reading does not verify signatures (each was verified when made); a payment about to leave must hash to its stored hash.
    const notSent = new Set<string>();
    const feeChanged = tampered((d) => (d.payments[1]!.data['fee'] = '1')).payments;
    assert.throws(
      () => checkUnsentHashes(client, 'signed.json', feeChanged, notSent),
      refused(/signed\.json: payment 1 has hash \w+; its payment hashes to \w+/),
    );
    assert.throws(
      () => checkUnsentHashes(client, 'signed.json', tampered((d) => (d.payments[1]!.hash = 'CkpX')).payments, notSent),
      refused(/payment 1 has hash CkpX/),
    );
    assert.throws(
      () => checkUnsentHashes(client, 'signed.json', tampered((d) => (d.payments[0]!.data['fee'] = 'x')).payments, notSent),
      refused(/payment 0 has fields that make no payment/),
    );
    checkUnsentHashes(client, 'signed.json', signed, notSent);
    // The post-Berkeley hash leaves the signature out: a changed one is for the daemon to refuse.
    checkUnsentHashes(client, 'signed.json', tampered((d) => (d.payments[0]!.signature['scalar'] = '1')).payments, notSent);
    // A payment the send log names was checked before its first broadcast, and is not again.
    checkUnsentHashes(client, 'signed.json', feeChanged, new Set([feeChanged[1]!.hash]));
  });

  it("signs the plan's commitment with signFields over root, epoch, network, leaves, total amount and total stake, and keeps it in signed.json", () => {
    const stored = plan();
    const planned = plannedCommitment(stored)!;
    assert.deepEqual(commitmentFields(planned), [planned.root, 18n, 1n, 4n, 8137978319n + 1355877760638n, 252500500000001n]);
    const client = signerFor('mainnet');
    const commitment = signCommitment(client, planned, VECTOR_KEY);
    assert.equal(commitment.signer, VECTOR_SENDER);
    assert.ok(client.verifyFields({ data: commitmentFields(planned), signature: commitment.signature, publicKey: VECTOR_SENDER }));
    // signFields signs with o1js's Signature prefix whatever the client's network: the network id among the fields tells them apart.
    const onDevnet = commitmentFields({ ...planned, network: 'devnet' });
    assert.ok(!client.verifyFields({ data: onDevnet, signature: commitment.signature, publicKey: VECTOR_SENDER }));
    assert.equal(defaultMemo(stored), commitmentMemo(planned.root));
    assert.match(defaultMemo(stored), /^mp1:[0-9a-f]{28}$/);

    const payments = signPayments('mainnet', paymentData(stored, terms({ memo: defaultMemo(stored) })), VECTOR_KEY);
    const text = signedDocument({ planHash: stored.planHash, network: 'mainnet', epoch: 18, sender: VECTOR_SENDER, payments, commitment });
    assert.deepEqual(parseSignedDocument(text, 'signed.json', stored).commitment, commitment);
    type SignedJson = { version: number; commitment: Record<string, unknown> | null };
    const tamper = (edit: (document: SignedJson) => void) => () => {
      const document = JSON.parse(text) as SignedJson;
      edit(document);
      return parseSignedDocument(JSON.stringify(document), 'signed.json', stored);
    };
    const refused = (pattern: RegExp) => (error: Error & { code: string }) => error.code === 'SIGNED_INVALID' && pattern.test(error.message);
    assert.throws(
      tamper((d) => {
        d.commitment!['root'] = '1';
      }),
      refused(/commits to root 1; its plan's is \d+/),
    );
    assert.throws(
      tamper((d) => {
        d.commitment!['totalStake'] = '1';
      }),
      refused(/commits to totalStake 1/),
    );
    assert.throws(
      tamper((d) => {
        d.commitment = null;
      }),
      refused(/lacks the plan's commitment/),
    );
    // signed.json of format 1, written before commitments, is read as it was.
    const formatOne = tamper((d) => {
      d.version = 1;
      delete (d as Partial<SignedJson>).commitment;
    })();
    assert.equal(formatOne.commitment, null);
    assert.equal(formatOne.payments.length, 2);
  });
});
