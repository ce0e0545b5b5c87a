import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';

import { parsePlanDocument } from '../../src/payout/plan-file.js';
import { offCurvePublicKey, ROOT, tempDir } from '../helpers.js';
import { FIXTURE_BLOCKS, FIXTURE_LEDGER, FIXTURE_POOL, fixturePlanArgs, journalEpochDir } from './fixture-plan.js';
import { runCli, runCliProcess } from './run.js';

const POOL = FIXTURE_POOL;
const A = 'B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1';
const B = 'B62qpR8BVdV86jgnzCzHebvAcSVnKb4yWigJBrUWmdDUZy1qsHtHUrG';
const C = 'B62qnx5hKBFHZFUFjpEXzh2du8wRegCHrp3kL17gY7qxMBFQcBycJM5';
/** A well-formed key that nobody in the fixture ledger delegates to. */
const IDLE_KEY = 'B62qrzgDHmFmnuq6HSLBd7kERXepvfKcoBqTRS4JcBCMETcdFk4rwG9';

// Plans record their input paths as given: run from the repository root with relative paths.
before(() => process.chdir(ROOT));

const LEDGER = FIXTURE_LEDGER;
const BLOCKS = FIXTURE_BLOCKS;
const planArgs = fixturePlanArgs;
const epochDir = journalEpochDir;
const readJson = (path: string) =>
  JSON.parse(readFileSync(path, 'utf8')) as {
    lines: Record<string, string>[];
    totals: Record<string, string>;
    planHash: string;
    inputs: { carriedFrom: { epoch: number } | null };
  };
const lineOf = (plan: { lines: Record<string, string>[] }, pk: string) => plan.lines.find((line) => line.pk === pk)!;

describe('minapay payout plan', () => {
  it('writes the checked-in plan and report for the fixtures, byte for byte, with a summary on stderr', async () => {
    const journal = tempDir();
    const result = await runCli(planArgs(journal));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${join(epochDir(journal), 'plan.json')}\n`);
    assert.equal(readFileSync(join(epochDir(journal), 'plan.json'), 'utf8'), readFileSync('fixtures/expected/post-berkeley.epoch-18.plan.json', 'utf8'));
    assert.equal(readFileSync(join(epochDir(journal), 'report.csv'), 'utf8'), readFileSync('fixtures/expected/post-berkeley.epoch-18.report.csv', 'utf8'));
    // 1441.515 MINA over 252,500.500000001 staked: A (1,500.5) and C (250,000) at 95%, worked out by hand with exact fractions.
    const plan = readJson(join(epochDir(journal), 'plan.json'));
    assert.deepEqual([lineOf(plan, A).gross, lineOf(plan, A).amount, lineOf(plan, A).commission], ['8566292967', '8137978319', '428314648']);
    assert.deepEqual([lineOf(plan, C).gross, lineOf(plan, C).amount, lineOf(plan, C).commission], ['1427239748040', '1355877760638', '71361987402']);
    assert.equal(lineOf(plan, POOL).kind, 'self');
    assert.match(result.stderr, /rewards\s+1441\.515000000\n/);
    assert.match(result.stderr, /delegators paid\s+2\n/);
    // The remainder told apart: the pool's own 1,000 MINA of 252,500.5 staked, and one nanomina of rounding.
    assert.match(result.stderr, /pool's own stake share\s+5\.708958992\nrounding\s+0\.000000001\n/);
    assert.match(result.stderr, /\nwritten: \S+\/epoch-18\/plan\.json and \S+\/epoch-18\/report\.csv\n$/);
  });

  it('pays the supercharge of the 2021 era only to accounts unlocked at each block, on the real mainnet ledger', async () => {
    const journal = tempDir();
    const pool = 'B62qr61ij8ZPW5BX6GMs4UNW1Ry29Cjbn2Z2LVyLkGJH3JgXJwx2jiC';
    const result = await runCli([
      'payout',
      'plan',
      '--ledger',
      'fixtures/ledger/mainnet-2021-staking-ledger-jwJXdYz.json.gz',
      '--blocks',
      'fixtures/blocks/pre-berkeley-supercharged.blocks.json',
      '--pool',
      pool,
      '--era',
      '2021',
      '--epoch',
      '12',
      '--commission',
      '0.1',
      '--journal',
      journal,
      '--quiet',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const plan = readJson(join(epochDir(journal, 12, pool), 'plan.json'));
    // Stake: K 4,697.9 (all locked until its cliff at slot 86400), the pool's own 66,000.593 (locked), T 0.09 (untimed); 70,698.583 in all.
    // Shared by all: 720 + (1,441.5 - 720) + 720 = 2,161.5. The extra 720 of the block at slot 86000 goes to T alone;
    // that of the block at 87000 to K and T (4,697.99). K: 2161.5 x 4697.9/70698.583 + 720 x 4697.9/4697.99.
    const K = 'B62qkYyCBSWdRQPkC1C3KdhNxvoVDxK3sUjVBMkV3GZ13daCPszYxJ3';
    const T = 'B62qrTWJaYnVq6bgvSqVFfz9hisLq7BssLGDQhwxSb618nqAuDgVQav';
    assert.deepEqual([lineOf(plan, K).gross, lineOf(plan, K).amount, lineOf(plan, K).commission], ['863617244705', '777255520235', '86361724470']);
    assert.deepEqual([lineOf(plan, T).gross, lineOf(plan, T).amount, lineOf(plan, T).commission], ['720016544743', '648014890269', '72001654474']);
    assert.deepEqual([lineOf(plan, pool).kind, lineOf(plan, pool).gross, lineOf(plan, pool).amount], ['self', '2017866210550', '0']);
    assert.deepEqual([plan.totals.rewards, plan.totals.remainder], ['3601500000000', '2017866210552']);
  });

  it('applies an overrides file: a foundation account with its memo, a payee, an exclusion', async () => {
    const journal = tempDir();
    const overrides = join(tempDir(), 'overrides.csv');
    writeFileSync(overrides, `pk,commission,payTo,exclude,program\n${C},,,,foundation\n${A},0,${B},,\n${B},,,true,\n`);
    const result = await runCli(planArgs(journal, { overrides }, '--quiet'));
    assert.equal(result.code, 0, result.stderr);
    const plan = readJson(join(epochDir(journal), 'plan.json'));
    // C: 250,000 of 252,500.500000001 x 2 blocks x 0.92 x 720, memo = MD5 of the producer key.
    assert.deepEqual(
      [lineOf(plan, C).commissionRate, lineOf(plan, C).amount, lineOf(plan, C).memo],
      ['0.08', '1311680570929', 'ca3fdedb69b9f546923e53e4cce7da0b'],
    );
    assert.deepEqual([lineOf(plan, A).payTo, lineOf(plan, A).amount], [B, '8566292967']);
    assert.equal(lineOf(plan, B).kind, 'excluded');
  });

  it('carries small amounts to the next epoch, pays them there, and reports the history of a delegator', async () => {
    const journal = tempDir();
    const noBlocks = join(tempDir(), 'none.json');
    writeFileSync(noBlocks, '[]\n');
    assert.equal((await runCli(planArgs(journal, { 'min-payout': '10' }, '--quiet'))).code, 0);
    assert.equal(lineOf(readJson(join(epochDir(journal), 'plan.json')), A).carriedOut, '8137978319');
    const next = await runCli(planArgs(journal, { blocks: noBlocks, epoch: '19' }, '--quiet'));
    assert.equal(next.code, 0, next.stderr);
    const nextPlan = readJson(join(epochDir(journal, 19), 'plan.json'));
    assert.deepEqual([lineOf(nextPlan, A).carriedIn, lineOf(nextPlan, A).amount], ['8137978319', '8137978319']);

    const verify = await runCli(['payout', 'verify', join(epochDir(journal, 19), 'plan.json'), '--ledger', LEDGER, '--blocks', noBlocks]);
    assert.equal(verify.code, 0, verify.stderr);
    const again = await runCli(planArgs(journal, {}, '--quiet'));
    assert.equal(again.code, 73);
    assert.match(again.stderr, /epoch 19 was planned with amounts carried from epoch 18/);

    const history = await runCli(['payout', 'report', '--journal', journal, '--delegator', A, '--format', 'json']);
    const rows = JSON.parse(history.stdout) as { epoch: number; carriedIn: string; amount: string; carriedOut: string; status: string | null }[];
    assert.deepEqual(
      rows.map((r) => [r.epoch, r.carriedIn, r.amount, r.carriedOut, r.status]),
      [
        [18, '0', '0', '8137978319', null],
        [19, '8137978319', '8137978319', '0', 'planned'],
      ],
    );
  });

  it('lets exactly one plan take a carried amount: an epoch planned after a later one is refused, naming the epoch that took it', async () => {
    const journal = tempDir();
    const noBlocks = join(tempDir(), 'none.json');
    writeFileSync(noBlocks, '[]\n');
    assert.equal((await runCli(planArgs(journal, { 'min-payout': '10' }, '--quiet'))).code, 0);
    assert.equal((await runCli(planArgs(journal, { blocks: noBlocks, epoch: '20' }, '--quiet'))).code, 0);
    assert.equal(readJson(join(epochDir(journal, 20), 'plan.json')).inputs.carriedFrom?.epoch, 18);
    const between = await runCli(planArgs(journal, { blocks: noBlocks, epoch: '19' }, '--quiet'));
    assert.equal(between.code, 73, between.stderr);
    assert.match(between.stderr, /epoch 20 is already planned and took the amounts carried from epoch 18.*\[CARRY_CHAIN_BROKEN\]/);
    assert.equal(existsSync(join(epochDir(journal, 19), 'plan.json')), false);
  });

  it('refuses to verify either of two plans that took the same carried amount (a journal written before the chain was enforced)', async () => {
    const journal = tempDir();
    const noBlocks = join(tempDir(), 'none.json');
    writeFileSync(noBlocks, '[]\n');
    assert.equal((await runCli(planArgs(journal, { 'min-payout': '10' }, '--quiet'))).code, 0);
    assert.equal((await runCli(planArgs(journal, { blocks: noBlocks, epoch: '20' }, '--quiet'))).code, 0);
    // Hide epoch 20 while epoch 19 is planned, as a journal of an older minapay could hold them.
    renameSync(epochDir(journal, 20), `${epochDir(journal, 20)}.aside`);
    assert.equal((await runCli(planArgs(journal, { blocks: noBlocks, epoch: '19' }, '--quiet'))).code, 0);
    renameSync(`${epochDir(journal, 20)}.aside`, epochDir(journal, 20));
    const verify = (epoch: number) => runCli(['payout', 'verify', join(epochDir(journal, epoch), 'plan.json'), '--ledger', LEDGER, '--blocks', noBlocks]);
    const nineteen = await verify(19);
    assert.equal(nineteen.code, 1);
    assert.match(nineteen.stderr, /inputs\.carriedFrom: epoch 20's plan takes the amounts carried from epoch 18 too: they would be paid twice/);
    const twenty = await verify(20);
    assert.equal(twenty.code, 1);
    assert.match(twenty.stderr, /inputs\.carriedFrom: it takes the carry of epoch 18, but the plan before it in the journal is epoch 19's/);
  });

  it('plans one epoch of a pool at a time: a run finding the pool planning lock held by a live process exits 75', async () => {
    const journal = tempDir();
    const poolDir = join(journal, 'mainnet', POOL);
    mkdirSync(poolDir, { recursive: true });
    // The CLI runs in this process: the lock names another live one, this test's parent.
    writeFileSync(join(poolDir, 'plan.lock'), `${process.ppid}\n`);
    const result = await runCli(planArgs(journal, {}, '--quiet'));
    assert.equal(result.code, 75, result.stderr);
    assert.match(result.stderr, /already running \(pid \d+\).*\[LOCKED\]/);
    assert.equal(existsSync(epochDir(journal)), false);
  });

  it('refuses a payTo whose checksum holds but which is not a point of the curve, so that no payment to it is ever signed', async () => {
    const overrides = join(tempDir(), 'overrides.csv');
    writeFileSync(overrides, `pk,payTo\n${A},${offCurvePublicKey()}\n`);
    const result = await runCli(planArgs(tempDir(), { overrides }, '--quiet'));
    assert.equal(result.code, 65, result.stderr);
    assert.match(result.stderr, /overrides\.csv: row 2 \(B62qjWC\w+\) payTo B62\w+ is not a point of the Pallas curve \[OVERRIDES_INVALID\]/);
  });

  it('refuses an empty overrides file and a CSV header naming a column twice', async () => {
    const dir = tempDir();
    const cases: [string, string, RegExp][] = [
      ['empty.csv', '', /empty\.csv has no entries; leave out --overrides/],
      ['empty.json', '[]\n', /empty\.json has no entries/],
      ['header-only.csv', 'pk,commission\n', /header-only\.csv has no entries/],
      ['twice.csv', `pk,commission,commission\n${A},0.1,0.9\n`, /twice\.csv: invalid CSV: the header names commission twice/],
    ];
    for (const [name, content, message] of cases) {
      writeFileSync(join(dir, name), content);
      const result = await runCli(planArgs(tempDir(), { overrides: join(dir, name) }, '--quiet'));
      assert.equal(result.code, 65, `${name}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /\[OVERRIDES_INVALID\]/);
    }
  });

  it('warns about an override for an account that does not delegate to the pool, and refuses it with --strict', async () => {
    const overrides = join(tempDir(), 'overrides.json');
    writeFileSync(
      overrides,
      JSON.stringify([
        { pk: A, commission: '0' },
        { pk: IDLE_KEY, commission: '0' },
      ]),
    );
    const warned = await runCli(planArgs(tempDir(), { overrides }));
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stderr, new RegExp(`warning: .*overrides\\.json: 1 override\\(s\\) for accounts with no line in the plan .*: ${IDLE_KEY}\\n`));
    const journal = tempDir();
    const strict = await runCli(planArgs(journal, { overrides }, '--strict', '--quiet'));
    assert.equal(strict.code, 65, strict.stderr);
    assert.match(strict.stderr, new RegExp(`${IDLE_KEY} \\[OVERRIDES_INVALID\\]`));
    assert.equal(existsSync(epochDir(journal)), false);
  });

  it('sweeps up the temp files a plan killed with SIGKILL left in the epoch, under the epoch lock', async () => {
    const journal = tempDir();
    mkdirSync(epochDir(journal), { recursive: true });
    writeFileSync(join(epochDir(journal), '.plan.json.4242.0badcafe.tmp'), '{"cut');
    assert.equal((await runCli(planArgs(journal, {}, '--quiet'))).code, 0);
    assert.deepEqual(readdirSync(epochDir(journal)).sort(), ['plan.json', 'report.csv']);
  });

  it('learns the era from the blocks, even of a fork minapay has never seen, records how, and verifies', async () => {
    const fixtureBlocks = JSON.parse(readFileSync(BLOCKS, 'utf8')) as Record<string, unknown>[];
    // A fork at global slot 1,000,000 (90 s slots, 360 MINA: Mesa's rules, its start not yet in minapay's table); epoch 2 of it.
    const forked = fixtureBlocks.map((block, index) => ({
      ...block,
      globalSlotSinceGenesis: 1_014_290 + index,
      globalSlotSinceHardFork: 14_290 + index,
      coinbase: '360000000000',
    }));
    const blocks = join(tempDir(), 'mesa.blocks.json');
    writeFileSync(blocks, JSON.stringify(forked));
    const journal = tempDir();
    const planned = await runCli(planArgs(journal, { blocks, epoch: '2' }, '--quiet'));
    assert.equal(planned.code, 0, planned.stderr);
    const plan = JSON.parse(readFileSync(join(epochDir(journal, 2), 'plan.json'), 'utf8')) as { era: Record<string, unknown>; slots: unknown };
    assert.deepEqual(plan.era, {
      name: 'mesa',
      firstGlobalSlot: 1_000_000,
      slotsPerEpoch: 7140,
      baseCoinbase: '360000000000',
      superchargeFactor: 1,
      burnAddress: 'B62qiburnzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzmp7r7UN6X',
      learnedFrom: 'blocks',
    });
    assert.deepEqual(plan.slots, { first: 1_014_280, last: 1_021_419 });
    const verified = await runCli(['payout', 'verify', join(epochDir(journal, 2), 'plan.json')]);
    assert.equal(verified.code, 0, verified.stderr);
    // The fixtures' own blocks show the Berkeley fork.
    const fixtureJournal = tempDir();
    assert.equal((await runCli(planArgs(fixtureJournal, {}, '--quiet'))).code, 0);
    assert.equal((readJson(join(epochDir(fixtureJournal), 'plan.json')) as unknown as { era: { learnedFrom: string } }).era.learnedFrom, 'blocks');

    const twoForks = join(tempDir(), 'two-forks.json');
    writeFileSync(twoForks, JSON.stringify([forked[0], fixtureBlocks[1]]));
    const refused = await runCli(planArgs(tempDir(), { blocks: twoForks, epoch: '2' }, '--quiet'));
    assert.equal(refused.code, 65);
    assert.match(
      refused.stderr,
      /two-forks\.json: blocks \w+ and \w+ are of two forks \(first global slots (564480 and 1000000|1000000 and 564480)\) \[BLOCKS_INVALID\]/,
    );
  });

  it('payout status: nothing to pay yet on an empty journal (exit 0, for cron), and a planned epoch shows planned', async () => {
    const journal = tempDir();
    const empty = await runCli(['payout', 'status', '--journal', journal]);
    assert.equal(empty.code, 0, empty.stderr);
    assert.equal(empty.stdout, `${journal}: no mainnet epoch planned yet: nothing to pay\n`);
    assert.equal((await runCli(['payout', 'status', '--journal', journal, '--format', 'json'])).stdout, '[]\n');
    assert.equal((await runCli(planArgs(journal, {}, '--quiet'))).code, 0);
    const planned = await runCli(['payout', 'status', '--journal', journal]);
    assert.equal(planned.code, 0, planned.stderr);
    assert.match(planned.stdout, new RegExp(`${POOL}\\s+18\\s+2\\s+0\\s.*\\s+planned\\n`));
  });

  it("names report.csv's columns as payout report does, with what a delegator asks: epoch, pool, blocks won, fee payer, rates in percent", async () => {
    const journal = tempDir();
    assert.equal((await runCli(planArgs(journal, {}, '--quiet'))).code, 0);
    const [epochHeader, firstRow] = readFileSync(join(epochDir(journal), 'report.csv'), 'utf8').split('\n');
    const history = await runCli(['payout', 'report', '--journal', journal]);
    assert.equal(history.code, 0, history.stderr);
    assert.equal(history.stdout.split('\n')[0], `${epochHeader},plan_hash`);
    assert.match(
      firstRow!,
      new RegExp(`^18,${POOL},2,${A},${A},delegator,1500\\.500000000,0\\.594256,8\\.566292967,5,0\\.428314648,0\\.000000000,8\\.137978319,0\\.010000000,pool,`),
    );
  });

  it('refuses to plan again once payments of the epoch are signed', async () => {
    const journal = tempDir();
    assert.equal((await runCli(planArgs(journal, {}, '--quiet'))).code, 0);
    const before = readFileSync(join(epochDir(journal), 'plan.json'), 'utf8');
    writeFileSync(join(epochDir(journal), 'signed.json'), '{}');
    const result = await runCli(planArgs(journal, { commission: '0.5' }));
    assert.equal(result.code, 73);
    assert.match(result.stderr, /already has signed or sent payments/);
    assert.equal(readFileSync(join(epochDir(journal), 'plan.json'), 'utf8'), before);
  });

  it('refuses bad inputs with a clear error and its exit code, writing nothing', async () => {
    const dir = tempDir();
    const blocksFile = (name: string, edit: (blocks: Record<string, unknown>[]) => unknown) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify(edit(JSON.parse(readFileSync(BLOCKS, 'utf8')) as Record<string, unknown>[])));
      return path;
    };
    const cases: [string, Record<string, string>, number, RegExp][] = [
      ['blocks of another epoch', { epoch: '17' }, 65, /slot 700000, outside epoch 17 of era berkeley \(slots 685860-692999\)/],
      ['a ledger of another epoch', { ledger: 'fixtures/ledger/pre-berkeley.json' }, 65, /no account delegates to pool key B62qrMi68/],
      // The blocks are checked before the ledger is read: they name the key that produced them.
      ['an unknown pool key', { pool: IDLE_KEY }, 65, new RegExp(`produced by ${POOL}, not by a pool key \\(${IDLE_KEY}\\): is the key right\\?`)],
      ['a commission above 1', { commission: '1.5' }, 64, /--commission must be a fraction from 0 to 1/],
      ['a negative commission', { commission: '-0.1' }, 64, /--commission must be a fraction from 0 to 1/],
      ['a fee below the minimum', { 'tx-fee': '0.0005' }, 64, /below the protocol minimum of 0\.001000000 MINA/],
      ['a duplicate block', { blocks: blocksFile('twice.json', (b) => [b[0], b[0]]) }, 65, /twice\.json: block 1 repeats block 3NK\w+ of block 0/],
      [
        'a negative amount',
        { blocks: blocksFile('negative.json', (b) => [{ ...b[0], coinbase: '-720000000000' }]) },
        65,
        /negative\.json: block 0 \(height \d+\).*coinbase/,
      ],
      [
        'a fractional amount',
        { blocks: blocksFile('fraction.json', (b) => [{ ...b[0], feeTransferToReceiver: '1.5' }]) },
        65,
        /fraction\.json: block 0 \(height \d+\).*feeTransferToReceiver/,
      ],
      [
        'a supercharged coinbase after Berkeley',
        { blocks: blocksFile('supercharged.json', (b) => [{ ...b[0], coinbase: '1440000000000' }]) },
        65,
        /supercharged\.json: block 3NK\w+ at height \d+ has a coinbase of 1440\.0+ MINA, which era berkeley does not pay \(0\.0+, 720\.0+ MINA\)/,
      ],
      [
        'a coinbase no era pays',
        { blocks: blocksFile('huge-coinbase.json', (b) => [{ ...b[0], coinbase: '720000000000000' }]) },
        65,
        /huge-coinbase\.json: block 3NK\w+ at height \d+ has a coinbase of 720000\.000000000 MINA, which era berkeley does not pay/,
      ],
      [
        'two blocks at one height',
        { blocks: blocksFile('fork.json', (b) => [b[0], { ...b[1], height: b[0]!['height'] }]) },
        65,
        /fork\.json: blocks 3NK\w+ and 3NK\w+ are both at height \d+: only one block per height can be canonical/,
      ],
      ['a missing blocks file', { blocks: join(dir, 'absent.json') }, 66, /absent\.json: cannot open blocks file/],
    ];
    for (const [name, extra, code, message] of cases) {
      const journal = join(dir, `journal-${code}-${name.replace(/\W+/g, '-')}`);
      const result = await runCli(planArgs(journal, extra));
      assert.equal(result.code, code, `${name}: ${result.stderr}`);
      assert.match(result.stderr, message, name);
      assert.equal(result.stderr.trim().split('\n').length, 1, `${name}: one line`);
      assert.equal(
        existsSync(journal) ? readdirSync(journal, { recursive: true }).filter((f) => String(f).endsWith('.json') || String(f).endsWith('.csv')).length : 0,
        0,
        `${name}: nothing written`,
      );
    }
  });

  it('checks the blocks before it reads the ledger: a bad blocks file fails at once, not after the ledger', async (t) => {
    const dir = tempDir();
    // A ledger whose read would never end: a named pipe nobody writes to (opening it blocks).
    const ledger = join(dir, 'never-ending.fifo');
    execFileSync('mkfifo', [ledger]);
    const blocks = join(dir, 'other-epoch.json');
    writeFileSync(blocks, readFileSync(BLOCKS));
    const result = await runCliProcess(t, planArgs(tempDir(), { ledger, blocks, epoch: '17' }));
    assert.equal(result.code, 65, result.stderr);
    assert.match(result.stderr, /other-epoch\.json: block .* outside epoch 17/);
  });
});

describe('minapay payout verify', () => {
  const PLAN = 'fixtures/expected/post-berkeley.epoch-18.plan.json';

  it('accepts the checked-in plan recomputed from its inputs', async () => {
    const result = await runCli(['payout', 'verify', PLAN, '--ledger', LEDGER, '--blocks', BLOCKS]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /verified: epoch 18, 4 lines, planHash [0-9a-f]{64}/);
  });

  it('verifies a plan of format 1, written before commitments, against what planning wrote then, and names an edit of it', async () => {
    const formatOne = 'fixtures/expected/post-berkeley.epoch-18.plan-format-1.json';
    const result = await runCli(['payout', 'verify', formatOne, '--ledger', LEDGER, '--blocks', BLOCKS]);
    assert.equal(result.code, 0, result.stderr);
    const edited = join(tempDir(), 'edited.json');
    writeFileSync(edited, readFileSync(formatOne, 'utf8').replace('"amount": "8137978319"', '"amount": "8137978320"'));
    assert.match(
      (await runCli(['payout', 'verify', edited, '--ledger', LEDGER, '--blocks', BLOCKS])).stderr,
      /lines\[0\] \(B62q\w+\)\.amount: plan has "8137978320"/,
    );
  });

  it('names an edited commitment root', async () => {
    const edited = join(tempDir(), 'root.json');
    const plan = JSON.parse(readFileSync(PLAN, 'utf8')) as { commitment: { root: string } };
    const root = plan.commitment.root;
    plan.commitment.root = (BigInt(root) + 1n).toString();
    writeFileSync(edited, JSON.stringify(plan));
    const result = await runCli(['payout', 'verify', edited, '--ledger', LEDGER, '--blocks', BLOCKS]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`commitment\\.root: plan has "${plan.commitment.root}", recomputed "${root}"`));
  });

  it('names the first discrepancy of an edited plan or another ledger with exit 1, and reads the overrides file the plan records', async () => {
    const dir = tempDir();
    const edited = join(dir, 'edited.json');
    writeFileSync(edited, readFileSync(PLAN, 'utf8').replace('"amount": "8137978319"', '"amount": "8137978320"'));
    const editedResult = await runCli(['payout', 'verify', edited, '--ledger', LEDGER, '--blocks', BLOCKS]);
    assert.equal(editedResult.code, 1);
    assert.match(editedResult.stderr, new RegExp(`lines\\[0\\] \\(${A}\\)\\.amount: plan has "8137978320", recomputed "8137978319"`));

    const rehashed = join(dir, 'rehashed.json');
    const plan = JSON.parse(readFileSync(PLAN, 'utf8')) as { totals: { remainder: string } };
    plan.totals.remainder = '0';
    writeFileSync(rehashed, JSON.stringify(plan));
    assert.match((await runCli(['payout', 'verify', rehashed, '--ledger', LEDGER, '--blocks', BLOCKS])).stderr, /totals\.remainder: plan has "0"/);

    const otherLedger = await runCli(['payout', 'verify', PLAN, '--ledger', 'fixtures/ledger/post-berkeley.jsonl', '--blocks', BLOCKS]);
    assert.equal(otherLedger.code, 1);
    assert.match(otherLedger.stderr, /inputs\.ledger\.sha256: plan has "[0-9a-f]{64}", recomputed/);

    const journal = tempDir();
    const overrides = join(dir, 'overrides.json');
    writeFileSync(overrides, JSON.stringify([{ pk: A, commission: '0' }]));
    assert.equal((await runCli(planArgs(journal, { overrides }, '--quiet'))).code, 0);
    const recorded = await runCli(['payout', 'verify', join(epochDir(journal), 'plan.json')]);
    assert.equal(recorded.code, 0, recorded.stderr);
    const moved = join(dir, 'moved.json');
    renameSync(overrides, moved);
    const gone = await runCli(['payout', 'verify', join(epochDir(journal), 'plan.json')]);
    assert.equal(gone.code, 66, gone.stderr);
    assert.match(gone.stderr, /overrides\.json: cannot open overrides file \(ENOENT\)/);
    const elsewhere = await runCli(['payout', 'verify', join(epochDir(journal), 'plan.json'), '--overrides', moved]);
    assert.equal(elsewhere.code, 0, elsewhere.stderr);
  });

  it('reads plans of formats 1 and 2 with the terms they had (fees shared, nothing burned or split), and verifies them as they were written', async () => {
    const current = parsePlanDocument(readFileSync(PLAN, 'utf8'), PLAN);
    for (const version of [1, 2]) {
      const earlier = `fixtures/expected/post-berkeley.epoch-18.plan-format-${version}.json`;
      const stored = parsePlanDocument(readFileSync(earlier, 'utf8'), earlier);
      assert.equal(stored.version, version);
      assert.deepEqual(
        stored.lines.map((line) => [line.split, line.fees, line.burnRate, line.burned, line.amount]),
        current.lines.map((line) => [line.split, line.fees, line.burnRate, line.burned, line.amount]),
      );
      assert.deepEqual([stored.terms.selfPayTo, stored.era.burnAddress, stored.inputs.programs, stored.totals.burned], [null, null, null, 0n]);
      const result = await runCli(['payout', 'verify', earlier, '--ledger', LEDGER, '--blocks', BLOCKS]);
      assert.equal(result.code, 0, result.stderr);
    }
    const edited = join(tempDir(), 'edited.json');
    writeFileSync(
      edited,
      readFileSync('fixtures/expected/post-berkeley.epoch-18.plan-format-2.json', 'utf8').replace('"amount": "8137978319"', '"amount": "1"'),
    );
    assert.match((await runCli(['payout', 'verify', edited, '--ledger', LEDGER, '--blocks', BLOCKS])).stderr, /lines\[0\] \(B62q\w+\)\.amount: plan has "1"/);
  });
});
