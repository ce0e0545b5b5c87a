import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';

import Client from 'mina-signer';

import { tempDir } from '../helpers.js';
import { keyFile } from '../payout/key-files.js';
import { runCli, runCliProcess } from './run.js';

const client = new Client({ network: 'mainnet' });
const sender = client.genKeys();
/** Enough payments for three workers: signing hands them out 16 at a time. */
const DELEGATORS = 40;
/** Epoch 18 of the Berkeley era on mainnet starts at global slot 693000 (564480 since the hard fork). */
const EPOCH_FIRST_SLOT = 693_000;

/** A pool of DELEGATORS delegators, a block of epoch 18 won by one of them, and its plan; resolves to the plan's path. */
async function poolPlan(dir: string): Promise<string> {
  const pool = client.genKeys().publicKey;
  const delegators = Array.from({ length: DELEGATORS }, () => client.genKeys().publicKey);
  const ledger = join(dir, 'ledger.json');
  writeFileSync(ledger, JSON.stringify(delegators.map((pk, index) => ({ pk, balance: `${1000 + index * 37}.25`, delegate: pool }))));
  const blocks = join(dir, 'blocks.json');
  const block = {
    height: 400_000,
    stateHash: '3NKworkers',
    globalSlotSinceGenesis: EPOCH_FIRST_SLOT + 10,
    globalSlotSinceHardFork: EPOCH_FIRST_SLOT - 564_480 + 10,
  };
  const won = {
    creator: pool,
    winner: delegators[3],
    coinbaseReceiver: pool,
    coinbase: '720000000000',
    feeTransferToReceiver: '0',
    feeTransferViaCoinbase: '0',
  };
  writeFileSync(blocks, JSON.stringify([{ ...block, ...won }]));
  const options = ['--ledger', ledger, '--blocks', blocks, '--pool', pool, '--era', 'berkeley', '--epoch', '18', '--commission', '0.05'];
  const planned = await runCli(['payout', 'plan', ...options, '--journal', join(dir, 'journal'), '--quiet']);
  assert.equal(planned.code, 0, planned.stderr);
  return planned.stdout.trim();
}

describe('minapay payout sign --workers', () => {
  it('writes the same signed.json and report.csv bytes from 1 worker, 3 under tsx and 2 in the compiled CLI, and no output holds the key', async (t) => {
    const plan = await poolPlan(tempDir());
    const key = keyFile(`${sender.privateKey}\n`);
    const files = () => ['signed.json', 'report.csv'].map((name) => readFileSync(join(dirname(plan), name), 'utf8'));
    const signWith = async (workers: string, sign: (args: string[]) => ReturnType<typeof runCli>) => {
      rmSync(join(dirname(plan), 'signed.json'), { force: true });
      const result = await sign(['payout', 'sign', plan, '--key-file', key, '--nonce', '3', '--workers', workers]);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(!`${result.stdout}${result.stderr}`.includes(sender.privateKey));
      return files();
    };
    const inThisThread = await signWith('1', (args) => runCli(args));
    assert.equal((JSON.parse(inThisThread[0]!) as { payments: unknown[] }).payments.length, DELEGATORS);
    assert.deepEqual(await signWith('3', (args) => runCli(args)), inThisThread);
    assert.deepEqual(await signWith('2', (args) => runCliProcess(t, args)), inThisThread);
  });

  it('refuses --workers 0', async () => {
    const result = await runCli(['payout', 'sign', join(tempDir(), 'plan.json'), '--nonce', '3', '--workers', '0']);
    assert.equal(result.code, 64, result.stderr);
    assert.match(result.stderr, /--workers must be a whole number of at least 1, not 0 \[USAGE\]/);
  });
});
