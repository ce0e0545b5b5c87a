import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { runCli } from './run.js';

/** The pool key of the post-Berkeley fixtures (fixtures/ledger/post-berkeley.json, fixtures/blocks/post-berkeley.blocks.json). */
export const FIXTURE_POOL = 'B62qrMi68WSSWpmb3Yfp7ztzAFx6gUyF26VAzPNgYEoYKRASRj2pqZK';
export const FIXTURE_LEDGER = 'fixtures/ledger/post-berkeley.json';
export const FIXTURE_BLOCKS = 'fixtures/blocks/post-berkeley.blocks.json';

/**
 * `payout plan` of the fixtures' epoch 18 at 5% (the blocks show the Berkeley fork), into
 * `journal`. `changes` replace options (yargs would gather a repeated option
 * into a list); `flags` are added. Plans record their input paths as given,
 * so tests run it from the repository root.
 */
export function fixturePlanArgs(journal: string, changes: Record<string, string> = {}, ...flags: string[]): string[] {
  const options = { ledger: FIXTURE_LEDGER, blocks: FIXTURE_BLOCKS, pool: FIXTURE_POOL, epoch: '18', commission: '0.05', journal, ...changes };
  return ['payout', 'plan', ...Object.entries(options).map(([name, value]) => `--${name}=${value}`), ...flags];
}

/** An epoch's directory in a journal. */
export function journalEpochDir(journal: string, epoch = 18, pool = FIXTURE_POOL): string {
  return join(journal, 'mainnet', pool, `epoch-${epoch}`);
}

/**
 * A pool's epoch 18 planned into `dir`/journal at 5%: a ledger of `delegators` (each with its own balance) delegating to `pool`,
 * and one block, won by the fourth of them. Resolves to the plan's path.
 */
export async function planPool(dir: string, pool: string, delegators: readonly string[]): Promise<string> {
  const ledger = join(dir, 'ledger.json');
  const blocks = join(dir, 'blocks.json');
  writeFileSync(ledger, JSON.stringify(delegators.map((pk, index) => ({ pk, balance: `${1000 + index * 137}.5`, delegate: pool }))));
  const block = { height: 420001, stateHash: '3NKpoolBlock', globalSlotSinceGenesis: 700000, globalSlotSinceHardFork: 135520 };
  const won = {
    creator: pool,
    winner: delegators[3],
    coinbaseReceiver: pool,
    coinbase: '720000000000',
    feeTransferToReceiver: '0',
    feeTransferViaCoinbase: '0',
  };
  writeFileSync(blocks, JSON.stringify([{ ...block, ...won }]));
  const terms = ['--pool', pool, '--era', 'berkeley', '--epoch', '18', '--commission', '0.05'];
  const planned = await runCli(['payout', 'plan', '--ledger', ledger, '--blocks', blocks, ...terms, '--journal', join(dir, 'journal'), '--quiet']);
  assert.equal(planned.code, 0, planned.stderr);
  return planned.stdout.trim();
}
