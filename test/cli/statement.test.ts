import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, before, describe, it } from 'node:test';

import Client from 'mina-signer';

import { fixture, ROOT, tempDir } from '../helpers.js';
import { keyFile } from '../payout/key-files.js';
import { StandInDaemon } from '../payout/stand-in-daemon.js';
import { FIXTURE_POOL, fixturePlanArgs, journalEpochDir } from './fixture-plan.js';
import { runCli, type CliResult } from './run.js';

const A = 'B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1';
const sender = new Client({ network: 'mainnet' }).genKeys();

before(() => process.chdir(ROOT));
let daemon: StandInDaemon | undefined;
afterEach(() => daemon?.stop());

const ok = (result: CliResult) => {
  assert.equal(result.code, 0, result.stderr);
  return result;
};
const failedWith = (result: CliResult, exit: number, code: string, pattern: RegExp) => {
  assert.equal(result.code, exit, result.stderr);
  assert.match(result.stderr, new RegExp(`\\[${code}\\]\\n$`));
  assert.match(result.stderr, pattern);
};

/** `payout plan` of the fixtures into a fresh journal; resolves to the plan's path. */
async function planFixture(): Promise<string> {
  return ok(await runCli(fixturePlanArgs(tempDir(), {}, '--quiet'))).stdout.trim();
}

/** Every file under a directory, by name, as text. */
function filesIn(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

describe('minapay payout statement and statement verify', () => {
  it('writes a statement per line and the page after sign and again after send; each verifies offline and on the daemon', async () => {
    daemon = await new StandInDaemon({ network: 'mainnet', accounts: { [sender.publicKey]: { balance: 5_000_000_000_000n, nonce: 9n } } }).start();
    const plan = await planFixture();
    const key = keyFile(`${sender.privateKey}\n`);
    const signed = ok(await runCli(['payout', 'sign', plan, '--key-file', key, '--graphql', daemon.url, '--quiet'])).stdout.trim();
    const statements = join(dirname(plan), 'statements');

    const first = ok(await runCli(['payout', 'statement', plan]));
    assert.equal(first.stdout, `${join(statements, 'index.html')}\n`);
    assert.match(first.stderr, /^epoch 18: 4 statements, 2 with a payment \(0 on chain\); root \d+, memo mp1:[0-9a-f]{28}\n$/);
    const signedFiles = filesIn(statements);
    assert.equal(signedFiles.size, 5);
    const statementOfA = JSON.parse(signedFiles.get(`${A}.json`)!) as { payments: { state: string; data: { memo: string } }[]; commitment: { memo: string } };
    assert.equal(statementOfA.payments[0]!.state, 'signed');
    assert.equal(statementOfA.payments[0]!.data.memo, statementOfA.commitment.memo, "the payment's memo is the commitment by default");
    const verified = ok(await runCli(['statement', 'verify', join(statements, `${A}.json`)]));
    assert.match(verified.stdout, /^statement of B62qjWCp\w+ for epoch 18 on mainnet: 8\.137978319 MINA; holds\n {2}leaf {6}ok/);
    failedWith(
      await runCli(['statement', 'verify', join(statements, `${A}.json`), '--graphql', daemon.url]),
      1,
      'STATEMENT_NOT_VERIFIED',
      /neither on the daemon's best chain \(its last 290 blocks\) nor in its pool/,
    );

    ok(await runCli(['payout', 'send', signed, '--graphql', daemon.url, '--quiet']));
    assert.deepEqual(
      daemon.pool.map((payment) => payment.memo),
      [statementOfA.commitment.memo, statementOfA.commitment.memo],
    );
    const block = daemon.includePool();
    ok(await runCli(['payout', 'send', signed, '--graphql', daemon.url, '--quiet']));
    const second = ok(await runCli(['payout', 'statement', plan, '--quiet']));
    assert.equal(second.stderr, '');
    const sentFiles = filesIn(statements);
    const included = JSON.parse(sentFiles.get(`${A}.json`)!) as { payments: { state: string; block: { height: string; stateHash: string } }[] };
    assert.deepEqual(included.payments[0]!.block, { height: String(block.height), stateHash: block.stateHash });
    assert.equal(included.payments[0]!.state, 'included');
    const onChain = ok(await runCli(['statement', 'verify', join(statements, `${A}.json`), '--graphql', daemon.url]));
    assert.match(onChain.stdout, new RegExp(`chain {5}ok {4}payment \\w+ is on the daemon's best chain in block ${block.height} .*commits to root \\d+\\n$`));
    ok(await runCli(['payout', 'statement', plan, '--quiet']));
    assert.deepEqual(filesIn(statements), sentFiles, 'the same journal gives the same bytes');

    const tampered = join(tempDir(), `${A}.json`);
    writeFileSync(tampered, sentFiles.get(`${A}.json`)!.replace('"amount": "8137978319"', '"amount": "8237978319"'));
    failedWith(await runCli(['statement', 'verify', tampered]), 1, 'STATEMENT_NOT_VERIFIED', /does not verify: the amount was altered/);
    for (const text of [...sentFiles.values(), ...signedFiles.values()]) assert.ok(!text.includes(sender.privateKey), 'the private key leaked');
  });

  it('writes to --dir with links from --explorer, and statements of a plan signed without a daemon', async () => {
    const plan = await planFixture();
    ok(await runCli(['payout', 'sign', plan, '--key-file', keyFile(`${sender.privateKey}\n`), '--nonce', '3', '--quiet']));
    const dir = join(tempDir(), 'published');
    ok(await runCli(['payout', 'statement', plan, '--dir', dir, '--explorer', 'https://explorer.example/tx/{hash}?net=main', '--quiet']));
    const page = readFileSync(join(dir, 'index.html'), 'utf8');
    assert.match(page, /<a href="https:\/\/explorer\.example\/tx\/5J\w+\?net=main">/);
    assert.match(page, new RegExp(`<a href="${A}\\.json">`));
    failedWith(
      await runCli(['payout', 'statement', plan, '--explorer', 'https://explorer.example/tx/']),
      64,
      'USAGE',
      /--explorer must be .* containing \{hash\}/,
    );
  });

  it('refuses an epoch not signed yet and a plan of format 1, which has no commitment, writing nothing', async () => {
    const plan = await planFixture();
    failedWith(await runCli(['payout', 'statement', plan]), 66, 'STATEMENT_UNAVAILABLE', /epoch 18 is not signed yet: run payout sign first/);
    const epochDir = journalEpochDir(tempDir(), 18, FIXTURE_POOL);
    mkdirSync(epochDir, { recursive: true });
    copyFileSync(fixture('expected', 'post-berkeley.epoch-18.plan-format-1.json'), join(epochDir, 'plan.json'));
    failedWith(await runCli(['payout', 'statement', join(epochDir, 'plan.json')]), 66, 'STATEMENT_UNAVAILABLE', /plan format 1, planned before commitments/);
    assert.deepEqual(readdirSync(epochDir), ['plan.json']);
    assert.deepEqual(readdirSync(dirname(plan)).sort(), ['plan.json', 'report.csv']);
  });
});
