import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';

import Client from 'mina-signer';

import { parse as parseCsv } from 'csv-parse/sync';

import { ROOT, tempDir } from '../helpers.js';
import { fixtureKeyFile, keyFile } from '../payout/key-files.js';
import { fixturePlanArgs } from './fixture-plan.js';
import { runCli } from './run.js';

const POOL = 'B62qrMi68WSSWpmb3Yfp7ztzAFx6gUyF26VAzPNgYEoYKRASRj2pqZK';
const A = 'B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1';
const B = 'B62qpR8BVdV86jgnzCzHebvAcSVnKb4yWigJBrUWmdDUZy1qsHtHUrG';
const C = 'B62qnx5hKBFHZFUFjpEXzh2du8wRegCHrp3kL17gY7qxMBFQcBycJM5';
/** The second address of A's split payout in examples/overrides.json (the o1js reference-vector key). */
const A_SECOND = 'B62qiy32p8kAKnny8ZFwoMhYpBppM1DWVCqAPBYNcXnsAHhnfAAuXgg';
const BURN = 'B62qiburnzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzmp7r7UN6X';
const WALLET = 'B62qoGasCeX5M5HyK95AKLh6eXK92tBgAfkVJPuS8A8NkATuMjRxSbF';
/** MD5 hex of the pool key: the Foundation's memo. */
const POOL_MD5 = 'ca3fdedb69b9f546923e53e4cce7da0b';
const sender = new Client({ network: 'mainnet' }).genKeys();

before(() => process.chdir(ROOT));

interface PlanJson {
  lines: { pk: string; kind: string; payTo: string; split: { payTo: string; amount: string }[] | null; [field: string]: unknown }[];
  totals: Record<string, unknown>;
}

describe('payout plan with the example programs and overrides files and --self-pay-to', () => {
  it('plans, reports and signs one payment per address: split, burn, the return address, the pool key to its wallet', async () => {
    const journal = tempDir();
    const planned = await runCli(
      fixturePlanArgs(journal, { programs: 'examples/programs.csv', overrides: 'examples/overrides.json', 'self-pay-to': WALLET }, '--quiet'),
    );
    assert.equal(planned.code, 0, planned.stderr);
    const planPath = planned.stdout.trim();
    const plan = JSON.parse(readFileSync(planPath, 'utf8')) as PlanJson;
    const line = (pk: string) => plan.lines.find((l) => l.pk === pk)!;
    // Worked out with exact fractions: A and C share only the 1,439.99 MINA of coinbase (less snark fees), the 1.525 MINA of fees go to the
    // pool key and B, who share fees. A (o1, 5%): half its commission burned, 70/30 split. C (foundation): its guarantee, to its return address.
    assert.deepEqual(
      [BURN, A, C, B, POOL].map((pk) => {
        const { kind, payTo, fees, earned, commission, burned, amount, program, memo } = line(pk);
        return [pk, kind, payTo, fees, earned, commission, burned, amount, program, memo];
      }),
      [
        [BURN, 'burn', BURN, 'exclude', '0', '0', '0', '213930763', null, null],
        [A, 'delegator', A, 'exclude', '8129369031', '213930764', '213930763', '8129369031', 'o1', null],
        [C, 'delegator', B, 'exclude', '1311680570929', '114049279110', '0', '1311680570929', 'foundation', POOL_MD5],
        [B, 'delegator', B, 'share', '0', '0', '0', '0', null, null],
        [POOL, 'self', WALLET, 'share', '7227919400', '0', '0', '7227919400', null, null],
      ],
    );
    assert.deepEqual(
      line(A).split?.map((payment) => [payment.payTo, payment.amount]),
      [
        [A, '5690558322'],
        [A_SECOND, '2438810709'],
      ],
    );
    assert.deepEqual([plan.totals['burned'], plan.totals['remainder']], ['213930763', '3']);

    const epochDir = dirname(planPath);
    const report = parseCsv(readFileSync(join(epochDir, 'report.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    assert.deepEqual(
      report.map((row) => [row['pk'], row['pay_to'], row['kind'], row['stake_mina'], row['payout_mina'], row['status']]),
      [
        [BURN, BURN, 'burn', '0.000000000', '0.213930763', 'planned'],
        [A, A, 'delegator', '1500.500000000', '5.690558322', 'planned'],
        [A, A_SECOND, 'delegator', '', '2.438810709', 'planned'],
        [C, B, 'delegator', '250000.000000000', '1311.680570929', 'planned'],
        [B, B, 'delegator', '0.000000001', '0.000000000', ''],
        [POOL, WALLET, 'self', '1000.000000000', '7.227919400', 'planned'],
      ],
    );

    const signed = await runCli(['payout', 'sign', planPath, '--key-file', keyFile(`${sender.privateKey}\n`), '--nonce', '9', '--memo', 'epoch 18', '--quiet']);
    assert.equal(signed.code, 0, signed.stderr);
    const payments = (JSON.parse(readFileSync(join(epochDir, 'signed.json'), 'utf8')) as { payments: { pk: string; data: Record<string, string> }[] }).payments;
    assert.deepEqual(
      payments.map((p) => [p.pk, p.data['to'], p.data['amount'], p.data['nonce'], p.data['memo']]),
      [
        [BURN, BURN, '213930763', '9', 'epoch 18'],
        [A, A, '5690558322', '10', 'epoch 18'],
        [A, A_SECOND, '2438810709', '11', 'epoch 18'],
        [C, B, '1311680570929', '12', POOL_MD5],
        [POOL, WALLET, '7227919400', '13', 'epoch 18'],
      ],
    );
    const signedReport = readFileSync(join(epochDir, 'report.csv'), 'utf8');
    // A split's second row: the account's figures on its first; the memo actually signed; new_account and account_fee_mina empty.
    assert.match(
      signedReport,
      new RegExp(`\\n18,${POOL},\\d+,${A},${A_SECOND},delegator,,,,,,,2\\.438810709,0\\.010000000,pool,,epoch 18,,,11,[^,]+,signed\\n`),
    );

    const status = await runCli(['payout', 'status', '--journal', journal]);
    assert.equal(status.code, 80, 'signed, not sent');
    assert.match(status.stdout, new RegExp(`${POOL}\\s+18\\s+5\\s+5\\s+0 `));
    const history = await runCli(['payout', 'report', '--journal', journal, '--delegator', A_SECOND, '--format', 'json']);
    assert.equal(history.code, 0, history.stderr);
    assert.deepEqual(
      (JSON.parse(history.stdout) as Record<string, unknown>[]).map((row) => [
        row['pk'],
        row['payTo'],
        row['stake'],
        row['amount'],
        row['nonce'],
        row['status'],
      ]),
      [[A, A_SECOND, null, '2438810709', '11', 'signed']],
    );
    const verified = await runCli(['payout', 'verify', planPath]);
    assert.equal(verified.code, 0, verified.stderr);

    // A's statement lists both payments of its split payout; together they pay its leaf's amount.
    assert.equal((await runCli(['payout', 'statement', planPath, '--quiet'])).code, 0);
    const statementPath = join(epochDir, 'statements', `${A}.json`);
    const statement = await runCli(['statement', 'verify', statementPath]);
    assert.equal(statement.code, 0, statement.stdout);
    assert.match(statement.stdout, new RegExp(`signed 5690558322 nanomina to ${A},`));
    assert.match(statement.stdout, new RegExp(`signed 2438810709 nanomina to ${A_SECOND},`));
    assert.match(statement.stdout, /the 2 payments of the split payout add up to the leaf's 8129369031 nanomina/);
    assert.equal((await runCli(['statement', 'verify', join(epochDir, 'statements', `${BURN}.json`)])).code, 0);
    const document = JSON.parse(readFileSync(statementPath, 'utf8')) as { payments: unknown[] };
    document.payments.pop();
    const dropped = join(tempDir(), 'dropped.json');
    writeFileSync(dropped, JSON.stringify(document));
    const short = await runCli(['statement', 'verify', dropped]);
    assert.equal(short.code, 1);
    assert.match(short.stderr, /the payment pays 5690558322 nanomina, the leaf 8129369031/);
  });

  it('refuses to sign a split payout one of whose addresses is the sender: its part would go unpaid and unseen', async () => {
    const planned = await runCli(fixturePlanArgs(tempDir(), { programs: 'examples/programs.csv', overrides: 'examples/overrides.json' }, '--quiet'));
    assert.equal(planned.code, 0, planned.stderr);
    // The split's second address is the o1js reference-vector key, whose private key is a published fixture.
    const result = await runCli(['payout', 'sign', planned.stdout.trim(), '--key-file', fixtureKeyFile('reference-vector.key'), '--nonce', '1']);
    assert.equal(result.code, 64, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(`line ${A} splits its payout with the sender ${A_SECOND}: sign with another key, or plan without that address \\[USAGE\\]`),
    );
  });

  it('refuses a payTo split that names an address twice, naming the file, row and account', async () => {
    const overrides = join(tempDir(), 'overrides.csv');
    writeFileSync(overrides, `pk,payTo\n${A},"${B}:1,${B}:2"\n`);
    const result = await runCli(fixturePlanArgs(tempDir(), { overrides }, '--quiet'));
    assert.equal(result.code, 65, result.stderr);
    assert.match(result.stderr, /overrides\.csv: row 2 \(B62qjWC\w+\) payTo names B62qpR8\w+ twice \[OVERRIDES_INVALID\]/);
  });
});
