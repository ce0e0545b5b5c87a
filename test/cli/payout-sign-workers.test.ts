import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';

import Client from 'mina-signer';

import { tempDir } from '../helpers.js';
import { keyFile } from '../payout/key-files.js';
import { planPool } from './fixture-plan.js';
import { runCli, runCliProcess } from './run.js';

const client = new Client({ network: 'mainnet' });
const sender = client.genKeys();
/** Enough payments for three workers: signing hands them out 16 at a time. */
const DELEGATORS = 40;

describe('minapay payout sign --workers', () => {
  it('writes the same signed.json and report.csv bytes from 1 worker, 3 under tsx and 2 in the compiled CLI, and no output holds the key', async (t) => {
    const plan = await planPool(
      tempDir(),
      client.genKeys().publicKey,
      Array.from({ length: DELEGATORS }, () => client.genKeys().publicKey),
    );
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
