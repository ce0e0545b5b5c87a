import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { MANIFEST_FILE } from '../../src/ledger-archive/manifest.js';
import { fixture, LEDGER_HASHES, REAL_LEDGER, ROOT, tempDir } from '../helpers.js';
import { StandInDaemon } from '../payout/stand-in-daemon.js';
import { killedWithTest, outputsEnded, within } from '../processes.js';
import { compiledCli } from './compiled.js';
import { runCli, type CliResult } from './run.js';

const [HASH_A, HASH_B, HASH_C] = LEDGER_HASHES;
const POOL = 'B62qrMi68WSSWpmb3Yfp7ztzAFx6gUyF26VAzPNgYEoYKRASRj2pqZK';
const PRE_BERKELEY_POOL = 'B62qrecVjpoZ4Re3a5arN6gXZ6orhmj1enUtA887XdG5mtZfdUbBUh4';
const REAL_POOL = 'B62qr61ij8ZPW5BX6GMs4UNW1Ry29Cjbn2Z2LVyLkGJH3JgXJwx2jiC';
const VECTOR_POOL = 'B62qiy32p8kAKnny8ZFwoMhYpBppM1DWVCqAPBYNcXnsAHhnfAAuXgg';
const FAKE_EXPORT = join(ROOT, 'test', 'ledger-archive', 'fake-mina-export.mjs');

// Plans record their input paths as given: run from the repository root.
before(() => process.chdir(ROOT));

const archive = (dir: string, ...args: string[]) => runCli(['ledger', 'archive', '--archive', dir, ...args]);
const networkDir = (dir: string) => join(dir, 'mainnet');
/** What a reader sees in the archive: hidden temp and lock files aside. */
const visible = (dir: string) =>
  existsSync(networkDir(dir))
    ? readdirSync(networkDir(dir))
        .filter((name) => !name.startsWith('.'))
        .sort()
    : [];

function assertRefused(result: CliResult, code: number, pattern: RegExp): void {
  assert.equal(result.code, code, result.stdout + result.stderr);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
  assert.match(result.stderr, pattern);
}

/** `ledger archive -` as its own process, fed by the test through stdin; killed when the test `t` ends. */
function archiveProcess(t: TestContext, dir: string) {
  const child = spawn(process.execPath, [...compiledCli(), 'ledger', 'archive', '-', '--archive', dir, '--epoch', '18', '--ledger-hash', HASH_C], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Writes still in flight when the test kills the process fail with EPIPE: expected.
  child.stdin.on('error', () => {});
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exit = killedWithTest(t, child);
  const exited = () =>
    within(
      'the archiving process to exit',
      30_000,
      Promise.all([exit, outputsEnded(child)]).then(([{ code }]) => ({ code, stderr })),
    );
  /** Waits for `condition`, failing after 20 s or as soon as the process has exited. */
  const whileRunning = async (condition: () => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + 20_000;
    while (!condition()) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`the archiving process exited (${child.exitCode ?? child.signalCode}) before ${what}: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after 20 s`);
      await sleep(20);
    }
  };
  return { child, exited, whileRunning };
}

/** Waits for `condition`, failing after 20 s. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after 20 s`);
    await sleep(20);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('minapay ledger archive', () => {
  it('archives a ledger with one line, and a second run is a no-op that says so', async () => {
    const dir = tempDir();
    const first = await archive(dir, 'fixtures/ledger/post-berkeley.json', '--epoch', '18', '--ledger-hash', HASH_A);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(
      first.stdout,
      `archived mainnet epoch 18 ledger ${HASH_A} (8 accounts, 252552.500000001 MINA staked) as ${join(networkDir(dir), `epoch-18-${HASH_A}.jsonl.gz`)}\n`,
    );
    assert.equal(first.stderr, '');
    const stored = readFileSync(join(networkDir(dir), `epoch-18-${HASH_A}.jsonl.gz`));
    const second = await archive(dir, 'fixtures/ledger/post-berkeley.jsonl.gz', '--epoch', '18', '--ledger-hash', HASH_A);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^already archived mainnet epoch 18 ledger jwtL47\S+ as \S+, same content; nothing to do\n$/);
    assert.deepEqual(readFileSync(join(networkDir(dir), `epoch-18-${HASH_A}.jsonl.gz`)), stored);
    assert.deepEqual(visible(dir), [`epoch-18-${HASH_A}.jsonl.gz`, MANIFEST_FILE]);
    // --quiet silences stderr only: the outcome is the command's result, on stdout as every command's is.
    const quiet = await archive(dir, 'fixtures/ledger/post-berkeley.json', '--epoch', '18', '--ledger-hash', HASH_A, '--quiet');
    assert.deepEqual([quiet.code, quiet.stdout, quiet.stderr], [0, second.stdout, '']);
  });

  it('refuses a truncated copy with exit 65 and leaves the good file as it was', async () => {
    const dir = tempDir();
    await archive(dir, 'fixtures/ledger/post-berkeley.json', '--epoch', '18', '--ledger-hash', HASH_A);
    const stored = readFileSync(join(networkDir(dir), `epoch-18-${HASH_A}.jsonl.gz`));
    const truncated = join(tempDir(), 'truncated.json');
    const text = readFileSync('fixtures/ledger/post-berkeley.json', 'utf8');
    writeFileSync(truncated, text.slice(0, text.length - 200));
    assertRefused(await archive(dir, truncated, '--epoch', '18', '--ledger-hash', HASH_A, '--quiet'), 65, /truncated\.json: .*truncated.*\[LEDGER_TRUNCATED\]/);
    assert.deepEqual(readFileSync(join(networkDir(dir), `epoch-18-${HASH_A}.jsonl.gz`)), stored);
    assert.deepEqual(readdirSync(networkDir(dir)).sort(), [`epoch-18-${HASH_A}.jsonl.gz`, MANIFEST_FILE]);
  });

  it('refuses other content under an archived epoch and hash with exit 79, keeping both', async () => {
    const dir = tempDir();
    await archive(dir, 'fixtures/ledger/post-berkeley.json', '--epoch', '18', '--ledger-hash', HASH_A);
    assertRefused(
      await archive(dir, 'fixtures/ledger/pre-berkeley.json', '--epoch', '18', '--ledger-hash', HASH_A),
      79,
      /other content.*kept this one as .*conflict-.*\[LEDGER_ARCHIVE_CONFLICT\]/,
    );
    assert.equal(visible(dir).length, 3);
    const list = await runCli(['ledger', 'list', '--archive', dir]);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /^ +18 +jwtL47\S+ +staking +8 .* archived +epoch-18-\S+\.jsonl\.gz$/m);
    assert.match(list.stdout, /^ +18 +jwtL47\S+ +staking +39 .* CONFLICT +epoch-18-\S+\.conflict-[0-9a-f]+\.jsonl\.gz$/m);
  });

  it('leaves no visible partial file when killed during a write, and the next run succeeds', async (t) => {
    const dir = tempDir();
    const { child, exited, whileRunning } = archiveProcess(t, dir);
    const ledger = readFileSync(REAL_LEDGER);
    child.stdin.write(ledger.subarray(0, ledger.length >> 1));
    // The temp file exists from the moment the run starts writing; stdin still open, it cannot finish.
    await whileRunning(() => existsSync(networkDir(dir)) && readdirSync(networkDir(dir)).some((name) => name.endsWith('.tmp')), 'the temp file');
    await sleep(100);
    child.kill('SIGKILL');
    assert.equal((await exited()).code, null);
    assert.deepEqual(visible(dir), []);
    const next = await archive(dir, REAL_LEDGER, '--epoch', '18', '--ledger-hash', HASH_C);
    assert.equal(next.code, 0, next.stderr);
    assert.match(next.stdout, /^archived mainnet epoch 18 .*\(2989 accounts/);
    assert.deepEqual(readdirSync(networkDir(dir)).sort(), [`epoch-18-${HASH_C}.jsonl.gz`, MANIFEST_FILE], 'the killed run’s temp file is swept up');
  });

  it('lets one of two runs at once archive; the other exits 75 at once', async (t) => {
    const dir = tempDir();
    const { child, exited, whileRunning } = archiveProcess(t, dir);
    const ledger = readFileSync(REAL_LEDGER);
    child.stdin.write(ledger.subarray(0, 1000));
    await whileRunning(() => existsSync(join(networkDir(dir), '.archive.lock')), 'the lock');
    assertRefused(await archive(dir, REAL_LEDGER, '--epoch', '18', '--ledger-hash', HASH_C), 75, /already running \(pid \d+\).*\[LOCKED\]/);
    child.stdin.end(ledger.subarray(1000));
    const first = await exited();
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(visible(dir), [`epoch-18-${HASH_C}.jsonl.gz`, MANIFEST_FILE]);
  });

  it('refuses bad usage with exit 64 before reading anything', async () => {
    const dir = tempDir();
    const cases: [string[], RegExp][] = [
      [['fixtures/ledger/post-berkeley.json'], /--epoch E --ledger-hash H, or --graphql/],
      [['fixtures/ledger/post-berkeley.json', '--epoch', '18', '--ledger-hash', 'jnope'], /--ledger-hash jnope is not a ledger hash/],
      [['fixtures/ledger/post-berkeley.json', '--epoch', '18', '--ledger-hash', HASH_A, '--export'], /a ledger file or --export, not both/],
      [['--epoch', '18', '--ledger-hash', HASH_A], /give the exported ledger file, - for stdin, or --export/],
    ];
    for (const [args, pattern] of cases) assertRefused(await archive(dir, ...args), 64, pattern);
    assert.equal(existsSync(networkDir(dir)), false);
  });
});

describe('minapay ledger archive --export and --graphql', () => {
  let daemon: StandInDaemon;
  before(async () => {
    daemon = await new StandInDaemon({ network: 'mainnet', accounts: {} }).start();
  });
  after(() => daemon.stop());
  const exportCommand = (...flags: string[]) =>
    [process.execPath, FAKE_EXPORT, '--staking', fixture('ledger', 'post-berkeley.json'), '--next', fixture('ledger', 'pre-berkeley.json'), ...flags].join(' ');
  const onChain = (changes: Partial<StandInDaemon['chain']> = {}) => {
    daemon.chain = { syncStatus: 'SYNCED', epoch: 41, stakingLedgerHash: HASH_A, nextLedgerHash: HASH_B, ...changes };
    daemon.chainHook = undefined;
  };

  it("runs the export and names the ledger after the daemon's best tip: the next-epoch ledger as the next epoch", async () => {
    const dir = tempDir();
    onChain();
    const staking = await archive(dir, '--export', '--export-command', exportCommand(), '--graphql', daemon.url);
    assert.equal(staking.code, 0, staking.stderr);
    assert.match(staking.stdout, new RegExp(`^archived mainnet epoch 41 ledger ${HASH_A} \\(8 accounts`));
    const next = await archive(dir, '--export', '--export-command', exportCommand(), '--graphql', daemon.url, '--kind', 'next');
    assert.equal(next.code, 0, next.stderr);
    assert.match(next.stdout, new RegExp(`^archived mainnet epoch 42 ledger ${HASH_B} \\(39 accounts`));
    // A day later the next-epoch ledger is the staking ledger: the same epoch, hash and content.
    onChain({ epoch: 42, stakingLedgerHash: HASH_B, nextLedgerHash: HASH_C });
    const later = await archive(
      dir,
      '--export',
      '--export-command',
      exportCommand('--staking', fixture('ledger', 'pre-berkeley.json')),
      '--graphql',
      daemon.url,
    );
    assert.equal(later.code, 0, later.stderr);
    assert.match(later.stdout, /^already archived mainnet epoch 42 /);
    const list = JSON.parse((await runCli(['ledger', 'list', '--archive', dir, '--format', 'json'])).stdout) as {
      ledgers: { epoch: number; kind: string; source: string }[];
    };
    assert.deepEqual(
      list.ledgers.map((entry) => [entry.epoch, entry.kind]),
      [
        [41, 'staking'],
        [42, 'next'],
      ],
    );
    assert.match(list.ledgers[0]!.source, /^export: .*fake-mina-export\.mjs .* staking-epoch-ledger$/);
  });

  it('reports a failed or cut-off export as the export’s failure (exit 69) and archives nothing', async () => {
    const dir = tempDir();
    onChain();
    assertRefused(
      await archive(dir, '--export', '--export-command', exportCommand('--fail'), '--graphql', daemon.url),
      69,
      /exited with 1: Error: daemon not running.*nothing was archived \[LEDGER_EXPORT_FAILED\]/,
    );
    assertRefused(
      await archive(dir, '--export', '--export-command', exportCommand('--half'), '--graphql', daemon.url),
      69,
      /exited with 1: Error: lost connection to the daemon.*\[LEDGER_EXPORT_FAILED\]/,
    );
    assertRefused(
      await archive(dir, '--export', '--export-command', '/nonexistent/mina ledger export', '--epoch', '3', '--ledger-hash', HASH_A),
      69,
      /cannot run \/nonexistent\/mina \(ENOENT\)/,
    );
    assert.deepEqual(visible(dir), []);
  });

  it('kills an export that prints part of the ledger and hangs, after --export-timeout: exit 69, nothing archived, the lock released', async (t) => {
    const dir = tempDir();
    const pidFile = join(tempDir(), 'export.pid');
    // The hung export gives up by itself after a minute; if this test fails first, it is killed now.
    t.after(() => {
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0;
      if (pid > 0 && isRunning(pid)) process.kill(pid, 'SIGKILL');
    });
    const hung = await archive(
      dir,
      '--export',
      '--export-command',
      exportCommand('--hang', pidFile),
      // The subject is a timeout of the clock; 5 s leaves a loaded machine time to start the export's node process and write its pid.
      '--export-timeout',
      '5',
      '--epoch',
      '41',
      '--ledger-hash',
      HASH_A,
    );
    assertRefused(
      hung,
      69,
      /fake-mina-export\.mjs .* did not finish within 5 s \(--export-timeout\); killed it, nothing was archived \[LEDGER_EXPORT_FAILED\]/,
    );
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await until(() => !isRunning(pid), 'the export command to be gone');
    assert.deepEqual(readdirSync(networkDir(dir)), [], 'nothing archived, no temp file, no lock left');
    const next = await archive(dir, '--export', '--export-command', exportCommand(), '--epoch', '41', '--ledger-hash', HASH_A);
    assert.equal(next.code, 0, next.stderr);
    assertRefused(await archive(dir, '--export', '--export-timeout', '0', '--epoch', '41', '--ledger-hash', HASH_A), 64, /--export-timeout must be from 1/);
  });

  it('exits 75 while the daemon is not synced, or when the epoch turns during the export, archiving nothing', async () => {
    const dir = tempDir();
    onChain({ syncStatus: 'CATCHUP' });
    assertRefused(
      await archive(dir, '--export', '--export-command', exportCommand(), '--graphql', daemon.url),
      75,
      /CATCHUP, not SYNCED.*\[DAEMON_NOT_SYNCED\]/,
    );
    onChain();
    daemon.chainHook = () => onChain({ epoch: 42, stakingLedgerHash: HASH_B, nextLedgerHash: HASH_C });
    assertRefused(
      await archive(dir, '--export', '--export-command', exportCommand(), '--graphql', daemon.url),
      75,
      /changed from epoch 41 .* to epoch 42 .*nothing was archived.*\[EPOCH_CHANGED\]/,
    );
    assert.deepEqual(visible(dir), []);
  });
});

describe('minapay ledger archive --keep', () => {
  it('removes all but the newest epochs, never the only copy of a ledger a payout plan used', async () => {
    const dir = tempDir();
    const journal = tempDir();
    const ledger = join(tempDir(), 'post-berkeley.json');
    writeFileSync(ledger, readFileSync('fixtures/ledger/post-berkeley.json'));
    for (const epoch of ['15', '16', '17', '18']) assert.equal((await archive(dir, ledger, '--epoch', epoch, '--ledger-hash', HASH_A, '--quiet')).code, 0);
    const noBlocks = join(tempDir(), 'none.json');
    writeFileSync(noBlocks, '[]');
    const plan = (epoch: string, ...source: string[]) =>
      runCli([
        'payout',
        'plan',
        ...source,
        '--blocks',
        noBlocks,
        '--pool',
        POOL,
        '--era',
        'berkeley',
        '--epoch',
        epoch,
        '--commission',
        '0.05',
        '--journal',
        journal,
        '--quiet',
      ]);
    // Epoch 16 was planned from the archive: its archived copy is the only one. Epochs 15 and 17 from a file that is still there.
    assert.equal((await plan('15', '--ledger', ledger)).code, 0);
    assert.equal((await plan('16', '--archive', dir)).code, 0);
    assert.equal((await plan('17', '--ledger', ledger)).code, 0);
    const kept = await archive(dir, ledger, '--epoch', '19', '--ledger-hash', HASH_A, '--keep', '2', '--journal', journal);
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(kept.stdout, /^archived mainnet epoch 19 .*; removed epochs 15, 17; kept epoch 16: only copy of a payout plan's ledger\n$/);
    assert.deepEqual(visible(dir), [`epoch-16-${HASH_A}.jsonl.gz`, `epoch-18-${HASH_A}.jsonl.gz`, `epoch-19-${HASH_A}.jsonl.gz`, MANIFEST_FILE]);
    // Epoch 19 is planned from the file, which is then deleted: the archive now holds the only copy.
    assert.equal((await plan('19', '--ledger', ledger)).code, 0);
    rmSync(ledger);
    const again = await archive(dir, 'fixtures/ledger/post-berkeley.json', '--epoch', '20', '--ledger-hash', HASH_A, '--keep', '1', '--journal', journal);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /; removed epoch 18; kept epochs 16, 19: /);
  });
});

describe('minapay ledger list and verify', () => {
  it('lists the archive; verify exits 81 naming each file that does not match, 66 for a directory never archived to', async () => {
    const dir = tempDir();
    await archive(dir, 'fixtures/ledger/post-berkeley.json', '--epoch', '17', '--ledger-hash', HASH_A);
    await archive(dir, 'fixtures/ledger/post-berkeley.json', '--epoch', '18', '--ledger-hash', HASH_A);
    const good = await runCli(['ledger', 'verify', '--archive', dir]);
    assert.deepEqual([good.code, good.stdout], [0, '2 archived mainnet files match the manifest\n']);
    writeFileSync(join(networkDir(dir), `epoch-17-${HASH_A}.jsonl.gz`), 'tampered');
    const bad = await runCli(['ledger', 'verify', '--archive', dir]);
    assert.equal(bad.code, 81);
    assert.equal(bad.stdout, `epoch-17-${HASH_A}.jsonl.gz: does not match the sha256 in the manifest\n`);
    assert.match(bad.stderr, /1 of 2 archived mainnet files do not match the manifest \[LEDGER_ARCHIVE_MISMATCH\]/);
    const table = await runCli(['ledger', 'list', '--archive', dir]);
    assert.match(table.stdout, /^epoch +ledger hash +kind +accounts +stake \(MINA\) +archived at +state +file\n +17 /);
    assertRefused(await runCli(['ledger', 'verify', '--archive', join(dir, 'nowhere')]), 66, /no mainnet ledger archive here/);
    assertRefused(await runCli(['ledger', 'list', '--archive', dir, '--network', 'devnet']), 66, /devnet: no devnet ledger archive here/);
  });
});

describe('reading an archived ledger: --archive DIR --epoch E', () => {
  /** Output of a command (with --epoch E) on the original and on the archived copy. */
  const both = async (dir: string, file: string, args: string[]) => {
    const direct = await runCli([...args, file]);
    const archived = await runCli([...args, '--archive', dir]);
    assert.equal(direct.code, 0, direct.stderr);
    assert.equal(archived.code, 0, archived.stderr);
    return [archived.stdout, direct.stdout];
  };

  const FORMATS: [string, string][] = [
    ['post-berkeley.json', POOL],
    ['post-berkeley.jsonl', POOL],
    ['post-berkeley.jsonl.gz', POOL],
    ['genesis-wrapped.json', POOL],
    ['docker-preamble.json', POOL],
    ['pre-berkeley.json', PRE_BERKELEY_POOL],
    ['pre-berkeley-gzipped.json', PRE_BERKELEY_POOL],
    ['reference-vector.json', VECTOR_POOL],
  ];

  it('gives the same stats, delegators, odds and unlocks as the original, for every fixture format and the real ledger', async () => {
    for (const [name, pool] of [...FORMATS, [REAL_LEDGER, REAL_POOL] as [string, string]]) {
      const dir = tempDir();
      const file = name === REAL_LEDGER ? name : fixture('ledger', name);
      const stored = await archive(dir, file, '--epoch', '18', '--ledger-hash', HASH_A, '--quiet');
      assert.equal(stored.code, 0, stored.stderr);
      const [statsArchived, stats] = await both(dir, file, ['ledger', 'stats', '--epoch', '18', '--format', 'json', '--top', '5']);
      assert.equal(statsArchived, stats, `${name}: stats`);
      const [delegatorsArchived, delegators] = await both(dir, file, ['ledger', 'delegators', '--epoch', '18', '--pool', pool, '--format', 'json']);
      assert.equal(delegatorsArchived, delegators, `${name}: delegators`);
      const [oddsArchived, odds] = await both(dir, file, ['odds', '--epoch', '18', '--pool', pool, '--era', 'berkeley', '--format', 'json']);
      assert.equal(oddsArchived, odds, `${name}: odds`);
      const [unlockArchived, unlock] = await both(dir, file, ['unlock', '--epoch', '18', '--era', 'berkeley', '--format', 'json']);
      assert.equal(unlockArchived, unlock, `${name}: unlock`);
    }
  });

  /** A plan document without what names its ledger file. */
  const planBody = (path: string) => {
    const { planHash: _hash, inputs, ...rest } = JSON.parse(readFileSync(path, 'utf8')) as { planHash: string; inputs: { ledger: Record<string, unknown> } };
    const { path: _path, sha256: _sha256, ...ledger } = inputs.ledger;
    return { ...rest, inputs: { ...inputs, ledger } };
  };

  it('gives the same payout plan and report, and the plan verifies against the archived ledger', async () => {
    const cases: [string, string, string[]][] = [
      ...['post-berkeley.json', 'post-berkeley.jsonl', 'post-berkeley.jsonl.gz', 'genesis-wrapped.json', 'docker-preamble.json'].map(
        (name): [string, string, string[]] => [
          fixture('ledger', name),
          'fixtures/blocks/post-berkeley.blocks.json',
          ['--pool', POOL, '--era', 'berkeley', '--epoch', '18', '--commission', '0.05'],
        ],
      ),
      [
        fixture('ledger', 'reference-vector.json'),
        'fixtures/blocks/reference-vector.blocks.json',
        // The block pays a 42-nanomina coinbase (the signing vector's amount): an era of its own.
        ['--pool', VECTOR_POOL, '--era', 'berkeley', '--coinbase', '0.000000042', '--epoch', '18', '--commission', '0', '--tx-fee', '0.001'],
      ],
      [REAL_LEDGER, 'fixtures/blocks/pre-berkeley-supercharged.blocks.json', ['--pool', REAL_POOL, '--era', '2021', '--epoch', '12', '--commission', '0.1']],
    ];
    for (const [file, blocks, terms] of cases) {
      const dir = tempDir();
      const epoch = terms[terms.indexOf('--epoch') + 1]!;
      assert.equal((await archive(dir, file, '--epoch', epoch, '--ledger-hash', HASH_A, '--quiet')).code, 0);
      const direct = await runCli(['payout', 'plan', '--ledger', file, '--blocks', blocks, ...terms, '--journal', tempDir(), '--quiet']);
      const archived = await runCli(['payout', 'plan', '--archive', dir, '--blocks', blocks, ...terms, '--journal', tempDir(), '--quiet']);
      assert.equal(direct.code, 0, direct.stderr);
      assert.equal(archived.code, 0, archived.stderr);
      const [directPlan, archivedPlan] = [direct.stdout.trim(), archived.stdout.trim()];
      assert.deepEqual(planBody(archivedPlan), planBody(directPlan), file);
      assert.equal(readFileSync(join(archivedPlan, '..', 'report.csv'), 'utf8'), readFileSync(join(directPlan, '..', 'report.csv'), 'utf8'), file);
      const verified = await runCli(['payout', 'verify', archivedPlan, '--archive', dir, '--blocks', blocks]);
      assert.equal(verified.code, 0, verified.stderr);
    }
  });
});
