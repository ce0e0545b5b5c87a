import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { fixture, ROOT, tempDir } from '../helpers.js';
import { compiledCli } from './compiled.js';
import { runCli, spawnCli } from './run.js';

const POOL = 'B62qrMi68WSSWpmb3Yfp7ztzAFx6gUyF26VAzPNgYEoYKRASRj2pqZK';
const PRE_BERKELEY_POOL = 'B62qrecVjpoZ4Re3a5arN6gXZ6orhmj1enUtA887XdG5mtZfdUbBUh4';
const expected = (name: string): string => readFileSync(fixture('expected', name), 'utf8');

describe('minapay ledger delegators', () => {
  for (const format of ['json', 'csv', 'jsonl', 'table']) {
    it(`writes the checked-in ${format} for the post-Berkeley fixture`, async () => {
      const result = await runCli(['ledger', 'delegators', fixture('ledger', 'post-berkeley.json'), '--pool', POOL, '--format', format]);
      assert.equal(result.stderr, '');
      assert.equal(result.code, 0);
      assert.equal(result.stdout, expected(`post-berkeley.delegators.${format}`));
    });
  }

  it('gives the same JSON from every format of the same ledger', async () => {
    for (const name of ['post-berkeley.jsonl', 'post-berkeley.jsonl.gz', 'genesis-wrapped.json', 'docker-preamble.json']) {
      const result = await runCli(['ledger', 'delegators', fixture('ledger', name), '--pool', POOL, '--format', 'json', '--quiet']);
      assert.equal(result.code, 0, name);
      assert.equal(result.stdout, expected('post-berkeley.delegators.json'), name);
    }
  });

  it('writes the checked-in outputs for the pre-Berkeley cut of the real ledger, gzipped or not', async () => {
    for (const name of ['pre-berkeley.json', 'pre-berkeley-gzipped.json']) {
      const json = await runCli(['ledger', 'delegators', fixture('ledger', name), '--pool', PRE_BERKELEY_POOL, '--format', 'json']);
      assert.equal(json.stdout, expected('pre-berkeley.delegators.json'));
      const csv = await runCli(['ledger', 'delegators', fixture('ledger', name), '--pool', PRE_BERKELEY_POOL, '--format', 'csv']);
      assert.equal(csv.stdout, expected('pre-berkeley.delegators.csv'));
    }
  });

  it('writes --output with no temp file left beside it, and nothing to stdout', async () => {
    const dir = tempDir();
    const out = join(dir, 'delegators.csv');
    const result = await runCli(['ledger', 'delegators', fixture('ledger', 'post-berkeley.json'), '--pool', POOL, '--format', 'csv', '--output', out]);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, '');
    assert.equal(readFileSync(out, 'utf8'), expected('post-berkeley.delegators.csv'));
    assert.deepEqual(readdirSync(dir), ['delegators.csv']);
  });

  it('takes options from --config, with the command line winning', async () => {
    const dir = tempDir();
    const config = join(dir, 'minapay.json');
    writeFileSync(config, JSON.stringify({ pool: [POOL], format: 'csv' }));
    const fromConfig = await runCli(['ledger', 'delegators', fixture('ledger', 'post-berkeley.json'), '--config', config]);
    assert.equal(fromConfig.stdout, expected('post-berkeley.delegators.csv'));
    const overridden = await runCli(['ledger', 'delegators', fixture('ledger', 'post-berkeley.json'), '--config', config, '--format', 'json']);
    assert.equal(overridden.stdout, expected('post-berkeley.delegators.json'));
  });

  it('refuses a --config file that is missing, not JSON or not an object: CONFIG_INVALID, exit 64, naming the file', async () => {
    const dir = tempDir();
    const notJson = join(dir, 'not-json.json');
    writeFileSync(notJson, '{ "pool": ');
    const array = join(dir, 'array.json');
    writeFileSync(array, '[1]');
    for (const [config, message] of [
      [join(dir, 'absent.json'), /absent\.json: cannot read config file \(ENOENT\)/],
      [notJson, /not-json\.json: config is not valid JSON/],
      [array, /array\.json: config must be a JSON object/],
    ] as const) {
      const result = await runCli(['ledger', 'delegators', fixture('ledger', 'post-berkeley.json'), '--pool', POOL, '--config', config]);
      assert.equal(result.code, 64, config);
      assert.match(result.stderr, new RegExp(`^minapay: .*${message.source}.*\\[CONFIG_INVALID\\]\\n$`));
      assert.equal(result.stdout, '');
    }
  });

  it('warns about a docker preamble on stderr unless --quiet', async () => {
    const args = ['ledger', 'delegators', fixture('ledger', 'docker-preamble.json'), '--pool', POOL, '--format', 'json'];
    assert.match((await runCli(args)).stderr, /^minapay: warning: .*skipped non-JSON line 1: Using password/);
    assert.equal((await runCli([...args, '--quiet'])).stderr, '');
  });

  it('shows progress on a TTY stderr only, never on stdout', async () => {
    const args = ['ledger', 'delegators', fixture('ledger', 'pre-berkeley.json'), '--pool', PRE_BERKELEY_POOL, '--format', 'json'];
    const atTerminal = await runCli(args, { tty: true });
    assert.match(atTerminal.stderr, /reading ledger: [\d.]+ MB, [\d,]+ accounts/);
    assert.equal(atTerminal.stdout, expected('pre-berkeley.delegators.json'));
    assert.equal((await runCli(args, { tty: false })).stderr, '');
    assert.equal((await runCli([...args, '--quiet'], { tty: true })).stderr, '');
  });

  it('refuses a pool key with a bad checksum as a usage error', async () => {
    const result = await runCli(['ledger', 'delegators', fixture('ledger', 'post-berkeley.json'), '--pool', `${POOL.slice(0, -1)}L`]);
    assert.equal(result.code, 64);
    assert.match(result.stderr, /^minapay: --pool B62qrMi6.* has a bad base58check checksum \[INVALID_PUBLIC_KEY\]\n$/);
  });
});

describe('minapay ledger stats', () => {
  it('writes the checked-in JSON for both fixtures', async () => {
    const post = await runCli(['ledger', 'stats', fixture('ledger', 'post-berkeley.json'), '--format', 'json']);
    assert.equal(post.stdout, expected('post-berkeley.stats.json'));
    const pre = await runCli(['ledger', 'stats', fixture('ledger', 'pre-berkeley.json'), '--format', 'json', '--top', '5']);
    assert.equal(pre.stdout, expected('pre-berkeley.stats.json'));
  });

  it('prints a table by default', async () => {
    const result = await runCli(['ledger', 'stats', fixture('ledger', 'post-berkeley.json')]);
    assert.match(result.stdout, /^accounts\s+8\n/);
    assert.match(result.stdout, /total stake \(MINA\)\s+252552\.500000001\n/);
  });
});

describe('bad input: error code, exit code, and no output file', () => {
  const dir = tempDir();
  const text = readFileSync(fixture('ledger', 'post-berkeley.json'), 'utf8');
  const accounts = JSON.parse(text) as Record<string, unknown>[];
  const cases: { name: string; content: string; code: string; exit: number; message: RegExp }[] = [
    {
      name: 'decimals',
      content: text.replace('"balance": "42"', '"balance": "4.2222222222"'),
      code: 'LEDGER_BAD_AMOUNT',
      exit: 65,
      message: /account #4 \(B62qj1zaX\w+\) has balance that has more than 9 decimals/,
    },
    {
      name: 'negative',
      content: text.replace('"balance": "42"', '"balance": "-42"'),
      code: 'LEDGER_BAD_AMOUNT',
      exit: 65,
      message: /account #4 .* is negative/,
    },
    {
      name: 'overflow',
      content: text.replace('"balance": "42"', '"balance": "18446744073.709551616"'),
      code: 'LEDGER_BAD_AMOUNT',
      exit: 65,
      message: /exceeds 2\^64-1/,
    },
    {
      name: 'bad-pk',
      content: text.replace('B62qj1zaXZxuRGzYfuq2KBSWvoei73uGZw4yqzRNTW6xiff5TGy6VJe', 'B62qj1zaXZxuRGzYfuq2KBSWvoei73uGZw4yqzRNTW6xiff5TGy6V0e'),
      code: 'LEDGER_BAD_PUBLIC_KEY',
      exit: 65,
      message: /account #4 \(B62qj1zaX\w*V0e\) has pk/,
    },
    {
      name: 'bad-checksum-delegator',
      content: text.replace('B62qpR8BVdV86jgnzCzHebvAcSVnKb4yWigJBrUWmdDUZy1qsHtHUrG', 'B62qpR8BVdV86jgnzCzHebvAcSVnKb4yWigJBrUWmdDUZy1qsHtHUrH'),
      code: 'LEDGER_BAD_PUBLIC_KEY',
      exit: 65,
      message: /account #2 \(B62qpR8B\w+\) has a bad base58check checksum/,
    },
    {
      name: 'duplicate',
      content: JSON.stringify([...accounts, accounts[2]]),
      code: 'LEDGER_DUPLICATE_ACCOUNT',
      exit: 65,
      message: /account #8 \(B62qpR8B\w+\) appears twice/,
    },
    { name: 'truncated', content: text.slice(0, 3000), code: 'LEDGER_TRUNCATED', exit: 65, message: /truncated/ },
    {
      name: 'invalid-json',
      content: text.replace('"balance": "10"', '"balance": "10" "x"'),
      code: 'LEDGER_INVALID_JSON',
      exit: 65,
      message: /invalid JSON at line \d+, column \d+/,
    },
    { name: 'top-level-string', content: '"ledger"', code: 'LEDGER_NOT_A_LEDGER', exit: 65, message: /does not contain a JSON array or object/ },
    { name: 'top-level-object', content: '{\n  "name": "mainnet"\n}\n', code: 'LEDGER_NOT_A_LEDGER', exit: 65, message: /without a "ledger\.accounts" array/ },
  ];
  for (const bad of cases) {
    it(`${bad.name}: ${bad.code}, exit ${bad.exit}`, async () => {
      const input = join(dir, `${bad.name}.json`);
      const output = join(dir, `${bad.name}.out.csv`);
      writeFileSync(input, bad.content);
      const result = await runCli(['ledger', 'delegators', input, '--pool', POOL, '--format', 'csv', '--output', output]);
      assert.equal(result.code, bad.exit);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, new RegExp(`^minapay: ${input.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .*\\[${bad.code}\\]\\n$`));
      assert.match(result.stderr, bad.message);
      assert.equal(existsSync(output), false);
      assert.deepEqual(
        readdirSync(dir).filter((name) => name.includes('.out.') || name.endsWith('.tmp')),
        [],
      );
    });
  }

  it("MINA beyond the protocol's total currency: LEDGER_TOO_MUCH_CURRENCY, exit 65, from every command that sums it", async () => {
    const ledger = fixture('ledger', 'too-much-currency.json');
    for (const args of [
      ['ledger', 'delegators', ledger, '--pool', POOL],
      ['ledger', 'stats', ledger],
      ['odds', ledger, '--pool', POOL],
      ['odds', ledger, '--all'],
    ]) {
      const result = await runCli(args);
      assert.equal(result.code, 65, args.join(' '));
      assert.equal(result.stdout, '');
      assert.match(
        result.stderr,
        /^minapay: \S+too-much-currency\.json: its MINA-token balances add up to 20000001552500000001 nanomina, .*\[LEDGER_TOO_MUCH_CURRENCY\]\n$/,
      );
    }
  });

  it('missing ledger: INPUT_NOT_FOUND, exit 66', async () => {
    const result = await runCli(['ledger', 'stats', join(dir, 'absent.json')]);
    assert.equal(result.code, 66);
    assert.match(result.stderr, /absent\.json: cannot open ledger \(ENOENT\) \[INPUT_NOT_FOUND\]/);
  });

  it('output directory missing: OUTPUT_CANNOT_CREATE, exit 73', async () => {
    const result = await runCli(['ledger', 'stats', fixture('ledger', 'post-berkeley.json'), '--output', join(dir, 'no', 'such', 'dir.json')]);
    assert.equal(result.code, 73);
    assert.match(result.stderr, /\[OUTPUT_CANNOT_CREATE\]/);
  });
});

describe('the minapay process', () => {
  it('reads a ledger from stdin with -', () => {
    const result = spawnCli(['ledger', 'delegators', '-', '--pool', POOL, '--format', 'json'], readFileSync(fixture('ledger', 'post-berkeley.jsonl.gz')));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, expected('post-berkeley.delegators.json'));
  });

  it('exits with the mapped code: 64 for an unknown command, 65 for bad data', () => {
    const unknown = spawnCli(['ledger', 'frobnicate', 'x']);
    assert.equal(unknown.code, 64);
    assert.match(unknown.stderr, /\[USAGE\]/);
    const bad = spawnCli(['ledger', 'stats', '-'], Buffer.from('[{"pk": "B62qnope", "balance": "1"}]'));
    assert.equal(bad.code, 65);
    assert.match(bad.stderr, /^minapay: <stdin>: account #0 \(B62qnope\) has pk "B62qnope", not a B62 public key \[LEDGER_BAD_PUBLIC_KEY\]\n$/);
  });

  it('runs to its end, quietly, when the reader of its output goes away (| head)', () => {
    // `true` leaves at once without reading: the CLI's writes meet a closed pipe (EPIPE), which once killed it with a stack trace.
    const env = { ...process.env, NODE: process.execPath, CLI: compiledCli()[0], LEDGER: fixture('ledger', 'post-berkeley.json'), POOL };
    const script = 'set -o pipefail; "$NODE" "$CLI" ledger delegators "$LEDGER" --pool "$POOL" --format jsonl | true';
    const result = spawnSync('bash', ['-c', script], { cwd: ROOT, env, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '');
  });
});
