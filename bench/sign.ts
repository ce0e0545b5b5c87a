/**
 * `npm run build && npm run bench:sign [-- --repeat 3]`: times `payout sign`
 * of a 2,000-payment plan (the compiled CLI, as it ships; 1 worker, then
 * the default) against a bare loop of mina-signer's signPayment over the
 * same payments, and against loops that also check and hash each payment
 * (what signing must do, in one thread): with mina-signer's verifyPayment
 * (the check before), and minapay's signPayments (its own check); all in
 * one run, alternating, each figure the median of --repeat runs beside the
 * bare loop's. Targets: `payout sign` at most 1.5x the bare loop with 1 worker,
 * below 1x with workers on more than one core. The load average is
 * printed: other work on the machine slows every figure.
 *
 * The plan is made by `payout plan` from a synthetic ledger of 2,021
 * accounts all delegating to the bench pool (2,000 of them paid), so that
 * `payout sign`'s check of the plan against its ledger costs little.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import Client from 'mina-signer';

import { defaultMemo } from '../src/payout/commitment.js';
import { epochDirectory, PLAN_FILE, poolDirectory, readPlanFile, SIGNED_FILE } from '../src/payout/journal.js';
import { NO_EXPIRY, paymentData, signPayments } from '../src/payout/sign.js';
import type { PaymentData } from '../src/payout/signed-file.js';
import { blocksFile, ledgerFile, type Measurement, measureMinapay, median } from './harness.js';
import { BENCH_POOL } from './pool.js';

const { values } = parseArgs({ options: { repeat: { type: 'string', default: '3' } } });
const REPEAT = Number(values.repeat);
/** With every account delegating to the pool, 1% custom-token accounts and one block winner: 2,000 payments. */
const ACCOUNTS = 2021;
const PAYMENTS = 2000;

/** A run's figures; a loop in this thread has no peak RSS of its own. */
type Timed = Omit<Measurement, 'peakMegabytes'> & { readonly peakMegabytes?: number };

/** The wall and CPU seconds `run` takes in this thread. */
function timed(run: () => void): Timed {
  const started = performance.now();
  const cpu = process.cpuUsage();
  run();
  const { user, system } = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (user + system) / 1e6 };
}

const dir = mkdtempSync(join(tmpdir(), 'minapay-bench-sign-'));
try {
  const ledger = ledgerFile(ACCOUNTS, 'json', 1);
  const journal = join(dir, 'journal');
  const planArgs = ['--ledger', ledger, '--blocks', blocksFile(ledger, 30), '--pool', BENCH_POOL, '--era', 'berkeley', '--epoch', '18', '--commission', '0.05'];
  measureMinapay(['payout', 'plan', ...planArgs, '--journal', journal]);
  const epochDir = epochDirectory(poolDirectory(journal, 'mainnet', [BENCH_POOL]), 18);
  const planPath = join(epochDir, PLAN_FILE);
  const plan = await readPlanFile(planPath);

  const client = new Client({ network: 'mainnet' });
  const sender = client.genKeys();
  const keyFile = join(dir, 'sender.key');
  writeFileSync(keyFile, `${sender.privateKey}\n`, { mode: 0o600 });
  // What `payout sign --nonce 0` signs: the plan's payments, its fee, its commitment as the memo, no expiry.
  const terms = { sender: sender.publicKey, firstNonce: 0n, fee: null, memo: defaultMemo(plan), validUntil: NO_EXPIRY };
  const unsigned = paymentData(plan, terms);
  const payments = unsigned.map(({ data }) => data);
  if (payments.length !== PAYMENTS) throw new Error(`the bench plan has ${payments.length} payments, not ${PAYMENTS}`);

  const signAndVerify = (data: PaymentData) => {
    const { signature } = client.signPayment(data, sender.privateKey);
    if (!client.verifyPayment({ data, signature, publicKey: data.from })) throw new Error('a signature does not verify');
    client.hashPayment({ data, signature, publicKey: data.from }, { berkeley: true });
  };
  const signedBytes: string[] = [];
  const payoutSign = (workers: string[]): Measurement => {
    rmSync(join(epochDir, SIGNED_FILE), { force: true });
    const measured = measureMinapay(['payout', 'sign', planPath, '--key-file', keyFile, '--nonce', '0', ...workers]);
    signedBytes.push(readFileSync(join(epochDir, SIGNED_FILE), 'utf8'));
    return measured;
  };
  const runs: Record<'bare' | 'verified' | 'checked' | 'one' | 'all', Timed[]> = { bare: [], verified: [], checked: [], one: [], all: [] };
  for (let round = 1; round <= REPEAT; round++) {
    process.stderr.write(`round ${round} of ${REPEAT}\n`);
    runs.bare.push(timed(() => payments.map((data) => client.signPayment(data, sender.privateKey))));
    runs.verified.push(timed(() => payments.forEach(signAndVerify)));
    runs.checked.push(timed(() => signPayments('mainnet', unsigned, sender.privateKey)));
    runs.one.push(payoutSign(['--workers', '1']));
    runs.all.push(payoutSign([]));
  }
  if (new Set(signedBytes).size !== 1) throw new Error('payout sign wrote different signed.json bytes with 1 worker and the default');

  const bare = median(runs.bare.map((m) => m.seconds));
  const row = (what: string, [seconds, cpu, peak]: [number, number, string]) =>
    `| ${what} | ${seconds.toFixed(1)} s | ${cpu.toFixed(1)} s | ${((seconds * 1000) / PAYMENTS).toFixed(1)} ms | ${peak} | ${(seconds / bare).toFixed(2)}x |`;
  const medians = (measured: readonly Timed[]): [number, number, string] => {
    const peaks = measured.flatMap((m) => (m.peakMegabytes === undefined ? [] : [m.peakMegabytes]));
    return [median(measured.map((m) => m.seconds)), median(measured.map((m) => m.cpuSeconds)), peaks.length === 0 ? 'n/a' : `${median(peaks)} MB`];
  };
  const defaultWorkers = Math.min(availableParallelism(), 8);
  process.stdout.write(
    [
      `load average ${loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')}; ${availableParallelism()} cores; median of ${REPEAT}; signed.json identical for 1 and ${defaultWorkers} workers`,
      `| ${PAYMENTS.toLocaleString('en')} payments | wall time | CPU time | wall time a payment | peak RSS | vs signPayment loop |`,
      '| --- | --- | --- | --- | --- | --- |',
      row('mina-signer `signPayment` loop, one thread', medians(runs.bare)),
      row('`signPayment` + `verifyPayment` + `hashPayment` loop, one thread', medians(runs.verified)),
      row("minapay's `signPayments` loop (sign, its own check, hash), one thread", medians(runs.checked)),
      row('`payout sign --workers 1` (in the main thread)', medians(runs.one)),
      row(`\`payout sign\` (default: ${defaultWorkers} workers)`, medians(runs.all)),
      '',
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
