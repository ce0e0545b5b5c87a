import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import Client from 'mina-signer';

import { LEDGER_HASHES, ROOT, tempDir } from '../helpers.js';
import { keyFile } from '../payout/key-files.js';
import { StandInDaemon } from '../payout/stand-in-daemon.js';
import { FIXTURE_LEDGER, FIXTURE_POOL, fixturePlanArgs, journalEpochDir } from './fixture-plan.js';
import { runCli, type CliResult } from './run.js';

const sender = new Client({ network: 'mainnet' }).genKeys();
const FUNDS = 5_000_000_000_000n;

before(() => process.chdir(ROOT));
let daemon: StandInDaemon;
after(() => daemon?.stop());

const ok = (result: CliResult) => {
  assert.equal(result.code, 0, result.stderr);
  return result;
};

/**
 * Runs a command with `--format json --output FILE`: nothing on stdout, and
 * FILE one JSON document; resolves to it.
 */
async function jsonToFile(args: readonly string[], exit = 0): Promise<Record<string, unknown>> {
  const output = join(tempDir(), 'result.json');
  const result = await runCli([...args, '--format', 'json', '--output', output, '--quiet']);
  assert.equal(result.code, exit, result.stderr);
  assert.equal(result.stdout, '');
  return JSON.parse(readFileSync(output, 'utf8')) as Record<string, unknown>;
}

/** The same command with `--format json` to stdout: one JSON document there, equal to what --output wrote. */
async function jsonToStdout(args: readonly string[], exit = 0): Promise<Record<string, unknown>> {
  const result = await runCli([...args, '--format', 'json', '--quiet']);
  assert.equal(result.code, exit, result.stderr);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe('--format json and --output on every command with a result', () => {
  it('payout plan, verify, sign, send (dry run and real), status, statement and statement verify', async () => {
    daemon = await new StandInDaemon({ network: 'mainnet', accounts: { [sender.publicKey]: { balance: FUNDS, nonce: 3n } } }).start();
    const journal = tempDir();
    const planned = await jsonToFile(fixturePlanArgs(journal));
    const plan = join(journalEpochDir(journal), 'plan.json');
    assert.equal(planned['plan'], plan);
    assert.equal(planned['report'], join(dirname(plan), 'report.csv'));
    assert.deepEqual([planned['epoch'], planned['blocks'], planned['delegatorsPaid']], [18, 2, 2]);
    assert.equal((planned['era'] as Record<string, unknown>)['learnedFrom'], 'blocks');
    const totals = planned['totals'] as Record<string, string>;
    // Amounts are whole nanomina as strings, and the parts of the summary add up to the rewards (the pool pays the fees on top).
    assert.equal((planned['settings'] as Record<string, unknown>)['feePayer'], 'pool');
    const parts = ['payouts', 'commission', 'burned', 'ownStakeShare', 'excludedAccounts', 'roundingAndKeptFees', 'carriedOut'];
    assert.equal(parts.reduce((sum, part) => sum + BigInt(totals[part]!), 0n) - BigInt(totals['carriedIn']!), BigInt(totals['rewards']!));
    assert.equal(planned['planHash'], JSON.parse(readFileSync(plan, 'utf8')).planHash);

    const verified = await jsonToFile(['payout', 'verify', plan]);
    assert.deepEqual(verified, { plan, network: 'mainnet', epoch: 18, lines: 4, planHash: planned['planHash'], verified: true });
    assert.deepEqual(await jsonToStdout(['payout', 'verify', plan]), verified);

    const key = keyFile(`${sender.privateKey}\n`);
    const signed = await jsonToFile(['payout', 'sign', plan, '--key-file', key, '--graphql', daemon.url]);
    const signedPath = join(dirname(plan), 'signed.json');
    assert.deepEqual(
      { ...signed, amount: undefined },
      {
        plan,
        signed: signedPath,
        network: 'mainnet',
        epoch: 18,
        sender: sender.publicKey,
        payments: 2,
        nonces: { first: '3', last: '4' },
        amount: undefined,
        fees: '20000000',
      },
    );
    assert.equal(BigInt(signed['amount'] as string), BigInt(totals['payouts']!));

    const dryRun = await jsonToFile(['payout', 'send', signedPath, '--graphql', daemon.url, '--dry-run']);
    assert.deepEqual(
      [dryRun['dryRun'], dryRun['sender'], dryRun['daemonNonce'], (dryRun['payments'] as { action: string }[]).map((p) => p.action)],
      [true, sender.publicKey, '3', ['send', 'send']],
    );
    const sent = await jsonToFile(['payout', 'send', signedPath, '--graphql', daemon.url]);
    assert.deepEqual(sent, { signed: signedPath, epoch: 18, payments: 2, final: 0, included: 0, inPool: 2, sent: 2, resent: 0, waiting: 0 });

    const status = await jsonToFile(['payout', 'status', '--journal', journal], 75);
    assert.deepEqual(
      Object.values(status).map((epoch) => (epoch as Record<string, unknown>)['state']),
      ['waiting'],
    );

    const statements = tempDir();
    const statement = await jsonToFile(['payout', 'statement', plan, '--dir', statements]);
    assert.deepEqual([statement['page'], statement['statements']], [join(statements, 'index.html'), 4]);
    const mine = join(statements, `${FIXTURE_POOL}.json`);
    const checked = await jsonToFile(['statement', 'verify', mine]);
    assert.deepEqual([checked['pk'], checked['epoch'], checked['holds']], [FIXTURE_POOL, 18, true]);
    assert.ok((checked['checks'] as { holds: boolean }[]).every((check) => check.holds));
  });

  it('payout verify says a plan that does not hold in its JSON too, and exits 1', async () => {
    const journal = tempDir();
    ok(await runCli(fixturePlanArgs(journal, {}, '--quiet')));
    const plan = join(journalEpochDir(journal), 'plan.json');
    const blocks = join(tempDir(), 'blocks.json');
    writeFileSync(
      blocks,
      readFileSync('fixtures/blocks/post-berkeley.blocks.json', 'utf8').replace('"feeTransferToReceiver": "25000000"', '"feeTransferToReceiver": "26000000"'),
    );
    const verdict = await jsonToStdout(['payout', 'verify', plan, '--blocks', blocks], 1);
    assert.equal(verdict['verified'], false);
    assert.match(String(verdict['problem']), /does not verify/);
  });

  it('ledger archive and ledger verify', async () => {
    const archive = tempDir();
    const archived = await jsonToFile(['ledger', 'archive', FIXTURE_LEDGER, '--archive', archive, '--epoch', '18', '--ledger-hash', LEDGER_HASHES[0]]);
    assert.equal(archived['status'], 'archived');
    assert.ok(existsSync(String(archived['path'])));
    const ledger = archived['ledger'] as Record<string, unknown>;
    assert.deepEqual([ledger['epoch'], ledger['hash'], ledger['accounts'], ledger['totalStake']], [18, LEDGER_HASHES[0], 8, '252552500000001']);
    const verified = await jsonToFile(['ledger', 'verify', '--archive', archive]);
    assert.equal(verified['matches'], true);
    assert.deepEqual(verified['files'], [{ file: String(archived['path']).split('/').at(-1), state: 'ok' }]);
    writeFileSync(String(archived['path']), 'altered');
    const altered = await jsonToStdout(['ledger', 'verify', '--archive', archive], 81);
    assert.equal(altered['matches'], false);
  });

  it('refuses --output and --format where a command has no single result (payout run: its steps are lines as they happen)', async () => {
    const refused = await runCli(['payout', 'run', '--pool', FIXTURE_POOL, '--commission', '0.05', '--output', join(tempDir(), 'x')]);
    assert.equal(refused.code, 64);
    assert.match(refused.stderr, /Unknown argument: output \[USAGE\]\n$/);
  });
});
