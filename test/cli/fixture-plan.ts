import { join } from 'node:path';

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
