import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';

import fc from 'fast-check';

import { planCommitment } from '../../src/payout/commitment.js';
import { SEGMENT_BYTES } from '../../src/payout/hashing-ring.js';
import { HashingThread } from '../../src/payout/hashing-thread.js';
import { computePlanDocument, type PlanRequest } from '../../src/payout/plan-document.js';
import { delegatorReport } from '../../src/payout/report.js';
import { ERAS, eraNamed } from '../../src/protocol/eras.js';
import { PALLAS_P } from '../../src/protocol/pasta/parameters.js';
import { type FieldHasher, fieldInputs, poseidon, writeFieldElement } from '../../src/protocol/pasta/poseidon.js';
import { FIXTURE_BLOCKS, FIXTURE_LEDGER, FIXTURE_POOL } from '../cli/fixture-plan.js';
import { ROOT, tempDir } from '../helpers.js';
import { syntheticPlan } from './synthetic-plan.js';

/** Bytes 0, 1, 2, ... (mod 251, so that no run repeats the segment's length). */
const bytes = (length: number, from: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (from + i) % 251);

/** hashEach over an array of inputs. */
const hashAll = (hasher: FieldHasher, prefix: string | null, inputs: readonly (readonly bigint[])[]): bigint[] =>
  hasher.hashEach(
    prefix,
    fieldInputs(inputs.length, (index) => inputs[index] as readonly bigint[]),
  );

describe('the hashing thread', () => {
  let thread: HashingThread;
  before(() => {
    thread = new HashingThread();
  });
  after(() => thread.stop());

  it('hashes each batch as this thread does, in order, in runs the two threads share', () => {
    const field = fc.bigInt({ min: 0n, max: PALLAS_P - 1n });
    fc.assert(
      fc.property(
        fc.constantFrom(null, 'MinapayStatementLeaf', 'CodaSignature*******'),
        fc.array(fc.array(field, { minLength: 0, maxLength: 3 }), { minLength: 0, maxLength: 40 }),
        (prefix, inputs) => {
          assert.deepEqual(hashAll(thread, prefix, inputs), hashAll(poseidon(), prefix, inputs));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('asks for each input once, in order, then does the work alongside once, and only then returns the hashes', () => {
    const done: string[] = [];
    const hashes = thread.hashEach(
      null,
      fieldInputs(100, (index) => {
        done.push(`input ${index}`);
        return [BigInt(index)];
      }),
      () => done.push('alongside'),
    );
    assert.deepEqual(done, [...Array.from({ length: 100 }, (_, i) => `input ${i}`), 'alongside']);
    assert.deepEqual(
      hashes,
      Array.from({ length: 100 }, (_, i) => poseidon().hash([BigInt(i)])),
    );
  });

  it('does the work alongside a batch too small to share, once its inputs are written', () => {
    const done: string[] = [];
    const written = (index: number, view: DataView, offset: number) => {
      done.push(`input ${index}`);
      writeFieldElement(view, offset, 1n);
      return 1;
    };
    const hashes = thread.hashEach(null, { count: 2, width: 1, write: written }, () => done.push('alongside'));
    assert.deepEqual(done, ['input 0', 'input 1', 'alongside']);
    assert.deepEqual(hashes, [poseidon().hash([1n]), poseidon().hash([1n])]);
  });

  it("gives a plan's commitment as one thread does: the same root and every level", () => {
    const plan = syntheticPlan(301);
    const alone = planCommitment(plan.lines, plan.epoch, plan.network);
    const shared = planCommitment(plan.lines, plan.epoch, plan.network, { hasher: thread });
    assert.equal(shared.root, alone.root);
    assert.deepEqual(shared.tree.levels, alone.tree.levels);
  });
});

describe("the hashing thread's failures", () => {
  const outsideField = (from: number) => Array.from({ length: 32 }, (_, i) => (i < from ? [1n] : [PALLAS_P]));

  it("passes on the worker's failure as an error, and refuses every later call", async () => {
    const thread = new HashingThread();
    try {
      // The worker answers a batch once its Poseidon is loaded; then, while this thread sleeps alongside, it takes the
      // next batch's one run, whose second half are inputs longer than Poseidon here takes.
      hashAll(thread, null, outsideField(32));
      const sleep = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
      const failing = Array.from({ length: 32 }, (_, i) => Array.from({ length: i < 16 ? 1 : 17 }, () => 1n));
      assert.throws(
        () =>
          thread.hashEach(
            null,
            fieldInputs(failing.length, (index) => failing[index]!),
            sleep,
          ),
        /the hashing thread failed: .*at most 16/,
      );
      assert.throws(() => hashAll(thread, null, outsideField(32)), /the hashing thread failed/);
    } finally {
      await thread.stop();
    }
  });

  it('refuses a value outside the field as it writes the inputs, before any is handed out, and every later call', async () => {
    const thread = new HashingThread();
    try {
      assert.throws(() => hashAll(thread, null, outsideField(31)), /is not an element of the Pallas base field/);
      assert.throws(() => hashAll(thread, null, outsideField(32)), /the hashing thread failed: .*Pallas/);
      assert.throws(() => thread.ledgerDigest(), /the hashing thread failed/);
    } finally {
      await thread.stop();
    }
  });

  it('starts under V8 flags on the command line, as bin/minapay.js and operators give them', () => {
    const script = join(tempDir(), 'flags.mts');
    const module = pathToFileURL(join(ROOT, 'src', 'payout', 'hashing-thread.ts')).href;
    writeFileSync(
      script,
      `import { HashingThread } from ${JSON.stringify(module)};
const thread = new HashingThread();
thread.ledgerBytes(new Uint8Array([1, 2, 3]));
console.log(thread.ledgerDigest());
await thread.stop();
`,
    );
    const flags = ['--max-semi-space-size=4', '--max-old-space-size=512', '--expose-gc'];
    const result = spawnSync(process.execPath, [...flags, '--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(
      result.stdout.trim(),
      createHash('sha256')
        .update(new Uint8Array([1, 2, 3]))
        .digest('hex'),
    );
  });
});

describe("the hashing thread's ledger digest", () => {
  it('is the SHA-256 of every byte taken, however the bytes come: runs across segments and around the ring', async () => {
    // A run longer than the ring, runs that end on a segment's edge, and an empty one.
    const lengths = [0, 1, SEGMENT_BYTES - 1, 1, SEGMENT_BYTES, 3 * SEGMENT_BYTES + 17, 64 * 1024, 5 * SEGMENT_BYTES, 12_345];
    const thread = new HashingThread();
    const expected = createHash('sha256');
    let offset = 0;
    try {
      for (const length of lengths) {
        const run = bytes(length, offset);
        offset += length;
        thread.ledgerBytes(run);
        expected.update(run);
      }
      assert.equal(thread.ledgerDigest(), expected.digest('hex'));
    } finally {
      await thread.stop();
    }
  });

  it('takes bytes read into the memory it lends where they lie, around the ring, as if they were copied in', async () => {
    // Reads fill what is lent unless the file ends; the next is lent before the last is taken, as the ledger's read does.
    const thread = new HashingThread();
    const expected = createHash('sha256');
    let offset = 0;
    const fill = (memory: Uint8Array, length: number): Uint8Array => {
      memory.set(bytes(length, offset));
      offset += length;
      return memory.subarray(0, length);
    };
    try {
      let lent = thread.ledgerMemory();
      for (let read = 0; read < 7 * (SEGMENT_BYTES / lent.length); read++) {
        const chunk = fill(lent, lent.length);
        lent = thread.ledgerMemory();
        assert.ok(lent.byteOffset !== chunk.byteOffset, 'the next memory is not the one just read into');
        thread.ledgerBytes(chunk);
        expected.update(chunk);
      }
      const last = fill(lent, 1234);
      thread.ledgerBytes(last);
      expected.update(last);
      assert.equal(thread.ledgerDigest(), expected.digest('hex'));
    } finally {
      await thread.stop();
    }
  });

  it('fails at once, not after its timeout, once the worker is gone', async () => {
    const thread = new HashingThread();
    await thread.stop();
    assert.throws(() => thread.ledgerBytes(bytes(5 * SEGMENT_BYTES, 0)), /the hashing thread was stopped/);
    assert.throws(() => thread.ledgerDigest(), /the hashing thread was stopped/);
  });

  it("makes no difference to a plan: the fixtures' plan document is the same with the thread as without", async () => {
    process.chdir(ROOT);
    const request: PlanRequest = {
      network: 'mainnet',
      ledger: FIXTURE_LEDGER,
      blocks: FIXTURE_BLOCKS,
      overrides: undefined,
      programs: undefined,
      pools: [FIXTURE_POOL],
      epoch: 18,
      chooseEra: () => ({ era: eraNamed(ERAS.mainnet, 'berkeley'), learnedFrom: 'option' }),
      terms: { commission: { num: 1n, den: 20n }, fees: 'share', minPayout: 0n, txFee: 10_000_000n, feePayer: 'pool', selfPayTo: null },
      carriedIn: new Map(),
      carriedFrom: null,
    };
    const alone = await computePlanDocument(request, {});
    let reportWhileHashing = '';
    const shared = await computePlanDocument(request, {
      hashingThreadFrom: 0,
      whileHashing: (plan, report) => {
        reportWhileHashing = delegatorReport(report, plan.lines);
      },
    });
    assert.deepEqual(shared.document, alone.document);
    assert.equal(reportWhileHashing, delegatorReport(alone.report, alone.plan.lines), 'the report rendered while the thread hashes');
  });
});
