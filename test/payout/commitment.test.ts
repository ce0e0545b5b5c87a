import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import fc from 'fast-check';
import { Bool, Field, MerkleTree, MerkleWitness, Poseidon as O1jsPoseidon, PublicKey, Struct, UInt32, UInt64 } from 'o1js';

import {
  commitmentMemo,
  LEAF_PREFIX,
  leafFields,
  leafHash,
  type LeafValues,
  NO_LEDGER_INDEX,
  planCommitment,
  writeLeafFields,
} from '../../src/payout/commitment.js';
import { readPlanDocument } from '../../src/payout/plan-file.js';
import { encodedMemo, memoText } from '../../src/payout/transaction-id.js';
import { merkleHeight, merklePath, merkleRootFromPath, merkleTree } from '../../src/protocol/merkle-tree.js';
import { keyPoint } from '../../src/protocol/keys.js';
import { PALLAS_P } from '../../src/protocol/pasta/parameters.js';
import { readFieldAt } from '../../src/protocol/pasta/pasta-module.js';
import { fieldInputs, poseidon, writeFieldElement } from '../../src/protocol/pasta/poseidon.js';
import { fixture } from '../helpers.js';
import { hashWithPrefix, Poseidon as SignerPoseidon } from '../protocol/vrf-oracle.js';
// o1js packs a Struct's hash input with packToFields, which it does not export from its entry point.
import { packToFields } from '../../node_modules/o1js/dist/node/lib/provable/crypto/poseidon.js';

const field = fc.bigInt({ min: 0n, max: PALLAS_P - 1n });
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const KEYS = [
  'B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1',
  'B62qpR8BVdV86jgnzCzHebvAcSVnKb4yWigJBrUWmdDUZy1qsHtHUrG',
  'B62qnx5hKBFHZFUFjpEXzh2du8wRegCHrp3kL17gY7qxMBFQcBycJM5',
  'B62qrMi68WSSWpmb3Yfp7ztzAFx6gUyF26VAzPNgYEoYKRASRj2pqZK',
];

/** The leaf as an o1js zkApp would declare it: its hash input is the key's x, then the rest packed, in this order. */
class PayoutLeaf extends Struct({
  pk: PublicKey,
  mainnet: Bool,
  epoch: UInt32,
  index: UInt64,
  stake: UInt64,
  gross: UInt64,
  commission: UInt64,
  amount: UInt64,
  fee: UInt64,
}) {}

function o1jsLeafHash(leaf: LeafValues): bigint {
  const value = new PayoutLeaf({
    pk: PublicKey.fromBase58(leaf.pk),
    mainnet: Bool(leaf.network === 'mainnet'),
    epoch: UInt32.from(leaf.epoch),
    index: UInt64.from(leaf.index === null ? NO_LEDGER_INDEX : BigInt(leaf.index)),
    stake: UInt64.from(leaf.stake),
    gross: UInt64.from(leaf.gross),
    commission: UInt64.from(leaf.commission),
    amount: UInt64.from(leaf.amount),
    fee: UInt64.from(leaf.fee),
  });
  const { fields = [], packed = [] } = PayoutLeaf.toInput(value);
  return O1jsPoseidon.hashWithPrefix(LEAF_PREFIX, packToFields({ fields, packed })).toBigInt();
}

const leafArbitrary = fc.record({
  pk: fc.constantFrom(...KEYS),
  index: fc.option(fc.integer({ min: 0, max: 2 ** 35 - 1 })),
  stake: u64,
  gross: u64,
  commission: u64,
  amount: u64,
  fee: u64,
  epoch: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  network: fc.constantFrom('mainnet' as const, 'devnet' as const),
});

/** Poseidon.hashWithPrefix, or Poseidon.hash for a null prefix, of one input on its own. */
const hashAlone = (prefix: string | null, fields: readonly bigint[]): bigint =>
  prefix === null ? poseidon().hash(fields) : poseidon().hashWithPrefix(prefix, fields);

describe('Poseidon in WebAssembly', () => {
  it("equals mina-signer's Poseidon on random inputs of 0 to 16 field elements, with and without a prefix", () => {
    fc.assert(
      fc.property(fc.array(field, { maxLength: 16 }), (fields) => {
        assert.equal(poseidon().hash(fields), SignerPoseidon.hash(fields));
        assert.equal(poseidon().hashWithPrefix(LEAF_PREFIX, fields), hashWithPrefix(LEAF_PREFIX, fields));
        assert.equal(poseidon().hashWithPrefix('MinaVrfMessage', fields), hashWithPrefix('MinaVrfMessage', fields));
      }),
      // The largest and smallest elements too: the permutation converts them into limbs of 29 bits and back.
      { numRuns: 40, examples: [[[PALLAS_P - 1n, PALLAS_P - 1n, PALLAS_P - 1n]], [[0n, 0n]], [[1n, PALLAS_P - 1n]]] },
    );
  });

  it('refuses a value outside the field rather than reducing it', () => {
    assert.throws(() => poseidon().hash([PALLAS_P]), RangeError);
  });

  it('hashes field elements held as bytes, as a second thread does from shared memory, to the hash of the same elements', () => {
    // Inputs of one to three lengths side by side: neighbours of one length are hashed two at once, the others one by one.
    const inputs = fc.array(fc.array(field, { maxLength: 16 }), { minLength: 1, maxLength: 9 });
    fc.assert(
      fc.property(fc.constantFrom(null, LEAF_PREFIX), inputs, fc.nat(8), (prefix, all, skipped) => {
        const from = Math.min(skipped, all.length - 1);
        const stride = 16 * 32 + 8;
        const held = { inputs: new Uint8Array(all.length * stride), stride, lengths: new Uint8Array(all.length), hashes: new Uint8Array(all.length * 32) };
        all.forEach((fields, index) => {
          held.lengths[index] = fields.length;
          fields.forEach((value, i) => {
            writeFieldElement(new DataView(held.inputs.buffer), index * stride + i * 32, value);
          });
        });
        poseidon().hashBytes(prefix, held, from, all.length);
        const hashes = new DataView(held.hashes.buffer);
        all.forEach((fields, index) => {
          assert.equal(readFieldAt(hashes, index * 32), index < from ? 0n : hashAlone(prefix, fields), `input ${index}`);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('hashes each of many inputs, two at once where they are as long, to the hash of each alone', () => {
    const inputs = fc.array(fc.oneof(fc.array(field, { minLength: 2, maxLength: 3 }), fc.array(field, { maxLength: 9 })), { maxLength: 9 });
    fc.assert(
      fc.property(fc.constantFrom(null, LEAF_PREFIX), inputs, (prefix, all) => {
        const asked: number[] = [];
        const hashes = poseidon().hashEach(
          prefix,
          fieldInputs(all.length, (index) => {
            asked.push(index);
            return all[index]!;
          }),
        );
        assert.deepEqual(asked, [...all.keys()]);
        assert.deepEqual(
          hashes,
          all.map((fields) => hashAlone(prefix, fields)),
        );
      }),
      { numRuns: 40 },
    );
  });
});

describe('the Merkle tree', () => {
  it("has o1js MerkleTree's root for any leaves, and each path is o1js's witness and leads back to the root", () => {
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 20 }), (leaves) => {
        const height = merkleHeight(leaves.length);
        const tree = merkleTree(leaves, height);
        const reference = new MerkleTree(height);
        leaves.forEach((leaf, i) => {
          reference.setLeaf(BigInt(i), Field(leaf));
        });
        assert.equal(tree.root, reference.getRoot().toBigInt());
        class Witness extends MerkleWitness(height) {}
        leaves.forEach((leaf, i) => {
          const witness = reference.getWitness(BigInt(i));
          const path = merklePath(tree, i);
          assert.deepEqual(
            path,
            witness.map((step) => step.sibling.toBigInt()),
          );
          assert.deepEqual(
            witness.map((step) => step.isLeft),
            path.map((_, level) => ((i >> level) & 1) === 0),
          );
          assert.equal(merkleRootFromPath(leaf, i, path), tree.root);
          assert.equal(new Witness(witness).calculateRoot(Field(leaf)).toBigInt(), tree.root);
        });
      }),
      { numRuns: 15 },
    );
  });

  it('takes the smallest height that holds the leaves, and at least 2', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 2000, 2048, 2049].map(merkleHeight), [2, 2, 3, 3, 4, 12, 12, 13]);
  });
});

describe('the payout commitment', () => {
  it('hashes a leaf as o1js hashes a Struct of the same values under the same prefix', () => {
    fc.assert(
      fc.property(leafArbitrary, (leaf) => {
        assert.equal(leafHash(leaf), o1jsLeafHash(leaf));
        assert.equal(leafHash(leaf, keyPoint(leaf.pk)), o1jsLeafHash(leaf), "the same with the key's point decoded before");
      }),
      { numRuns: 25 },
    );
  });

  it('packs a leaf into three field elements: x, then parity to gross, then commission to fee', () => {
    const leaf: LeafValues = { pk: KEYS[0]!, index: 5, stake: 7n, gross: 11n, commission: 13n, amount: 17n, fee: 19n, epoch: 3, network: 'mainnet' };
    const [x, first, second] = leafFields(leaf);
    assert.equal(x, PublicKey.fromBase58(leaf.pk).x.toBigInt());
    const parity = PublicKey.fromBase58(leaf.pk).isOdd.toBoolean() ? 1n : 0n;
    assert.equal(first, ((((((parity * 2n + 1n) << 32n) + 3n) << 64n) | 5n) << 128n) + (7n << 64n) + 11n);
    assert.equal(second, (13n << 128n) + (17n << 64n) + 19n);
  });

  it('writes a leaf as bytes exactly as its three fields are written, and refuses what leafFields refuses', () => {
    const bytesOf = (write: (view: DataView) => void) => {
      // Garbage first: every byte of the three elements must be written.
      const view = new DataView(new Uint8Array(8 + 96).fill(0xa5).buffer);
      write(view);
      return new Uint8Array(view.buffer);
    };
    const outOfRange = fc.oneof(fc.bigInt({ min: 1n << 64n, max: 1n << 70n }), fc.bigInt({ min: -(1n << 8n), max: -1n }));
    const amount = fc.oneof({ weight: 4, arbitrary: u64 }, { weight: 1, arbitrary: outOfRange });
    const epoch = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 2 ** 32 - 1 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 2 ** 32, 1.5) });
    fc.assert(
      fc.property(leafArbitrary, amount, epoch, fc.constantFrom('stake', 'gross', 'commission', 'amount', 'fee'), (leaf, value, at, field) => {
        const odd = { ...leaf, [field]: value, epoch: at };
        const fields = (() => {
          try {
            return leafFields(odd);
          } catch (error) {
            return error as Error;
          }
        })();
        if (fields instanceof Error) {
          assert.throws(() => bytesOf((view) => writeLeafFields(view, 8, odd)), RangeError);
          return;
        }
        const expected = bytesOf((view) => {
          fields.forEach((element, i) => {
            writeFieldElement(view, 8 + 32 * i, element);
          });
        });
        assert.deepEqual(
          bytesOf((view) => writeLeafFields(view, 8, odd)),
          expected,
        );
        assert.deepEqual(
          bytesOf((view) => writeLeafFields(view, 8, odd, keyPoint(odd.pk))),
          expected,
        );
      }),
      { numRuns: 200 },
    );
  });

  it("gives the checked-in fixture plan its recorded root, from its lines alone, as o1js's tree of o1js's leaves does", () => {
    const path = fixture('expected', 'post-berkeley.epoch-18.plan.json');
    const plan = readPlanDocument(readFileSync(path, 'utf8'), path);
    const commitment = planCommitment(plan.lines, plan.epoch, plan.network);
    assert.equal(commitment.root, plan.commitment?.root);
    assert.equal(commitment.root, 25298209278963410003088843260773910135295377527356805112575764885884217535759n);
    const reference = new MerkleTree(commitment.height);
    plan.lines.forEach((line, i) => {
      const leaf = { pk: line.pk, index: line.index, stake: line.stake, gross: line.gross, commission: line.commission, amount: line.amount, fee: line.txFee };
      reference.setLeaf(BigInt(i), Field(o1jsLeafHash({ ...leaf, epoch: plan.epoch, network: plan.network })));
    });
    assert.equal(reference.getRoot().toBigInt(), commitment.root);
  });

  it('puts "mp1:" and the first 28 hex digits of the root in a 32-byte memo', () => {
    const memo = commitmentMemo(0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdefn);
    assert.equal(memo, 'mp1:0123456789abcdef0123456789ab');
    assert.equal(Buffer.byteLength(memo), 32);
    assert.equal(commitmentMemo(5n), `mp1:${'0'.repeat(28)}`);
  });

  it("reads memos as the daemon's GraphQL shows them: base58check of 0x14 and the 34 memo bytes", () => {
    // MinaProtocol/mina's base58 regression test of Signed_command_memo.empty.
    assert.equal(encodedMemo(''), 'E4YM2vTHhWEg66xpj52JErHUBU4pZ1yageL4TVDDpTTSsv8mK6YaH');
    assert.equal(memoText('E4YM2vTHhWEg66xpj52JErHUBU4pZ1yageL4TVDDpTTSsv8mK6YaH'), '');
    const memo = commitmentMemo(123456789n);
    assert.equal(memoText(encodedMemo(memo)), memo);
    assert.equal(memoText(encodedMemo('é'.repeat(16))), 'é'.repeat(16));
    assert.equal(memoText('B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1'), null);
  });
});
