import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import fc from 'fast-check';
import Client from 'mina-signer';

import { glvDecompose, wnaf } from '../../src/protocol/pasta/glv.js';
import {
  ENDOMORPHISM_BETA,
  ENDOMORPHISM_LAMBDA,
  KIMCHI_MDS,
  KIMCHI_ROUND_CONSTANTS,
  PALLAS_P,
  PALLAS_Q,
  TWO_ADIC_ROOT,
} from '../../src/protocol/pasta/parameters.js';
import { VrfEngine } from '../../src/protocol/pasta/vrf-engine.js';
import {
  blake2b256,
  compareBytes,
  daemonsChoice,
  decodeEpochSeed,
  encodeEpochSeed,
  privateKeyScalar,
  truncateVrfOutput,
  vrfOutputBase58,
  vrfOutputBase64,
  vrfOutputBytes,
  vrfOutputFraction,
  vrfWins,
  winningBound,
} from '../../src/protocol/vrf.js';
import { daemonThreshold } from '../../src/protocol/vrf-threshold.js';
import { fixture, ROOT } from '../helpers.js';
import { evenYHashToCurve, oracleVrf, Pallas, poseidonParamsKimchiFp } from './vrf-oracle.js';

interface EvaluationVector {
  readonly name: string;
  readonly source: string;
  readonly privateKey: string;
  readonly publicKey?: string;
  readonly seed: string;
  readonly slot: number;
  readonly index: number;
  readonly stake?: string;
  readonly totalCurrency?: string;
  readonly output?: string;
  readonly outputBase64?: string;
  readonly fraction?: number;
  readonly won?: boolean;
  readonly lastVrfOutputBase64?: string;
}

const VECTORS = JSON.parse(readFileSync(fixture('vrf', 'reference-vectors.json'), 'utf8')) as {
  evaluations: EvaluationVector[];
  encodings: { name: string; truncated: string; output: string }[];
  notPostBerkeley: EvaluationVector[];
};

const seedOf = (text: string): bigint => (/^\d+$/.test(text) ? BigInt(text) : decodeEpochSeed(text, 'vector'));

function evaluate(vector: EvaluationVector): bigint {
  const engine = new VrfEngine(privateKeyScalar(vector.privateKey, vector.name), seedOf(vector.seed));
  try {
    return truncateVrfOutput(engine.output(vector.slot, vector.index));
  } finally {
    engine.dispose();
  }
}

describe('the VRF reference vectors', () => {
  for (const vector of VECTORS.evaluations) {
    it(`${vector.name} (${vector.source})`, () => {
      const truncated = evaluate(vector);
      if (vector.output !== undefined) assert.equal(vrfOutputBase58(truncated), vector.output);
      if (vector.outputBase64 !== undefined) assert.equal(vrfOutputBase64(truncated), vector.outputBase64);
      if (vector.fraction !== undefined) assert.equal(vrfOutputFraction(truncated).toNumber(), vector.fraction);
      if (vector.won !== undefined) {
        assert.equal(vrfWins(truncated, daemonThreshold(BigInt(vector.stake as string), BigInt(vector.totalCurrency as string))), vector.won);
      }
      if (vector.publicKey !== undefined) assert.equal(new Client({ network: 'mainnet' }).derivePublicKey(vector.privateKey), vector.publicKey);
    });
  }

  for (const vector of VECTORS.encodings) {
    it(`encodes ${vector.name}`, () => {
      assert.equal(vrfOutputBase58(BigInt(vector.truncated)), vector.output);
    });
  }

  for (const vector of VECTORS.notPostBerkeley) {
    it(`knows the ${vector.name} is no post-Berkeley output`, () => {
      const carried = Buffer.from(vector.lastVrfOutputBase64 as string, 'base64url');
      assert.ok(carried.readUInt8(31) >= 0x20, 'a truncated output has bits 253 to 255 clear');
      assert.notEqual(vrfOutputBase64(evaluate(vector)), vector.lastVrfOutputBase64);
    });
  }
});

describe('the VRF evaluation', () => {
  const key = privateKeyScalar('EKEEpMELfQkMbJDt2fB4cFXKwSf1x4t7YD4twREy5yuJ84HBZtF9', 'test key');

  it('uses the Kimchi Poseidon constants and root of unity mina-signer has', () => {
    const hex = (rows: readonly (readonly string[])[]) => rows.map((row) => row.map((value) => BigInt(`0x${value}`)));
    assert.deepEqual(
      hex(KIMCHI_ROUND_CONSTANTS),
      poseidonParamsKimchiFp.roundConstants.map((row) => row.map(BigInt)),
    );
    assert.deepEqual(
      hex(KIMCHI_MDS),
      poseidonParamsKimchiFp.mds.map((row) => row.map(BigInt)),
    );
    assert.equal(TWO_ADIC_ROOT, 0x2bce74deac30ebda362120830561f81aea322bf2b7bb7584bdad6fabd87ea32fn);
  });

  it("equals the evaluation on mina-signer's primitives, step by step, for any key, seed, slot and index", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: PALLAS_Q - 1n }),
        fc.bigInt({ min: 0n, max: PALLAS_P - 1n }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 2 ** 35 - 1 }),
        (privateKey, seed, slot, index) => {
          const engine = new VrfEngine(privateKey, seed);
          const trace = engine.trace(slot, index);
          engine.dispose();
          const expected = oracleVrf(privateKey, seed, slot, index);
          assert.equal(trace.messageHash, expected.messageHash);
          assert.deepEqual(trace.h, expected.h);
          assert.deepEqual(trace.u, expected.u);
          assert.equal(trace.output, expected.output);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("splits any key into GLV halves of at most 128 bits in width-5 NAF, and the endomorphism's beta and lambda agree", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: PALLAS_Q - 1n }), (k) => {
        const { k1, k2 } = glvDecompose(k);
        assert.equal((((k1 + k2 * ENDOMORPHISM_LAMBDA - k) % PALLAS_Q) + PALLAS_Q) % PALLAS_Q, 0n);
        for (const half of [k1, k2]) {
          const digits = wnaf(half);
          assert.ok(digits.length <= 130);
          assert.equal(
            digits.reduceRight((value, digit) => 2n * value + BigInt(digit), 0n),
            half,
          );
          digits.forEach((digit, i) => {
            assert.ok(digit === 0 || (Math.abs(digit) % 2 === 1 && Math.abs(digit) < 16 && digits.slice(i + 1, i + 5).every((d) => d === 0)));
          });
        }
      }),
      { numRuns: 300 },
    );
    const g = Pallas.toAffine(Pallas.one);
    const image = Pallas.toAffine(Pallas.scale(Pallas.one, ENDOMORPHISM_LAMBDA));
    assert.deepEqual([image.x, image.y], [(ENDOMORPHISM_BETA * g.x) % PALLAS_P, g.y]);
  });

  it('is deterministic, and its truncated output is below 2^253', () => {
    const seed = decodeEpochSeed('2va9BGv9JrLTtrzZttiEMDYw1Zj6a6EHzXjmP9evHDTG3oEquURA', 'test');
    const first = new VrfEngine(key, seed);
    const second = new VrfEngine(key, seed);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 35 - 1 }), (slot, index) => {
        const output = first.output(slot, index);
        assert.equal(first.output(slot, index), output);
        assert.equal(second.output(slot, index), output);
        assert.ok(output < PALLAS_P);
        assert.ok(truncateVrfOutput(output) < 1n << 253n);
      }),
      { numRuns: 50 },
    );
  });

  it('takes the square root as computed: making y even, as a library helper does, changes the point for some messages', () => {
    const seed = 12345n;
    let changed = 0;
    for (let slot = 0; slot < 40; slot++) {
      const { messageHash, h } = oracleVrf(key, seed, slot, 0);
      if (evenYHashToCurve(messageHash).y !== h.y) changed++;
    }
    assert.ok(changed > 5 && changed < 35, `${changed} of 40 points had an odd y`);
  });

  it('refuses a slot or an index outside 32 and 35 bits', () => {
    const engine = new VrfEngine(key, 0n);
    assert.throws(() => engine.output(2 ** 32, 0), RangeError);
    assert.throws(() => engine.output(0, 2 ** 35), RangeError);
    assert.throws(() => engine.output(-1, 0), RangeError);
  });
});

describe('the win test', () => {
  const stakes = fc
    .tuple(fc.bigInt({ min: 1n, max: 10n ** 18n }), fc.bigInt({ min: 1n, max: 10n ** 18n }))
    .map(([a, b]) => (a <= b ? { stake: a, total: b } : { stake: b, total: a }));

  it('agrees with the exact threshold at its boundary: the bound wins, one more loses', () => {
    fc.assert(
      fc.property(stakes, ({ stake, total }) => {
        const threshold = daemonThreshold(stake, total);
        const bound = winningBound(threshold);
        if (bound >= 0n) assert.equal(vrfWins(bound, threshold), true);
        assert.equal(vrfWins(bound + 1n, threshold), false);
        // The bound is floor(numerator * 2^253 / 2^bits), so the fraction of bound + 1 exceeds the threshold.
        const scaled = threshold.numerator << 253n;
        assert.ok(bound << BigInt(threshold.denominatorBits) <= scaled && scaled < (bound + 1n) << BigInt(threshold.denominatorBits));
      }),
      { numRuns: 300 },
    );
  });

  it('never lets an account below the 2^-20 floor win', () => {
    const threshold = daemonThreshold(1n, 2n ** 21n);
    assert.equal(threshold.truncatedAlpha, 0n);
    assert.equal(vrfWins(0n, threshold), true, 'an output of exactly 0 would win even there: the daemon compares <=');
    assert.equal(vrfWins(1n, threshold), false);
  });
});

describe('VRF inputs and encodings', () => {
  it('decodes and re-encodes an epoch seed, and refuses other base58 strings', () => {
    const text = '2va9BGv9JrLTtrzZttiEMDYw1Zj6a6EHzXjmP9evHDTG3oEquURA';
    assert.equal(encodeEpochSeed(decodeEpochSeed(text, '--seed')), text);
    assert.throws(() => decodeEpochSeed('jwNw4qb6tnNhpQNxiMLem9WumxZTwmbSx3fYXW4FP3hZRkoQJSE', '--seed'), { code: 'INVALID_EPOCH_SEED' });
    assert.throws(() => decodeEpochSeed('2va9BGv9JrLTtrzZttiEMDYw1Zj6a6EHzXjmP9evHDTG3oEquURB', '--seed'), { code: 'INVALID_EPOCH_SEED' });
  });

  it('names where a bad key came from, never the key', () => {
    const notAKey = '2va9BGv9JrLTtrzZttiEMDYw1Zj6a6EHzXjmP9evHDTG3oEquURA';
    assert.throws(
      () => privateKeyScalar(notAKey, 'key.txt'),
      (error: Error) => (error as { code?: string }).code === 'KEY_INVALID' && !error.message.includes(notAKey),
    );
  });

  it('hashes with Blake2b-256 (RFC 7693 parameters, 32-byte digest)', async () => {
    const digest = await blake2b256(new TextEncoder().encode('abc'));
    assert.equal(Buffer.from(digest).toString('hex'), 'bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319');
  });

  it("keeps, among a slot's winners, the one whose Blake2b-256 digest of the output is greatest, in any order", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.bigInt({ min: 0n, max: (1n << 253n) - 1n }), { minLength: 1, maxLength: 6 }), async (outputs) => {
        const winners = outputs.map((truncated, index) => ({ index, truncated }));
        const digests = await Promise.all(winners.map((w) => blake2b256(vrfOutputBytes(w.truncated))));
        const best = digests.reduce((top, digest, i) => (compareBytes(digest, digests[top] as Uint8Array) > 0 ? i : top), 0);
        assert.equal((await daemonsChoice(winners)).index, best);
        assert.equal((await daemonsChoice([...winners].reverse())).index, best);
      }),
      { numRuns: 50 },
    );
  });
});

describe('the committed WebAssembly module', () => {
  it('is the build of assembly/pasta-vrf.ts', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'assembly/build-vrf-wasm.ts', '--check'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    assert.equal(result.status, 0, result.stderr);
  });
});
