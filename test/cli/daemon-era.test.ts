import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';

import Client from 'mina-signer';

import { fixture, LEDGER_HASHES, ROOT, tempDir } from '../helpers.js';
import { keyFile } from '../payout/key-files.js';
import { BERKELEY_FORK, StandInDaemon, type StandInFork } from '../payout/stand-in-daemon.js';
import { fixturePlanArgs, journalEpochDir } from './fixture-plan.js';
import { runCli, type CliResult } from './run.js';

/** A fork minapay's table does not date: Mesa (MIP6, 90-second slots and a 360 MINA coinbase) starting at global slot 1,000,000. */
const MESA_FORK: StandInFork = {
  firstGlobalSlot: 1_000_000,
  // As the daemon writes it: a space, and microseconds.
  genesisTimestamp: '2027-01-06 00:00:00.000000Z',
  slotDurationMs: 90_000,
  slotsPerEpoch: 7140,
  coinbase: 360_000_000_000n,
};
/** Mainnet before Berkeley. */
const FORK_2021: StandInFork = {
  firstGlobalSlot: 0,
  genesisTimestamp: '2021-03-17T00:00:00Z',
  slotDurationMs: 180_000,
  slotsPerEpoch: 7140,
  coinbase: 720_000_000_000n,
};

/** The openmina VRF vectors (see test/cli/slots.test.ts): slot 6 of the epoch is won by the account at index 2. */
const VRF_LEDGER = fixture('vrf', 'pool-ledger.json');
const SEED = '2va9BGv9JrLTtrzZttiEMDYw1Zj6a6EHzXjmP9evHDTG3oEquURA';
const TOTAL_CURRENCY = 6000000000001000n;

const sender = new Client({ network: 'mainnet' }).genKeys();

before(() => process.chdir(ROOT));
let daemon: StandInDaemon;
before(async () => {
  daemon = await new StandInDaemon({ network: 'mainnet', accounts: { [sender.publicKey]: { balance: 5_000_000_000_000n, nonce: 0n } } }).start();
});
after(() => daemon.stop());

/** The daemon on `fork`, its best tip at slot 10 of epoch 0 with the vectors' epoch data. */
function onFork(fork: StandInFork): void {
  daemon.chain = {
    syncStatus: 'SYNCED',
    epoch: 0,
    slot: 10,
    stakingLedgerHash: LEDGER_HASHES[0],
    nextLedgerHash: LEDGER_HASHES[1],
    stakingSeed: SEED,
    stakingTotalCurrency: TOTAL_CURRENCY,
    fork,
  };
}

const failedWith = (result: CliResult, exit: number, pattern: RegExp) => {
  assert.equal(result.code, exit, result.stderr);
  assert.match(result.stderr, pattern);
};

function producerKeyFile(): string {
  const path = join(tempDir(), 'producer.key');
  copyFileSync(fixture('keys', 'openmina-vrf.key'), path);
  chmodSync(path, 0o600);
  return path;
}

describe("eras from the daemon's own data (--graphql)", () => {
  beforeEach(() => onFork(BERKELEY_FORK));

  it('slots: no --era needed; the fork the daemon is on dates the won slots, one minapay has never seen too', async () => {
    const slots = (...more: string[]) =>
      runCli([
        'slots',
        VRF_LEDGER,
        '--epoch',
        '0',
        '--slot-range',
        '0-9',
        '--key-file',
        producerKeyFile(),
        '--graphql',
        daemon.url,
        '--format',
        'json',
        ...more,
      ]);
    const wonSlot6 = (result: CliResult) => {
      assert.equal(result.code, 0, result.stderr);
      return (JSON.parse(result.stdout) as { won: { slot: number; globalSlot: number; time: string }[] }).won.find((won) => won.slot === 6);
    };
    const berkeley = await slots('--checkpoint', join(tempDir(), 'a.json'));
    assert.equal(berkeley.stderr, '', 'nothing to announce: the daemon said which era');
    assert.deepEqual(wonSlot6(berkeley), wonSlot6(await slots('--era', 'berkeley', '--checkpoint', join(tempDir(), 'b.json'))));
    onFork(MESA_FORK);
    const mesa = wonSlot6(await slots('--checkpoint', join(tempDir(), 'c.json')));
    // The VRF counts slots from the fork: the same slot is won, at the fork's own global slot and time.
    assert.deepEqual([mesa?.globalSlot, mesa?.time], [1_000_006, '2027-01-06T00:09:00.000Z']);
    failedWith(
      await slots('--era', 'berkeley', '--checkpoint', join(tempDir(), 'd.json')),
      65,
      /the chain forked at global slot 1000000, but --era berkeley starts at 564480 \[ERA_MISMATCH\]/,
    );
  });

  it("a daemon's figures that contradict the era table are refused, naming both", async () => {
    onFork({ ...BERKELEY_FORK, coinbase: 1_440_000_000_000n });
    const slots = ['slots', VRF_LEDGER, '--epoch', '0', '--slot-range', '0-1', '--key-file', producerKeyFile(), '--graphql', daemon.url];
    failedWith(
      await runCli([...slots, '--checkpoint', join(tempDir(), 'a.json')]),
      65,
      /era berkeley has a coinbase of 720000000000 nanomina in minapay's table, but the chain shows 1440000000000 nanomina \[ERA_MISMATCH\]/,
    );
    onFork({ ...BERKELEY_FORK, slotDurationMs: 90_000 });
    failedWith(await runCli([...slots, '--checkpoint', join(tempDir(), 'b.json')]), 65, /a slot length of 180 s in minapay's table, but the chain shows 90 s/);
  });

  it('ledger archive: records the era the epoch counts in, as the daemon gives it', async () => {
    const archive = tempDir();
    const archived = async () => {
      const result = await runCli(['ledger', 'archive', VRF_LEDGER, '--archive', archive, '--graphql', daemon.url, '--format', 'json']);
      assert.equal(result.code, 0, result.stderr);
      return (JSON.parse(result.stdout) as { ledger: { epoch: number; era: unknown } }).ledger;
    };
    assert.deepEqual(await archived(), { ...(await archived()), epoch: 0, era: { name: 'berkeley', firstGlobalSlot: 564_480 } });
    onFork(MESA_FORK);
    daemon.chain.stakingLedgerHash = LEDGER_HASHES[2];
    const mesa = await archived();
    assert.deepEqual([mesa.epoch, mesa.era], [0, { name: 'mesa', firstGlobalSlot: 1_000_000 }]);
    const manifest = JSON.parse(readFileSync(join(archive, 'mainnet', 'manifest.json'), 'utf8')) as { ledgers: { era: unknown }[] };
    assert.deepEqual(
      manifest.ledgers.map((ledger) => ledger.era),
      [
        { name: 'berkeley', firstGlobalSlot: 564_480 },
        { name: 'mesa', firstGlobalSlot: 1_000_000 },
      ],
    );
    const listed = await runCli(['ledger', 'list', '--archive', archive]);
    assert.equal(listed.code, 0, listed.stderr);
  });

  it("payout sign: refuses a daemon on a fork before the plan's era, says when it pays on a later one, and refuses an expiry behind the tip", async () => {
    const plan = async () => {
      const journal = tempDir();
      const planned = await runCli(fixturePlanArgs(journal, {}, '--quiet'));
      assert.equal(planned.code, 0, planned.stderr);
      return join(journalEpochDir(journal), 'plan.json');
    };
    const sign = async (planPath: string, ...more: string[]) =>
      runCli(['payout', 'sign', planPath, '--key-file', keyFile(`${sender.privateKey}\n`), '--graphql', daemon.url, ...more]);
    onFork(FORK_2021);
    failedWith(
      await sign(await plan()),
      65,
      new RegExp(
        'the daemon is on the chain that forked at global slot 0, before era berkeley \\(first global slot 564480\\) ' +
          'that epoch 18 was planned in: it runs a release from before that fork \\[ERA_MISMATCH\\]',
      ),
    );
    onFork(BERKELEY_FORK);
    daemon.chain.epoch = 19;
    // The tip: 564,480 + 19 x 7,140 + 10.
    failedWith(await sign(await plan(), '--valid-until', '700150'), 64, /--valid-until 700150 is not after the daemon's best tip at global slot 700150/);
    const sameFork = await sign(await plan(), '--valid-until', '700151');
    assert.equal(sameFork.code, 0, sameFork.stderr);
    assert.doesNotMatch(sameFork.stderr, /is paid on the chain/);
    onFork(MESA_FORK);
    const laterFork = await sign(await plan());
    assert.equal(laterFork.code, 0, laterFork.stderr);
    assert.match(laterFork.stderr, /epoch 18 of era berkeley is paid on the chain that forked at global slot 1000000/);
    assert.equal(laterFork.stdout, `${join(dirname(laterFork.stdout.trim()), 'signed.json')}\n`);
  });
});
