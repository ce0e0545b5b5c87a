import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe, it, type TestContext } from 'node:test';

import Client from 'mina-signer';

import { LEDGER_HASHES, REAL_LEDGER, ROOT, tempDir } from '../helpers.js';
import { diskWithRoom, PAGE, pages, smallDisk, tempFileOf } from '../io/full-disk.js';
import { keyFile } from '../payout/key-files.js';
import { fixturePlanArgs } from './fixture-plan.js';
import { runCli, type CliResult } from './run.js';

/**
 * Every command that writes files, on a disk that fills up while it writes:
 * a one-line OUTPUT_DISK_FULL (exit 74), no partial or stray file, what was
 * there before left as it was, and once there is space again the same run
 * works with no cleanup by hand. Each case runs twice: on a real tmpfs of a
 * few pages (where the test may mount one), and with an injected write(2)
 * that comes up short the way the kernel's does.
 */
const POOL = 'B62qrMi68WSSWpmb3Yfp7ztzAFx6gUyF26VAzPNgYEoYKRASRj2pqZK';
/** The delegate with 201 delegators in the real 2021 ledger: its delegator JSON is 40 KB. */
const BIG_POOL = 'B62qpge4uMq4Vv5Rvc8Gw9qSquUYd6xoW1pz7HQkMSHm6h1o7pvLPAN';
const sender = new Client({ network: 'mainnet' }).genKeys();
const VARIANTS = ['tmpfs', 'injected'] as const;
type Variant = (typeof VARIANTS)[number];

// Plans record their input paths as given: run from the repository root.
before(() => process.chdir(ROOT));

const planArgs = (journal: string, commission = '0.05') => fixturePlanArgs(journal, { commission }, '--quiet');
const signArgs = (plan: string) => ['payout', 'sign', plan, '--key-file', keyFile(`${sender.privateKey}\n`), '--nonce', '9', '--quiet'];

async function succeeded(args: string[]): Promise<CliResult> {
  const result = await runCli(args);
  assert.equal(result.code, 0, result.stderr);
  return result;
}

/** Exit 74 and one line naming a file under `dir` that could not be written for want of space. */
function refusedForSpace(result: CliResult, dir: string): void {
  assert.equal(result.code, 74, result.stderr);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^minapay: \S+: cannot [^\n]*no space left on the device \(ENOSPC\); free space and run again \[OUTPUT_DISK_FULL\]\n$/);
  assert.ok(result.stderr.includes(dir), result.stderr);
}

/** Every file under `dir`, hidden ones too (a temp file left behind would show), with the sha256 of its content. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, name);
    if (statSync(path).isFile() && name !== 'filler') files.set(relative(dir, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
  }
  return files;
}

/** A directory whose disk has `room` bytes left for the writes `counts` picks: a real tmpfs, or the injected writer. */
interface FullDisk {
  readonly dir: string;
  /** Makes space again. */
  free(): void;
}

/**
 * The disk of one variant. On tmpfs, files take whole pages and the
 * epoch's lock takes one too, so room is given in pages there: `tmpfsPages`
 * free, filled only once `prepare` (writing what is to be there before) ran.
 */
async function fullDisk(t: TestContext, variant: Variant, room: { bytes: number; tmpfsPages: number }, prepare: (dir: string) => Promise<void>) {
  if (variant === 'injected') {
    const dir = tempDir();
    await prepare(dir);
    const disk = diskWithRoom(t, room.bytes);
    return { dir, free: disk.restore } satisfies FullDisk;
  }
  const disk = smallDisk(t, 512);
  if (disk === null) return null;
  await prepare(disk.dir);
  disk.fill(room.tmpfsPages * PAGE);
  return { dir: disk.dir, free: disk.free } satisfies FullDisk;
}

/** The sizes of what a command writes, from a run on a disk with room. */
async function referenceSizes(args: (dir: string) => string[], files: (dir: string) => string[], prepare = async (_dir: string) => {}) {
  const dir = tempDir();
  await prepare(dir);
  await succeeded(args(dir));
  return files(dir).map((path) => statSync(path).size);
}

const epochDir = (journal: string) => join(journal, 'mainnet', POOL, 'epoch-18');
const planOf = (journal: string) => join(epochDir(journal), 'plan.json');
const epochFiles = (journal: string) => [join(epochDir(journal), 'report.csv'), join(epochDir(journal), 'plan.json')];
const signedFiles = (journal: string) => [join(epochDir(journal), 'signed.json'), join(epochDir(journal), 'report.csv')];

describe('a full disk: one clear error, no partial file, the epoch as before, and the next run works', () => {
  for (const variant of VARIANTS) {
    it(`payout plan (${variant}): neither plan.json nor report.csv lands, not even cut short`, async (t) => {
      const sizes = await referenceSizes(planArgs, epochFiles);
      const total = sizes.reduce((a, b) => a + b, 0);
      // One byte, or one page, short of what the two files take.
      const disk = await fullDisk(t, variant, { bytes: total - 1, tmpfsPages: sizes.map(pages).reduce((a, b) => a + b, 0) - 1 }, async () => {});
      if (disk === null) return;
      const before = snapshot(disk.dir);
      refusedForSpace(await runCli(planArgs(disk.dir)), epochDir(disk.dir));
      assert.deepEqual(snapshot(disk.dir), before);
      assert.equal(existsSync(planOf(disk.dir)), false);
      disk.free();
      await succeeded(planArgs(disk.dir));
      assert.deepEqual(
        epochFiles(disk.dir).map((path) => statSync(path).size),
        sizes,
      );
      const verify = [
        'payout',
        'verify',
        planOf(disk.dir),
        '--ledger=fixtures/ledger/post-berkeley.json',
        '--blocks=fixtures/blocks/post-berkeley.blocks.json',
      ];
      assert.equal((await runCli(verify)).code, 0);
    });

    if (variant === 'injected') {
      it('payout plan again: when plan.json cannot be written, the earlier plan and its report.csv stay as they were', async (t) => {
        const journal = tempDir();
        await succeeded(planArgs(journal));
        const before = snapshot(journal);
        const disk = diskWithRoom(t, 0, tempFileOf('plan.json'));
        refusedForSpace(await runCli(planArgs(journal, '0.10')), epochDir(journal));
        assert.deepEqual(snapshot(journal), before);
        disk.restore();
        await succeeded(planArgs(journal, '0.10'));
        assert.match(readFileSync(planOf(journal), 'utf8'), /"commission": "0\.1"/);
      });
    }

    it(`ledger delegators --output (${variant}): no output file, not even cut short`, async (t) => {
      const args = (dir: string) => ['ledger', 'delegators', REAL_LEDGER, '--pool', BIG_POOL, '--format', 'json', '--quiet', '--output', join(dir, 'out.json')];
      const [size] = await referenceSizes(args, (dir) => [join(dir, 'out.json')]);
      const disk = await fullDisk(t, variant, { bytes: size! - 1, tmpfsPages: pages(size!) - 1 }, async () => {});
      if (disk === null) return;
      refusedForSpace(await runCli(args(disk.dir)), disk.dir);
      assert.deepEqual(snapshot(disk.dir), new Map());
      disk.free();
      await succeeded(args(disk.dir));
      assert.equal(statSync(join(disk.dir, 'out.json')).size, size);
    });

    it(`payout sign (${variant}): neither signed.json nor the new report.csv lands; status and report work, and sign does once there is space`, async (t) => {
      const prepare = async (dir: string) => {
        await succeeded(planArgs(dir));
      };
      const sizes = await referenceSizes((dir) => signArgs(planOf(dir)), signedFiles, prepare);
      const total = sizes.reduce((a, b) => a + b, 0);
      const disk = await fullDisk(t, variant, { bytes: total - 1, tmpfsPages: sizes.map(pages).reduce((a, b) => a + b, 0) - 1 }, prepare);
      if (disk === null) return;
      const before = snapshot(disk.dir);
      refusedForSpace(await runCli(signArgs(planOf(disk.dir))), epochDir(disk.dir));
      assert.deepEqual(snapshot(disk.dir), before, 'the epoch is as it was: planned, not signed');
      assert.equal((await runCli(['payout', 'status', '--journal', disk.dir])).code, 0);
      assert.equal((await runCli(['payout', 'report', '--journal', disk.dir])).code, 0);
      disk.free();
      await succeeded(signArgs(planOf(disk.dir)));
      assert.deepEqual(
        signedFiles(disk.dir).map((path) => statSync(path).size),
        sizes,
      );
      assert.equal((await runCli(['payout', 'status', '--journal', disk.dir])).code, 80, 'signed, not yet sent');
    });

    it(`ledger archive (${variant}): the ledger file lands only with its manifest entry`, async (t) => {
      const args = (dir: string) => ['ledger', 'archive', REAL_LEDGER, '--archive', dir, '--epoch', '18', '--ledger-hash', LEDGER_HASHES[2], '--quiet'];
      const [ledgerSize] = await referenceSizes(args, (dir) => [join(dir, 'mainnet', `epoch-18-${LEDGER_HASHES[2]}.jsonl.gz`)]);
      // Room for the ledger (and on tmpfs the archive's lock) but not for the manifest.
      const disk = await fullDisk(t, variant, { bytes: ledgerSize!, tmpfsPages: pages(ledgerSize!) + 1 }, async () => {});
      if (disk === null) return;
      refusedForSpace(await runCli(args(disk.dir)), join(disk.dir, 'mainnet'));
      assert.deepEqual(snapshot(disk.dir), new Map(), 'no ledger without its manifest entry, no temp file');
      disk.free();
      await succeeded(args(disk.dir));
      assert.equal((await runCli(['ledger', 'verify', '--archive', disk.dir])).code, 0);
    });
  }
});
