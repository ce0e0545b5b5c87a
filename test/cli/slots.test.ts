import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { readChainBlocks } from '../../src/blocks/archive.js';
import { archiveChain } from '../blocks/archive-chain.js';
import { createTestArchive, seedBlocks, SERVER_URL } from '../blocks/archive-db.js';
import { fixture, LEDGER_HASHES, ROOT, tempDir } from '../helpers.js';
import { StandInDaemon } from '../payout/stand-in-daemon.js';
import { vrfOutputBase58 } from '../../src/protocol/vrf.js';
import { killedWithTest } from '../processes.js';
import { compiledCli } from './compiled.js';
import { runCli } from './run.js';

/** The openmina VRF test key (fixtures/keys/README.md) and its public key: the producer of fixtures/vrf/pool-ledger.json. */
const PRIVATE_KEY = readFileSync(fixture('keys', 'openmina-vrf.key'), 'utf8').trim();
const PRODUCER = 'B62qrztYfPinaKqpXaYGY6QJ3SSW2NNKs7SajBLF1iFNXW9BoALN2Aq';
const OTHER_PRODUCER = 'B62qoGasCeX5M5HyK95AKLh6eXK92tBgAfkVJPuS8A8NkATuMjRxSbF';
const LEDGER = fixture('vrf', 'pool-ledger.json');
/** The seed 0 and the total currency of the openmina vectors: slot 6 is won by the account at index 2. */
const SEED = '2va9BGv9JrLTtrzZttiEMDYw1Zj6a6EHzXjmP9evHDTG3oEquURA';
const TOTAL_CURRENCY = '6000000000001000';
const EPOCH_DATA = ['--seed', SEED, '--total-currency', TOTAL_CURRENCY];
const BERKELEY_EPOCH_0 = ['--era', 'berkeley', '--epoch', '0'];

interface JsonReport {
  producer: string;
  delegators: number;
  evaluated: number;
  belowFloor: { delegators: number; stake: string };
  evaluations: number;
  won: { slot: number; globalSlot: number; epochSlot: number; time: string; winner: string; index: number; vrfOutput: string; status?: string }[];
  expected: { blocks: string; p5: number; p95: number };
  score?: { won: number; produced: number; lost: number; missed: number; pending: number };
}

/** A copy of the key file at mode 600 (git keeps 644, which minapay refuses). */
function keyFile(dir: string): string {
  const path = join(dir, 'producer.key');
  copyFileSync(fixture('keys', 'openmina-vrf.key'), path);
  chmodSync(path, 0o600);
  return path;
}

/** The command on the pool ledger with the vectors' epoch data; the checkpoint is checkpoint.json in `dir` unless `more` names one. */
function slotsArgs(dir: string, ...more: string[]): string[] {
  const checkpoint = more.includes('--checkpoint') ? [] : ['--checkpoint', join(dir, 'checkpoint.json')];
  return ['slots', LEDGER, ...BERKELEY_EPOCH_0, ...EPOCH_DATA, '--key-file', keyFile(dir), ...checkpoint, ...more];
}

function assertNoKey(...texts: string[]): void {
  for (const text of texts) assert.ok(!text.includes(PRIVATE_KEY), 'the private key must appear nowhere');
}

describe('minapay slots', () => {
  it("reports the producer's won slots: the openmina won slot 6, its output, time and winner, and skips a delegator below the floor", async () => {
    const dir = tempDir();
    const result = await runCli([...slotsArgs(dir, '--slot-range', '0-29', '--format', 'json', '--workers', '2')]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.equal(report.producer, PRODUCER);
    assert.deepEqual([report.delegators, report.evaluated, report.belowFloor.delegators, report.evaluations], [3, 2, 1, 60]);
    const slot6 = report.won.find((w) => w.slot === 6);
    assert.deepEqual(slot6 && { ...slot6 }, {
      slot: 6,
      globalSlot: 564486,
      epochSlot: 6,
      time: '2024-06-05T00:18:00.000Z',
      winner: 'B62qj1zaXZxuRGzYfuq2KBSWvoei73uGZw4yqzRNTW6xiff5TGy6VJe',
      index: 2,
      delegatorsWinning: 1,
      vrfOutput: '48HHFYbaz4d7XkJpWWJw5jN1vEBfPvU31nsX4Ljn74jDo3WyTojL',
      fraction: '0.16978997004532185986',
      threshold: '0.20629864188648490189',
    });
    assert.ok(report.won.every((w, i) => i === 0 || (report.won[i - 1] as { slot: number }).slot < w.slot));
    assert.ok(report.won.length >= report.expected.p5 && report.won.length <= report.expected.p95 + 5);
    assertNoKey(result.stdout, result.stderr, readFileSync(join(dir, 'checkpoint.json'), 'utf8'));
  });

  it('gives the same slots for one worker or two, from the key in $MINAPAY_PRIVATE_KEY, and as a table with a summary', async () => {
    const dir = tempDir();
    const args = ['slots', LEDGER, ...BERKELEY_EPOCH_0, ...EPOCH_DATA, '--slot-range', '0-19', '--format', 'csv'];
    const env = { MINAPAY_PRIVATE_KEY: PRIVATE_KEY };
    const one = await runCli([...args, '--workers', '1', '--checkpoint', join(dir, 'one.json')], { env });
    const two = await runCli([...args, '--workers', '2', '--checkpoint', join(dir, 'two.json')], { env });
    assert.equal(one.code, 0, one.stderr);
    assert.equal(one.stdout, two.stdout);
    assert.match(one.stdout.split('\n')[0] as string, /^slot,globalSlot,epochSlot,time,winner,index,vrfOutput,fraction,threshold,status,block$/);
    assert.match(one.stderr, /won \d+ slots; expected [\d.]+ \(std dev/);
    const table = await runCli([...args.slice(0, -2), '--checkpoint', join(dir, 'one.json')], { env });
    assert.match(table.stdout, /^slot +global slot +epoch slot +time \(UTC\) +winner +index +VRF output +fraction +threshold\n/);
    assert.match(table.stdout, /1 below the 2\^-20 floor skipped \(1\.000000000 MINA\)\n$/);
    assertNoKey(one.stdout, one.stderr, two.stdout, table.stdout);
  });

  it('shows progress with the rate and an ETA at a terminal, and clears it', async () => {
    const dir = tempDir();
    const result = await runCli(slotsArgs(dir, '--slot-range', '0-49', '--format', 'json'), { tty: true });
    assert.equal(result.code, 0, result.stderr);
    const clear = '\r\x1b[K';
    assert.ok(result.stderr.includes(`${clear}evaluating the VRF: 100 of 100 (100.0%), `), result.stderr);
    assert.match(result.stderr, /evaluating the VRF: 100 of 100 \(100\.0%\), \d+\/s, ETA 0m00s/);
    assert.ok(result.stderr.endsWith(clear), 'the progress line is cleared');
  });

  it('marks each won slot produced, lost or missed from a block file, with a one-line score', async () => {
    const dir = tempDir();
    const first = await runCli([...slotsArgs(dir, '--slot-range', '0-9', '--format', 'json')]);
    const won = (JSON.parse(first.stdout) as JsonReport).won.map((w) => w.slot);
    assert.deepEqual(won, [6, 8, 9]);
    const block = (slot: number, creator: string) => ({
      height: 100 + slot,
      stateHash: `3NKslot${slot}`,
      globalSlotSinceGenesis: 564480 + slot,
      globalSlotSinceHardFork: slot,
      creator,
      winner: 'B62qj1zaXZxuRGzYfuq2KBSWvoei73uGZw4yqzRNTW6xiff5TGy6VJe',
      coinbaseReceiver: creator,
      coinbase: '720000000000',
      feeTransferToReceiver: '0',
      feeTransferViaCoinbase: '0',
    });
    const blocksFile = join(dir, 'blocks.json');
    writeFileSync(blocksFile, JSON.stringify([block(6, PRODUCER), block(8, OTHER_PRODUCER), block(7, OTHER_PRODUCER)]));
    const json = await runCli([...slotsArgs(dir, '--slot-range', '0-9', '--format', 'json', '--blocks', blocksFile)]);
    const report = JSON.parse(json.stdout) as JsonReport;
    assert.deepEqual(
      report.won.map((w) => [w.slot, w.status]),
      [
        [6, 'produced'],
        [8, 'lost'],
        [9, 'missed'],
      ],
    );
    assert.deepEqual(report.score, { won: 3, produced: 1, lost: 1, missed: 1, pending: 0 });
    const table = await runCli([...slotsArgs(dir, '--slot-range', '0-9', '--blocks', blocksFile)]);
    assert.match(table.stdout, /\nscore: 1\/3 won slots produced \(33\.3%\); 1 lost, 1 missed, 0 pending\n$/);
  });

  it('resumes a killed run from its checkpoint without evaluating finished slots again, and ends as a fresh run does', async (t) => {
    const dir = tempDir();
    const checkpoint = join(dir, 'checkpoint.json');
    // The whole epoch: a first checkpoint comes after 2 s, and 3,000 slots took less than that here on a quiet machine.
    const LAST = 7139;
    const args = [...compiledCli(), ...slotsArgs(dir, '--slot-range', `0-${LAST}`, '--workers', '1', '--format', 'json')];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
    const exited = killedWithTest(t, child);
    try {
      for (let waited = 0; !existsSync(checkpoint) && waited < 60_000; waited += 100) await sleep(100);
      assert.ok(existsSync(checkpoint), 'the run wrote a checkpoint');
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    type Saved = { version: number; done: [number, number][]; winners: [number, number, string][] };
    const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as Saved;
    const [firstDone] = saved.done;
    assert.ok(firstDone !== undefined && firstDone[0] === 0 && firstDone[1] < LAST, `the killed run finished part of the slots: ${JSON.stringify(saved.done)}`);
    // A winner the checkpoint holds is taken from it, not evaluated again: change one and see it come back.
    const changed = saved.winners.find(([slot]) => slot <= firstDone[1]);
    assert.ok(changed !== undefined);
    const [changedSlot, changedIndex, trueOutput] = changed;
    changed[2] = '7';
    writeFileSync(checkpoint, JSON.stringify(saved));
    const resumed = await runCli(slotsArgs(dir, '--slot-range', `0-${LAST}`, '--format', 'json'));
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.ok((JSON.parse(resumed.stdout) as JsonReport).won.some((w) => w.slot === changedSlot && w.vrfOutput === vrfOutputBase58(7n)));
    const completed = JSON.parse(readFileSync(checkpoint, 'utf8')) as Saved;
    assert.deepEqual(completed.done, [[0, LAST]]);

    // Put the true output back: the resumed checkpoint now answers exactly as a fresh run does.
    for (const winner of completed.winners) if (winner[0] === changedSlot && winner[1] === changedIndex) winner[2] = trueOutput;
    writeFileSync(checkpoint, JSON.stringify(completed));
    const again = await runCli(slotsArgs(dir, '--slot-range', `0-${LAST}`, '--format', 'json'));
    const fresh = await runCli(slotsArgs(dir, '--slot-range', `0-${LAST}`, '--format', 'json', '--checkpoint', join(dir, 'fresh.json')));
    assert.equal(again.stdout, fresh.stdout);
  });

  it('refuses a checkpoint of other inputs, a pre-Berkeley era, a bad seed, and an unprotected key file, never printing the key', async () => {
    const dir = tempDir();
    assert.equal((await runCli(slotsArgs(dir, '--slot-range', '0-4'))).code, 0);
    const other = await runCli([
      ...slotsArgs(dir, '--slot-range', '0-4').filter((a) => a !== TOTAL_CURRENCY && a !== '--total-currency'),
      '--total-currency',
      '7000000000000000',
    ]);
    assert.equal(other.code, 65);
    assert.match(other.stderr, /checkpoint\.json: is the checkpoint of other inputs.*\[SLOTS_CHECKPOINT_INVALID\]/);

    const preBerkeley = await runCli(['slots', LEDGER, '--era', '2021', '--epoch', '3', ...EPOCH_DATA, '--key-file', keyFile(dir)]);
    assert.equal(preBerkeley.code, 64);
    assert.match(preBerkeley.stderr, /different VRF hash.*\[VRF_PRE_BERKELEY\]/);

    const badSeed = await runCli([
      'slots',
      LEDGER,
      ...BERKELEY_EPOCH_0,
      '--seed',
      LEDGER_HASHES[0],
      '--total-currency',
      TOTAL_CURRENCY,
      '--key-file',
      keyFile(dir),
    ]);
    assert.equal(badSeed.code, 64);
    assert.match(badSeed.stderr, /--seed .* is not an epoch seed.*\[INVALID_EPOCH_SEED\]/);

    const open = join(dir, 'open.key');
    writeFileSync(open, `${PRIVATE_KEY}\n`, { mode: 0o644 });
    chmodSync(open, 0o644);
    const insecure = await runCli(['slots', LEDGER, ...BERKELEY_EPOCH_0, ...EPOCH_DATA, '--key-file', open]);
    assert.equal(insecure.code, 77);
    assertNoKey(other.stderr, preBerkeley.stderr, badSeed.stderr, insecure.stderr);
  });
});

describe('minapay slots --graphql', () => {
  let daemon: StandInDaemon;
  before(async () => {
    daemon = await new StandInDaemon({ network: 'mainnet', accounts: {} }).start();
  });
  after(() => daemon.stop());

  it("takes the epoch's seed and total currency from the daemon's staking epoch data, and the next epoch's once its seed is locked", async () => {
    const dir = tempDir();
    daemon.chain = {
      syncStatus: 'SYNCED',
      epoch: 0,
      slot: 100,
      stakingLedgerHash: LEDGER_HASHES[0],
      nextLedgerHash: LEDGER_HASHES[1],
      stakingSeed: SEED,
      stakingTotalCurrency: BigInt(TOTAL_CURRENCY),
      nextSeed: SEED,
      nextTotalCurrency: BigInt(TOTAL_CURRENCY),
    };
    const common = ['slots', LEDGER, '--era', 'berkeley', '--key-file', keyFile(dir), '--graphql', daemon.url, '--format', 'json'];
    const byDaemon = await runCli([...common, '--epoch', '0', '--slot-range', '0-9', '--checkpoint', join(dir, 'a.json')]);
    const byFlags = await runCli([...slotsArgs(dir, '--slot-range', '0-9', '--format', 'json', '--checkpoint', join(dir, 'b.json'))]);
    assert.equal(byDaemon.code, 0, byDaemon.stderr);
    const { ledgerHash, ...daemonReport } = JSON.parse(byDaemon.stdout) as JsonReport & { ledgerHash: string };
    assert.equal(ledgerHash, LEDGER_HASHES[0]);
    assert.deepEqual(daemonReport, JSON.parse(byFlags.stdout));

    const early = await runCli([...common, '--epoch', '1', '--checkpoint', join(dir, 'c.json')]);
    assert.equal(early.code, 75);
    assert.match(early.stderr, /seed of epoch 1 settles at slot 4760 of epoch 0; the daemon is at slot 100/);
    daemon.chain.slot = 5000;
    const next = await runCli([...common, '--epoch', '1', '--slot-range', '0-2', '--checkpoint', join(dir, 'c.json')]);
    assert.equal(next.code, 0, next.stderr);
    assert.equal((JSON.parse(next.stdout) as { ledgerHash: string }).ledgerHash, LEDGER_HASHES[1]);

    const far = await runCli([...common, '--epoch', '5', '--checkpoint', join(dir, 'd.json')]);
    assert.equal(far.code, 64);
    assert.match(far.stderr, /knows the seeds of epochs 0 and 1 only/);
  });

  it("checks the daemon's staking ledger hash against the archived ledger of the epoch", async () => {
    const dir = tempDir();
    const archive = join(dir, 'archive');
    const archived = await runCli(['ledger', 'archive', LEDGER, '--archive', archive, '--epoch', '0', '--ledger-hash', LEDGER_HASHES[0]]);
    assert.equal(archived.code, 0, archived.stderr);
    daemon.chain = { syncStatus: 'SYNCED', epoch: 0, slot: 10, stakingLedgerHash: LEDGER_HASHES[0], nextLedgerHash: LEDGER_HASHES[1], stakingSeed: SEED };
    daemon.chain.stakingTotalCurrency = BigInt(TOTAL_CURRENCY);
    const common = ['slots', '--archive', archive, ...BERKELEY_EPOCH_0, '--key-file', keyFile(dir), '--graphql', daemon.url, '--slot-range', '0-9'];
    const matching = await runCli([...common, '--checkpoint', join(dir, 'a.json')]);
    assert.equal(matching.code, 0, matching.stderr);
    daemon.chain.stakingLedgerHash = LEDGER_HASHES[2];
    const mismatch = await runCli([...common, '--checkpoint', join(dir, 'b.json')]);
    assert.equal(mismatch.code, 65);
    assert.match(mismatch.stderr, new RegExp(`the archive's ledger of epoch 0 is not ${LEDGER_HASHES[2]}.*\\[EPOCH_LEDGER_MISMATCH\\]`));
  });
});

describe('minapay slots --archive-db', () => {
  it("reads every producer's blocks of the best chain in the slots, and how far the chain reaches", async () => {
    const archive = await createTestArchive('pglite');
    try {
      await seedBlocks(archive, archiveChain());
      const chain = await readChainBlocks(archive.client, { first: 100, last: 199 });
      assert.deepEqual(
        chain.blocks.map((b) => b.globalSlotSinceHardFork),
        [0, 10, 20, 30, 40, 50, 60, 70, 80, 90],
      );
      assert.equal(chain.blocks.find((b) => b.globalSlotSinceGenesis === 150)?.stateHash, '3NKheight15', 'not the orphaned rival');
      assert.equal(chain.tipSlot, 400);
    } finally {
      await archive.close();
    }
  });

  it('marks won slots from the archive', {
    skip: SERVER_URL === null ? 'needs a PostgreSQL server (MINAPAY_TEST_DATABASE_URL); the query is tested on PGlite above' : false,
  }, async () => {
    const archive = await createTestArchive();
    try {
      await seedBlocks(archive, archiveChain());
      const dir = tempDir();
      const era = ['--era', 'berkeley', '--era-start-slot', '100', '--slots-per-epoch', '100', '--epoch', '0'];
      const result = await runCli([
        'slots',
        LEDGER,
        ...era,
        ...EPOCH_DATA,
        '--key-file',
        keyFile(dir),
        '--checkpoint',
        join(dir, 'c.json'),
        '--archive-db',
        archive.url as string,
        '--format',
        'json',
      ]);
      assert.equal(result.code, 0, result.stderr);
      const report = JSON.parse(result.stdout) as JsonReport;
      for (const won of report.won) assert.equal(won.status, won.slot % 10 === 0 ? 'lost' : 'missed');
    } finally {
      await archive.close();
    }
  });
});
