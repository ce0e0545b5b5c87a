import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, before, describe, it } from 'node:test';

import Client from 'mina-signer';

import { ROOT, tempDir } from '../helpers.js';
import { keyFile } from '../payout/key-files.js';
import { ACCOUNT_CREATION_FEE, StandInDaemon } from '../payout/stand-in-daemon.js';
import { FIXTURE_POOL, fixturePlanArgs } from './fixture-plan.js';
import { type CliResult, runCli } from './run.js';

/**
 * The finality round through the CLI: status naming void and failed
 * payments with their evidence, status --format json, payout sign --unpaid
 * paying exactly the unpaid lines once, and the account creation fee.
 */
const A = 'B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1';
const C = 'B62qnx5hKBFHZFUFjpEXzh2du8wRegCHrp3kL17gY7qxMBFQcBycJM5';
const AMOUNT_A = 8_137_978_319n;
const AMOUNT_C = 1_355_877_760_638n;
const client = new Client({ network: 'mainnet' });
const sender = client.genKeys();

before(() => process.chdir(ROOT));
let daemon: StandInDaemon;
afterEach(() => daemon?.stop());

async function standIn(accounts: Record<string, { balance: bigint; nonce?: bigint }> = {}): Promise<StandInDaemon> {
  daemon = await new StandInDaemon({ network: 'mainnet', accounts: { [sender.publicKey]: { balance: 5_000_000_000_000n, nonce: 9n }, ...accounts } }).start();
  return daemon;
}

/** The fixture epoch planned and signed (extra sign options appended); resolves to its paths. */
async function signedEpoch(...signOptions: string[]): Promise<{ plan: string; signed: string; journal: string; key: string }> {
  const journal = tempDir();
  const planned = await runCli(fixturePlanArgs(journal, {}, '--quiet'));
  assert.equal(planned.code, 0, planned.stderr);
  const plan = planned.stdout.trim();
  const key = keyFile(`${sender.privateKey}\n`);
  const signing = await runCli(['payout', 'sign', plan, '--key-file', key, '--graphql', daemon.url, '--quiet', ...signOptions]);
  assert.equal(signing.code, 0, signing.stderr);
  return { plan, signed: signing.stdout.trim(), journal, key };
}

const send = (signed: string) => runCli(['payout', 'send', signed, '--graphql', daemon.url, '--quiet']);
const status = (journal: string, ...options: string[]) => runCli(['payout', 'status', '--journal', journal, ...options]);
const failedWith = (result: CliResult, exit: number, code: string, pattern?: RegExp) => {
  assert.equal(result.code, exit, result.stdout + result.stderr);
  assert.match(result.stderr, new RegExp(`\\[${code}\\]\\n$`));
  if (pattern !== undefined) assert.match(result.stderr, pattern);
};

/** A payment of the sender with this nonce, signed and included by another node: it takes the nonce. */
function foreignTakes(nonce: bigint): string {
  const data = { to: FIXTURE_POOL, from: sender.publicKey, amount: '1000000000', fee: '10000000', nonce: nonce.toString(), memo: '', validUntil: '4294967295' };
  return daemon.receiveBlock([{ data, signature: client.signPayment(data, sender.privateKey).signature }]).commands[0]!.hash;
}

/** Every payment the daemon applied to `payee`. */
const paidTo = (payee: string) =>
  daemon.included.filter((payment) => payment.to === payee && (payment as { failureReason?: string | null }).failureReason === null);

interface StatusJson {
  epoch: number;
  state: string;
  payments: {
    pk: string;
    state: string;
    nonce: string;
    hash: string;
    blockHeight: string | null;
    depth: number | null;
    attempts: number;
    reason: string | null;
    takenBy: string | null;
    current: boolean;
    supplement: number;
    settled: boolean;
  }[];
}

describe('payments followed to finality, through the CLI', () => {
  it('a foreign transaction takes a nonce: status names the payee, the taker and its block; sign --unpaid pays exactly that line, once', async () => {
    await standIn();
    const { plan, signed, journal, key } = await signedEpoch();
    const taker = foreignTakes(9n);
    failedWith(await send(signed), 76, 'NONCE_CONFLICT');
    // Not final yet: the taker's block could still be replaced, so nothing is paid anew.
    failedWith(await runCli(['payout', 'sign', plan, '--unpaid', '--key-file', key, '--graphql', daemon.url]), 75, 'PAYMENTS_UNSETTLED', /is void/);
    daemon.includePool();
    daemon.addEmptyBlocks(15);
    failedWith(await send(signed), 76, 'NONCE_CONFLICT');
    failedWith(
      await status(journal),
      80,
      'NEEDS_ATTENTION',
      new RegExp(
        '1 void: another transaction took their nonce \\(final: payout sign --unpaid pays them anew\\); ' +
          `the payment to ${A} \\(nonce 9, hash \\w+\\): its nonce was taken by ${taker} in block 2 \\(\\w+, 16 deep\\)`,
      ),
    );
    const supplementing = await runCli(['payout', 'sign', plan, '--unpaid', '--key-file', key, '--graphql', daemon.url, '--quiet']);
    assert.equal(supplementing.code, 0, supplementing.stderr);
    assert.equal(supplementing.stdout.trim(), join(dirname(plan), 'supplement-1.json'));
    const supplement = JSON.parse(readFileSync(supplementing.stdout.trim(), 'utf8')) as {
      supplement: number;
      payments: { pk: string; nonce: string; data: { amount: string } }[];
    };
    assert.deepEqual(
      supplement.payments.map((payment) => [payment.pk, payment.nonce, payment.data.amount]),
      [[A, '11', AMOUNT_A.toString()]],
    );
    // Only once: a second --unpaid finds the line's payment (the supplement's) not settled yet.
    failedWith(await runCli(['payout', 'sign', plan, '--unpaid', '--key-file', key, '--graphql', daemon.url]), 75, 'PAYMENTS_UNSETTLED');
    const sending = await send(signed);
    assert.equal(sending.code, 0, sending.stderr);
    daemon.includePool();
    daemon.addEmptyBlocks(15);
    assert.equal((await send(signed)).code, 0);
    const done = await status(journal, '--format', 'json');
    assert.equal(done.code, 0, done.stderr);
    const [epoch] = JSON.parse(done.stdout) as StatusJson[];
    assert.equal(epoch!.state, 'final');
    assert.deepEqual(
      epoch!.payments.map((payment) => [payment.pk, payment.nonce, payment.state, payment.current, payment.supplement]),
      [
        [A, '9', 'void', false, 0],
        [C, '10', 'final', true, 0],
        [A, '11', 'final', true, 1],
      ],
    );
    assert.deepEqual(
      paidTo(A).map((payment) => payment.amount),
      [AMOUNT_A],
    );
    assert.deepEqual(
      paidTo(C).map((payment) => payment.amount),
      [AMOUNT_C],
    );
    const report = readFileSync(join(dirname(plan), 'report.csv'), 'utf8');
    assert.match(report, new RegExp(`^\\d+,\\w+,\\d+,${A},.*,11,\\w+,final$`, 'm'));
    const again = await runCli(['payout', 'sign', plan, '--unpaid', '--key-file', key, '--graphql', daemon.url]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /no line is unpaid: nothing to sign/);
  });

  it("a payment included as failed: status names it with the chain's reason; status --format json: state, hash, nonce, block, depth, attempts", async () => {
    await standIn();
    const { signed, journal } = await signedEpoch();
    const hashes = (JSON.parse(readFileSync(signed, 'utf8')) as { payments: { hash: string }[] }).payments.map((payment) => payment.hash);
    daemon.failOnInclusion.set(hashes[1]!, 'Source_minimum_balance_violation');
    assert.equal((await send(signed)).code, 0);
    const pending = await status(journal, '--format', 'json');
    failedWith(pending, 75, 'PAYMENTS_PENDING', /2 in the daemon's pool/);
    const block = daemon.includePool();
    daemon.addEmptyBlocks(15);
    failedWith(await send(signed), 76, 'PAYMENT_REJECTED', /failed on chain/);
    const result = await status(journal, '--format', 'json');
    failedWith(
      result,
      80,
      'NEEDS_ATTENTION',
      new RegExp(
        `the payment to ${C} \\(nonce 10, hash ${hashes[1]}\\) failed in block ${block.height} ` +
          `\\(${block.stateHash}, 15 deep\\): Source_minimum_balance_violation`,
      ),
    );
    const [epoch] = JSON.parse(result.stdout) as StatusJson[];
    assert.equal(epoch!.state, 'needs attention');
    assert.deepEqual(
      epoch!.payments.map((payment) => [
        payment.state,
        payment.hash,
        payment.nonce,
        payment.blockHeight,
        payment.depth,
        payment.attempts,
        payment.reason,
        payment.settled,
      ]),
      [
        ['final', hashes[0], '9', String(block.height), 15, 1, null, true],
        ['failed', hashes[1], '10', String(block.height), 15, 1, 'Source_minimum_balance_violation', true],
      ],
    );
  });

  for (const [choice, expected] of [
    ['pay-fee', { amounts: [AMOUNT_A + ACCOUNT_CREATION_FEE, AMOUNT_C + ACCOUNT_CREATION_FEE], balances: [AMOUNT_A, AMOUNT_C], carried: 0n }],
    ['allow', { amounts: [AMOUNT_A, AMOUNT_C], balances: [AMOUNT_A - ACCOUNT_CREATION_FEE, AMOUNT_C - ACCOUNT_CREATION_FEE], carried: 0n }],
    ['skip', { amounts: [AMOUNT_C], balances: [null, AMOUNT_C], carried: AMOUNT_A }],
  ] as const) {
    it(`sign --graphql --new-accounts ${choice}: payees without an account found, the plan and report say which, the chain pays as chosen`, async () => {
      // C has an account (skip only carries A); for pay-fee and allow neither has one.
      await standIn(choice === 'skip' ? { [C]: { balance: 0n } } : {});
      const { plan, signed, journal } = await signedEpoch('--new-accounts', choice);
      const document = JSON.parse(readFileSync(plan, 'utf8')) as {
        inputs: { newAccounts: { choice: string; fee: string; payees: string[] } };
        lines: { pk: string; amount: string; carriedOut: string; newAccount?: string; accountCreationFee?: string }[];
        totals: { accountCreationFees: string };
      };
      const payees = choice === 'skip' ? [A] : [A, C];
      assert.deepEqual(document.inputs.newAccounts, { choice, fee: ACCOUNT_CREATION_FEE.toString(), payees });
      const lineA = document.lines.find((line) => line.pk === A)!;
      assert.deepEqual(
        [lineA.newAccount, lineA.accountCreationFee, lineA.carriedOut],
        [choice, choice === 'pay-fee' ? ACCOUNT_CREATION_FEE.toString() : '0', expected.carried.toString()],
      );
      assert.equal(document.totals.accountCreationFees, choice === 'pay-fee' ? (2n * ACCOUNT_CREATION_FEE).toString() : '0');
      const report = readFileSync(join(dirname(plan), 'report.csv'), 'utf8');
      assert.match(report, new RegExp(`^\\d+,\\w+,\\d+,${A},.*,${choice},${choice === 'pay-fee' ? '1\\.000000000' : ''},\\d*,\\w*,\\w*$`, 'm'));
      // The re-planned plan verifies from its recorded inputs, the new-account answer among them.
      const verified = await runCli(['payout', 'verify', plan]);
      assert.equal(verified.code, 0, verified.stderr);
      const amounts = (JSON.parse(readFileSync(signed, 'utf8')) as { payments: { data: { amount: string } }[] }).payments.map((p) => BigInt(p.data.amount));
      assert.deepEqual(amounts, [...expected.amounts]);
      assert.equal((await send(signed)).code, 0);
      daemon.includePool();
      daemon.addEmptyBlocks(15);
      assert.equal((await send(signed)).code, 0);
      assert.equal((await status(journal)).code, 0);
      assert.deepEqual(
        [A, C].map((payee) => daemon.accounts.get(payee)?.balance ?? null),
        [...expected.balances],
      );
      if (choice !== 'pay-fee') return;
      // The statement's payment pays the leaf's amount and the fee the pool added, and says so.
      assert.equal((await runCli(['payout', 'statement', plan, '--quiet'])).code, 0);
      const statement = await runCli(['statement', 'verify', join(dirname(plan), 'statements', `${A}.json`)]);
      assert.equal(statement.code, 0, statement.stdout + statement.stderr);
      assert.match(statement.stdout, /the payment pays the leaf's 8137978319 nanomina and 1000000000 the pool added: the account creation fee/);
    });
  }
});
