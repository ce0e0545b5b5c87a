import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';

import Client from 'mina-signer';
import { Field, MerkleWitness } from 'o1js';

import { merkleHeight, merkleRootFromPath } from '../../src/protocol/merkle-tree.js';
import { commitmentMemo, defaultMemo, leafHash, plannedCommitment, signCommitment } from '../../src/payout/commitment.js';
import { graphqlDaemon } from '../../src/payout/daemon.js';
import { parsePlanDocument } from '../../src/payout/plan-file.js';
import type { SendRecord } from '../../src/payout/send-log.js';
import { paymentData, signerFor, signPayments } from '../../src/payout/sign.js';
import type { SignedPayments } from '../../src/payout/signed-file.js';
import {
  chainCheck,
  parseStatement,
  type Statement,
  type StatementCheck,
  signedEpochStatements,
  statementDocument,
  verifyStatement,
} from '../../src/payout/statement.js';
import { fixture } from '../helpers.js';
import { StandInDaemon } from './stand-in-daemon.js';
import { syntheticPlan } from './synthetic-plan.js';

const PLAN_PATH = fixture('expected', 'post-berkeley.epoch-18.plan.json');
const VECTOR_KEY = readFileSync(fixture('keys', 'reference-vector.key'), 'utf8').trim();
const SENDER = 'B62qiy32p8kAKnny8ZFwoMhYpBppM1DWVCqAPBYNcXnsAHhnfAAuXgg';
const A = 'B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1';
const OTHER_KEY = 'B62qpR8BVdV86jgnzCzHebvAcSVnKb4yWigJBrUWmdDUZy1qsHtHUrG';
const client = signerFor('mainnet');

/** The fixture plan signed with the o1js reference key from nonce 3, its first payment included in `block`. */
function signedFixture(block: { height: string; stateHash: string } | null = { height: '7', stateHash: '3NKfixture' }) {
  const plan = parsePlanDocument(readFileSync(PLAN_PATH, 'utf8'), PLAN_PATH);
  const unsigned = paymentData(plan, { sender: SENDER, firstNonce: 3n, fee: null, memo: defaultMemo(plan), validUntil: 4_294_967_295n });
  const signed: SignedPayments = {
    planHash: plan.planHash,
    network: 'mainnet',
    epoch: 18,
    sender: SENDER,
    payments: signPayments('mainnet', unsigned, VECTOR_KEY),
    commitment: signCommitment(client, plannedCommitment(plan)!, VECTOR_KEY),
  };
  const first = signed.payments[0]!;
  const records: SendRecord[] =
    block === null ? [] : [{ event: 'included', nonce: first.nonce.toString(), hash: first.hash, block, at: '2026-01-01T00:00:00Z' }];
  return { plan, signed, records };
}

const statementOf = (statements: readonly Statement[], pk: string) => statements.find((statement) => statement.leaf.pk === pk)!;
const failures = (checks: readonly StatementCheck[]) => checks.filter((check) => !check.holds);

let statementOfA: string | undefined;

/** Removes the last item of the list at a path, instead of setting a value. */
const DROP_LAST = Symbol('drop the last item');

/**
 * The statement of A as its file holds it, with the field at `path` (dotted, list items by number) set to `value`, read back
 * and checked offline: the failed checks, or the error reading it.
 */
function tampered(path: string, value: unknown): StatementCheck[] | (Error & { code: string }) {
  statementOfA ??= statementDocument(statementOf(signedEpochStatements(signedFixture(), PLAN_PATH, client), A));
  const document = JSON.parse(statementOfA) as Record<string, unknown>;
  const names = path.split('.');
  const parent = names.slice(0, -1).reduce((node, name) => (node as Record<string, unknown>)[name], document as unknown) as Record<string, unknown>;
  if (value === DROP_LAST) (parent[names.at(-1)!] as unknown[]).pop();
  else parent[names.at(-1)!] = value;
  try {
    return failures(verifyStatement(parseStatement(JSON.stringify(document), `${A}.json`), client));
  } catch (error) {
    return error as Error & { code: string };
  }
}

/** Another valid signature by the same key: over other fields, or of another payment. */
const otherCommitmentSignature = () => client.signFields([1n, 2n, 3n], VECTOR_KEY).signature;

describe('a statement', () => {
  it('holds for every line of the fixture plan: the leaf, its path to the signed root, the memo and the payment', () => {
    const { plan, signed, records } = signedFixture();
    const statements = signedEpochStatements({ plan, signed, records }, PLAN_PATH, client);
    assert.deepEqual(
      statements.map((statement) => statement.leaf.pk),
      plan.lines.map((line) => line.pk),
    );
    for (const statement of statements) {
      const read = parseStatement(statementDocument(statement), 'statement.json');
      assert.deepEqual(read, statement);
      assert.deepEqual(failures(verifyStatement(read, client)), [], statement.leaf.pk);
    }
    const ofA = statementOf(statements, A);
    assert.equal(ofA.payments.length, 1);
    assert.equal(ofA.payments[0]?.state, 'included');
    assert.deepEqual(ofA.payments[0]?.block, { height: '7', stateHash: '3NKfixture' });
    assert.equal(ofA.payments[0]?.data.memo, commitmentMemo(plan.commitment!.root));
    assert.deepEqual(statementOf(statements, OTHER_KEY).payments, [], 'a line with nothing to pay has no payment');
  });

  it('is written the same, byte for byte, every time', () => {
    const write = () => {
      const { plan, signed, records } = signedFixture();
      return signedEpochStatements({ plan, signed, records }, PLAN_PATH, client).map(statementDocument);
    };
    assert.deepEqual(write(), write());
  });

  it('reads a statement of format 1, which had one payment or null, and verifies it as before', () => {
    const statements = signedEpochStatements(signedFixture(), PLAN_PATH, client);
    for (const pk of [A, OTHER_KEY]) {
      const { payments, ...document } = JSON.parse(statementDocument(statementOf(statements, pk))) as { payments: unknown[] };
      const formatOne = JSON.stringify({ ...document, version: 1, payment: payments[0] ?? null });
      const read = parseStatement(formatOne, `${pk}.json`);
      assert.deepEqual(read.payments, statementOf(statements, pk).payments);
      assert.deepEqual(failures(verifyStatement(read, client)), []);
    }
  });

  describe('altered in any field fails, saying what was altered', () => {
    const cases: [string, string, unknown, StatementCheck['check'] | 'unreadable', RegExp][] = [
      ['version', 'version', 3, 'unreadable', /has statement format 3; this minapay reads 1 and 2/],
      ['network', 'network', 'devnet', 'leaf', /the leaf's fields were altered \(pk, index, stake, gross, commission, amount, fee, epoch or network\)/],
      ['epoch', 'epoch', 19, 'leaf', /the leaf's fields were altered/],
      ['leaf.pk', 'leaf.pk', OTHER_KEY, 'leaf', /the leaf's fields were altered/],
      ['leaf.index', 'leaf.index', 2, 'leaf', /the leaf's fields were altered/],
      ['leaf.stake', 'leaf.stake', '1500500000001', 'leaf', /the leaf's fields were altered/],
      ['leaf.gross', 'leaf.gross', '9566292967', 'leaf', /the leaf's fields were altered/],
      ['leaf.commission', 'leaf.commission', '1', 'leaf', /the leaf's fields were altered/],
      ['leaf.amount', 'leaf.amount', '9137978319', 'leaf', /the amount was altered: the statement says 9137978319 nanomina, the signed payment 8137978319/],
      ['leaf.fee', 'leaf.fee', '0', 'leaf', /the leaf's fields were altered/],
      ['leafHash', 'leafHash', '12345', 'leaf', /leafHash was altered/],
      ['position', 'position', 1, 'path', /the path was altered: leaf 1 and its siblings lead to \d+, not to the signed root/],
      ['path[0]', 'path.0', '1', 'path', /the path was altered: leaf 0/],
      ['path[1]', 'path.1', '1', 'path', /the path was altered: leaf 0/],
      ['path (a sibling dropped)', 'path', DROP_LAST, 'path', /the path was altered: it has 1 siblings; a tree of 4 leaves has 2/],
      ['commitment.root', 'commitment.root', '1', 'root', /the root was altered: the path leads to \d+, which B62qiy32\w+ signed, not to 1/],
      ['commitment.leaves', 'commitment.leaves', 3, 'signature', /the signature was altered: .*3 leaves/],
      ['commitment.leaves (another height)', 'commitment.leaves', 5, 'path', /it has 2 siblings; a tree of 5 leaves has 3 \(or the leaf count was altered\)/],
      ['commitment.totalAmount', 'commitment.totalAmount', '1', 'signature', /the signature was altered: .*total amount 1 /],
      ['commitment.totalStake', 'commitment.totalStake', '1', 'signature', /the signature was altered: .*total stake 1 /],
      ['commitment.memo', 'commitment.memo', 'mp1:0000000000000000000000000000', 'memo', /the memo was altered/],
      ['commitment.signer', 'commitment.signer', OTHER_KEY, 'signature', new RegExp(`it is not ${OTHER_KEY}'s`)],
      ['commitment.signature', 'commitment.signature', otherCommitmentSignature(), 'signature', /the signature was altered/],
      ['commitment.signature (not a signature)', 'commitment.signature', 'garbage', 'signature', /the signature was altered/],
      ['payments[0].hash', 'payments.0.hash', '5JtfakeHash', 'payment', /the payment's hash was altered: its fields hash to 5J\w+, not 5JtfakeHash/],
      ['payments[0].data.to', 'payments.0.data.to', OTHER_KEY, 'payment', /the payment was altered: its signature/],
      ['payments[0].data.from', 'payments.0.data.from', OTHER_KEY, 'payment', new RegExp(`the payment is from ${OTHER_KEY}, not from the signer`)],
      ['payments[0].data.amount', 'payments.0.data.amount', '9137978319', 'payment', /the payment was altered: its signature/],
      ['payments[0].data.fee', 'payments.0.data.fee', '1000000', 'payment', /the payment was altered: its signature/],
      ['payments[0].data.nonce', 'payments.0.data.nonce', '9', 'payment', /the payment was altered: its signature/],
      ['payments[0].data.memo', 'payments.0.data.memo', 'mp1:0000000000000000000000000000', 'payment', /the payment was altered: its signature/],
      ['payments[0].data.validUntil', 'payments.0.data.validUntil', '100', 'payment', /the payment was altered: its signature/],
      ['payments[0].signature.field', 'payments.0.signature.field', '1', 'payment', /the payment was altered: its signature/],
      ['payments[0].signature.scalar', 'payments.0.signature.scalar', '1', 'payment', /the payment was altered: its signature/],
      ['payments[0].state (not a state)', 'payments.0.state', 'paid', 'unreadable', /payments\[0\]\.state is not one of signed, broadcast, pending/],
      ['leaf.amount (not a number)', 'leaf.amount', '-5', 'unreadable', /leaf\.amount is not a whole number/],
      ['path[0] (outside the field)', 'path.0', '0x12', 'unreadable', /path\[0\] is not a field element/],
    ];
    for (const [field, path, value, check, message] of cases) {
      it(field, () => {
        const result = tampered(path, value);
        if (check === 'unreadable') {
          assert.ok(result instanceof Error, `${field}: read without complaint`);
          assert.equal(result.code, 'STATEMENT_INVALID');
          assert.match(result.message, message);
          return;
        }
        assert.ok(Array.isArray(result), `${field}: ${String(result)}`);
        assert.ok(result.length > 0, `${field}: the altered statement still holds`);
        assert.equal(result[0]!.check, check, result[0]!.finding);
        assert.match(result[0]!.finding, message);
      });
    }
  });

  describe('on a daemon', () => {
    let daemon: StandInDaemon;
    before(async () => {
      daemon = await new StandInDaemon({ network: 'mainnet', accounts: { [SENDER]: { balance: 10_000_000_000_000n, nonce: 3n } } }).start();
    });
    after(() => daemon.stop());

    it("holds when the payment is on the best chain with the commitment's memo, and names an altered state or block", async () => {
      const { plan, signed } = signedFixture(null);
      const first = signed.payments[0]!;
      const pending = signedEpochStatements({ plan, signed, records: [] }, PLAN_PATH, client);
      const daemonView = graphqlDaemon(daemon.url);
      const notYet = await chainCheck(statementOf(pending, A), daemonView);
      assert.match(notYet.finding, /neither on the daemon's best chain \(its last 290 blocks\) nor in its pool/);
      for (const payment of signed.payments) assert.deepEqual(await daemonView.sendPayment(payment), { accepted: true, hash: payment.hash });
      const inPool = await chainCheck(statementOf(pending, A), daemonView);
      assert.deepEqual([inPool.holds, inPool.finding], [false, `payment ${first.hash} is in the daemon's pool, not yet on its best chain`]);
      const block = daemon.includePool();
      const records: SendRecord[] = [
        { event: 'included', nonce: '3', hash: first.hash, block: { height: String(block.height), stateHash: block.stateHash }, at: 'T' },
      ];
      const included = statementOf(signedEpochStatements({ plan, signed, records }, PLAN_PATH, client), A);
      const onChain = await chainCheck(included, daemonView);
      assert.ok(onChain.holds, onChain.finding);
      assert.match(onChain.finding, new RegExp(`in block ${block.height} \\(${block.stateHash}\\), applied; its memo mp1:[0-9a-f]{28} commits to root`));

      const otherBlock = { ...included, payments: [{ ...included.payments[0]!, block: { height: '99', stateHash: '3NKother' } }] };
      const movedBlock = await chainCheck(otherBlock, daemonView);
      assert.deepEqual([movedBlock.holds, movedBlock.finding.startsWith("the payment's block was altered: the statement names block 99")], [false, true]);
      // A statement claiming a payment still in the pool is on chain: the state was altered.
      const second = statementOf(signedEpochStatements({ plan, signed, records: [] }, PLAN_PATH, client), signed.payments[1]!.pk);
      daemon.blocks.pop();
      daemon.pool.push(...block.commands);
      const claimed = { ...second, payments: [{ ...second.payments[0]!, state: 'included' as const }] };
      assert.match(
        (await chainCheck(claimed, daemonView)).finding,
        /^the state was altered: the statement says included, but payment \w+ is in the daemon's pool/,
      );
    });
  });
});

describe('the proofs of a 2,000-line plan', () => {
  it("all verify: each leaf hashes from its fields and its path leads to the signed root; o1js's MerkleWitness agrees on a sample", () => {
    const keys = new Client({ network: 'mainnet' }).genKeys();
    const plan = syntheticPlan(2000);
    const signed: SignedPayments = {
      planHash: plan.planHash,
      network: 'mainnet',
      epoch: plan.epoch,
      sender: keys.publicKey,
      payments: [],
      commitment: signCommitment(client, plannedCommitment(plan)!, keys.privateKey),
    };
    const statements = signedEpochStatements({ plan, signed, records: [] }, 'plan.json', client);
    assert.equal(statements.length, 2000);
    const height = merkleHeight(2000);
    class Witness extends MerkleWitness(height) {}
    for (const [position, written] of statements.entries()) {
      const statement = parseStatement(statementDocument(written), `${position}.json`);
      assert.equal(statement.position, position);
      assert.equal(statement.path.length, height - 1);
      const leaf = leafHash(statement.leaf);
      assert.equal(leaf, statement.leafHash);
      assert.equal(merkleRootFromPath(leaf, position, statement.path), plan.commitment!.root, `line ${position}`);
      if (position % 250 === 0) {
        const witness = new Witness(statement.path.map((sibling, level) => ({ isLeft: ((position >> level) & 1) === 0, sibling: Field(sibling) })));
        assert.equal(witness.calculateRoot(Field(leaf)).toBigInt(), plan.commitment!.root);
        assert.deepEqual(failures(verifyStatement(statement, client)), []);
      }
    }
  });
});
