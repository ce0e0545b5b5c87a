import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';

import { fixture, ROOT, tempDir } from '../helpers.js';
import { FIXTURE_BLOCKS, FIXTURE_LEDGER, FIXTURE_POOL } from './fixture-plan.js';
import { runCli, runCliProcess } from './run.js';

before(() => process.chdir(ROOT));

const expected = (name: string) => readFileSync(fixture('expected', name), 'utf8');

/** An operator's one config file: what payout plan needs, and keys of other commands. */
function operatorConfig(journal: string, extra: Record<string, unknown> = {}): string {
  const path = join(tempDir(), 'minapay.json');
  const config = {
    pool: [FIXTURE_POOL],
    journal,
    commission: '0.05',
    // The operator's ledger archive: a ledger file given on the command line wins over it.
    archive: join(journal, 'ledgers'),
    'key-file': '/etc/minapay/sender.key',
    format: 'json',
    ...extra,
  };
  writeFileSync(path, JSON.stringify(config));
  return path;
}

describe('one config file for every command', () => {
  it('serves payout plan and ledger delegators alike: each takes the keys it has options for and leaves the others', async () => {
    const journal = tempDir();
    const config = operatorConfig(journal);
    const planned = await runCli(['payout', 'plan', '--config', config, '--ledger', FIXTURE_LEDGER, '--blocks', FIXTURE_BLOCKS, '--epoch', '18', '--quiet']);
    assert.equal(planned.code, 0, planned.stderr);
    // The config's format serves both: the plan's result as JSON too.
    assert.equal(JSON.parse(planned.stdout).plan, join(journal, 'mainnet', FIXTURE_POOL, 'epoch-18', 'plan.json'));
    const delegators = await runCli(['ledger', 'delegators', FIXTURE_LEDGER, '--config', config]);
    assert.equal(delegators.code, 0, delegators.stderr);
    assert.equal(delegators.stdout, expected('post-berkeley.delegators.json'));
  });

  it('is found through $MINAPAY_CONFIG, and else as ./minapay.json', async (t) => {
    const config = operatorConfig(tempDir());
    const fromEnv = await runCli(['ledger', 'delegators', FIXTURE_LEDGER], { env: { MINAPAY_CONFIG: config } });
    assert.equal(fromEnv.stdout, expected('post-berkeley.delegators.json'));
    const here = join(config, '..');
    const fromDirectory = await runCliProcess(t, ['ledger', 'delegators', join(ROOT, FIXTURE_LEDGER)], { cwd: here });
    assert.equal(fromDirectory.code, 0, fromDirectory.stderr);
    assert.equal(fromDirectory.stdout, expected('post-berkeley.delegators.json'));
  });

  it('refuses a key that is an option of no command, naming the file and the key (exit 64)', async () => {
    const config = operatorConfig(tempDir(), { comission: '0.05', minPayout: '1' });
    const result = await runCli(['ledger', 'delegators', FIXTURE_LEDGER, '--config', config]);
    assert.equal(result.code, 64);
    assert.match(result.stderr, /minapay\.json: "comission", "minPayout" are options of no minapay command \[CONFIG_INVALID\]\n$/);
    assert.equal(result.stdout, '');
  });
});

describe('help', () => {
  it('is what bare minapay and -h print, exit 0; the payout group names all its commands', async () => {
    const bare = await runCli([]);
    assert.equal(bare.code, 0);
    assert.equal((await runCli(['-h'])).stdout, bare.stdout);
    assert.match(
      bare.stdout.replace(/\s+/g, ' '),
      /minapay payout compute, check, sign, send and report an epoch's payouts: plan, verify, sign, send, status, report/,
    );
  });

  it('suggests the command a typo was meant to be', async () => {
    const typo = await runCli(['ledgr', 'stats']);
    assert.equal(typo.code, 64);
    assert.match(typo.stderr, /Did you mean ledger\?/);
  });

  it("lists a command's own options, then the era's, then the global ones, and ends with an example", async () => {
    const help = (await runCli(['payout', 'plan', '--help'])).stdout;
    const at = (text: string) => help.indexOf(text);
    assert.ok(at('Options:') > 0 && at('--commission') > at('Options:'), help);
    assert.ok(at('Era (') > at('--commission') && at('--era-start-slot') > at('Era ('), help);
    assert.ok(at('Global options:') > at('--era-start-slot') && at('--network') > at('Global options:'), help);
    assert.ok(at('Examples:') > at('--network'), help);
  });

  it('describes --format and --output in every command with a result, and only there', async () => {
    const commands = [
      ['ledger', 'stats'],
      ['ledger', 'delegators'],
      ['ledger', 'archive'],
      ['ledger', 'list'],
      ['ledger', 'verify'],
      ['unlock'],
      ['odds'],
      ['blocks'],
      ['slots'],
      ['payout', 'plan'],
      ['payout', 'verify'],
      ['payout', 'sign'],
      ['payout', 'send'],
      ['payout', 'status'],
      ['payout', 'report'],
      ['payout', 'statement'],
      ['statement', 'verify'],
    ];
    for (const command of commands) {
      const help = (await runCli([...command, '--help'])).stdout.replace(/\s+/g, ' ');
      assert.match(help, /--format (\w+: [^;[]+; )+\w+: [^[]+\[choices: .*"json"/, command.join(' '));
      assert.match(help, /--output write the result to FILE/, command.join(' '));
    }
    assert.doesNotMatch((await runCli(['payout', 'run', '--help'])).stdout, /--format|--output/);
  });
});
