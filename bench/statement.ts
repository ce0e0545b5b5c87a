/**
 * `npm run bench:statement`: the time to build a plan's Merkle tree and all
 * its statements and page, for 1,000 and 5,000 delegators (target: at most
 * 10 s for 5,000), and `minapay payout statement` end to end on a journal
 * holding that plan (reading it, building, writing every file). Also the
 * tree on mina-signer's BigInt Poseidon, for comparison (a sample of leaves,
 * scaled). Each figure is the median of --repeat runs; the load average is
 * printed, since other work on the machine slows every figure.
 *
 *   npm run build && npm run bench:statement [-- --repeat 3]
 *
 * The payments are not signed (signing 5,000 takes a minute and statements
 * do not check payment signatures: `statement verify` does); the
 * commitment's signature is real, since `payout statement` checks it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import Client from 'mina-signer';

import { leafFields, leafValues, LEAF_PREFIX, planCommitment, plannedCommitment, signCommitment } from '../src/payout/commitment.js';
import { epochDirectory, PLAN_FILE, poolDirectory, SIGNED_FILE } from '../src/payout/journal.js';
import { formatPlanDocument, type StoredPlan } from '../src/payout/plan-file.js';
import { signerFor } from '../src/payout/sign.js';
import { plannedPayments, signedDocument, type SignedPayments } from '../src/payout/signed-file.js';
import { signedEpochStatements, statementDocument } from '../src/payout/statement.js';
import { DEFAULT_EXPLORER, statementPage } from '../src/payout/statement-page.js';
import { syntheticPlan } from '../test/payout/synthetic-plan.js';
import { hashWithPrefix, Poseidon as SignerPoseidon } from '../test/protocol/vrf-oracle.js';
import { measureMinapay, median } from './harness.js';

const { values } = parseArgs({ options: { repeat: { type: 'string', default: '3' } } });
const REPEAT = Number(values.repeat);
const SIZES = [1000, 5000];
const SIGNER_SAMPLE = 100;

function seconds(run: () => void): number {
  const started = performance.now();
  run();
  return (performance.now() - started) / 1000;
}

/** The plan's payments as signed.json holds them, with stand-in signatures and hashes (see above). */
function unsignedPayments(plan: StoredPlan, sender: string): SignedPayments['payments'] {
  return plannedPayments(plan, sender).map((payment, index) => {
    const nonce = BigInt(index);
    const data = {
      to: payment.payTo,
      from: sender,
      amount: payment.amount.toString(),
      fee: payment.txFee.toString(),
      nonce: nonce.toString(),
      memo: 'mp1:bench',
      validUntil: '4294967295',
    };
    return { pk: payment.line.pk, nonce, hash: `5Jbench${index}`, data, signature: { field: '1', scalar: '1' } };
  });
}

/** Seconds per leaf plus its share of the tree on mina-signer's Poseidon: two permutations a leaf, about one a node. */
function signerTreeSeconds(plan: StoredPlan, leaves: number): number {
  const sample = plan.lines.slice(0, SIGNER_SAMPLE);
  const hashSample = () =>
    seconds(() => {
      for (const line of sample) {
        const leaf = hashWithPrefix(LEAF_PREFIX, leafFields(leafValues(line, plan.epoch, plan.network)));
        SignerPoseidon.hash([leaf, leaf]);
      }
    });
  hashSample(); // warm-up
  return (median(Array.from({ length: REPEAT }, hashSample)) / sample.length) * leaves;
}

const keys = new Client({ network: 'mainnet' }).genKeys();
const client = signerFor('mainnet');
process.stdout.write(
  `load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}; median of ${REPEAT}\n`,
);
process.stdout.write('| delegators | tree (WebAssembly) | tree (mina-signer, estimated) | tree + statements + page | payout statement (CLI) |\n');
process.stdout.write('| --- | --- | --- | --- | --- |\n');
for (const size of SIZES) {
  const plan = syntheticPlan(size);
  const signed: SignedPayments = {
    planHash: plan.planHash,
    network: 'mainnet',
    epoch: plan.epoch,
    sender: keys.publicKey,
    payments: unsignedPayments(plan, keys.publicKey),
    commitment: signCommitment(client, plannedCommitment(plan)!, keys.privateKey),
  };
  const tree = median(Array.from({ length: REPEAT }, () => seconds(() => planCommitment(plan.lines, plan.epoch, plan.network))));
  const all = median(
    Array.from({ length: REPEAT }, () =>
      seconds(() => {
        const statements = signedEpochStatements({ plan, signed, records: [] }, 'plan.json', client);
        for (const statement of statements) statementDocument(statement);
        statementPage(plan, statements, DEFAULT_EXPLORER.mainnet);
      }),
    ),
  );
  const journal = mkdtempSync(join(tmpdir(), 'minapay-bench-'));
  try {
    const epochDir = epochDirectory(poolDirectory(journal, 'mainnet', plan.pools), plan.epoch);
    mkdirSync(epochDir, { recursive: true });
    writeFileSync(join(epochDir, PLAN_FILE), formatPlanDocument(plan.document));
    writeFileSync(join(epochDir, SIGNED_FILE), signedDocument(signed));
    const cli = median(Array.from({ length: REPEAT }, () => measureMinapay(['payout', 'statement', join(epochDir, PLAN_FILE)]).seconds));
    const estimate = signerTreeSeconds(plan, size);
    process.stdout.write(`| ${size.toLocaleString('en')} | ${tree.toFixed(2)} s | ${estimate.toFixed(1)} s | ${all.toFixed(2)} s | ${cli.toFixed(2)} s |\n`);
  } finally {
    rmSync(journal, { recursive: true, force: true });
  }
}
