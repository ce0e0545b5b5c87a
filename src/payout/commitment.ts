import type Client from 'mina-signer';

import type { Network } from '../protocol/eras.js';
import { type KeyPoint, keyPoint } from '../protocol/keys.js';
import { type MerkleTree, merkleHeight, merkleTree } from '../protocol/merkle-tree.js';
import { FIELD_BYTES } from '../protocol/pasta/pasta-module.js';
import { type FieldHasher, type FieldInputs, poseidon, writeFieldElement } from '../protocol/pasta/poseidon.js';
import type { StoredPlan } from './plan-file.js';
import type { PlanLine } from './plan.js';

/**
 * The commitment to a plan: a Merkle tree with one leaf per plan line, in
 * the plan's key order, as o1js builds trees (docs/protocol.md, "Payout
 * commitment"), so that an o1js zkApp can check a delegator's proof with
 * `MerkleWitness` as it stands.
 */

/** The leaf hash's prefix: exactly 20 characters, so that Mina's padding and o1js's (none) agree. */
export const LEAF_PREFIX = 'MinapayStatementLeaf';
/** The ledger index of a line whose account no longer delegates (paid a carried amount only): past any index. */
export const NO_LEDGER_INDEX = (1n << 64n) - 1n;
/** mina-signer's network ids, which its signatures also hash: mainnet 1, testnet and devnet 0. */
const NETWORK_ID: Readonly<Record<Network, bigint>> = { mainnet: 1n, devnet: 0n };

/** What one leaf commits to. Amounts in nanomina. */
export interface LeafValues {
  readonly pk: string;
  /** The account's position in the staking ledger export; null for a line without one. */
  readonly index: number | null;
  readonly stake: bigint;
  readonly gross: bigint;
  readonly commission: bigint;
  readonly amount: bigint;
  readonly fee: bigint;
  readonly epoch: number;
  readonly network: Network;
}

export function leafValues(line: PlanLine, epoch: number, network: Network): LeafValues {
  return {
    pk: line.pk,
    index: line.index,
    stake: line.stake,
    gross: line.gross,
    commission: line.commission,
    amount: line.amount,
    fee: line.txFee,
    epoch,
    network,
  };
}

/** A chunk of Mina's packed hash input: a value and its width in bits. */
type Chunk = readonly [value: bigint, bits: number];

/**
 * The field elements a leaf hashes, packed as Mina packs a record's hash
 * input (`Random_oracle.Input.Chunked`, o1js `packToFields` of a Struct's
 * `toInput`): the key's x as a field of its own, then the chunks, the first
 * most significant, as many per field as fit below 255 bits. For a Struct
 * { pk: PublicKey, mainnet: Bool, epoch: UInt32, index, stake, gross,
 * commission, amount, fee: UInt64 } that is [x, parity|mainnet|epoch|index|stake|gross, commission|amount|fee].
 * `point`: the key's point where a check of the key has decoded it already
 * (a pool delegator's, when the ledger was read), else the key is checked
 * and decoded here.
 */
export function leafFields(leaf: LeafValues, point: KeyPoint = keyPoint(leaf.pk)): bigint[] {
  const chunks: Chunk[] = [
    [point.isOdd ? 1n : 0n, 1],
    [NETWORK_ID[leaf.network], 1],
    [BigInt(leaf.epoch), 32],
    [leaf.index === null ? NO_LEDGER_INDEX : BigInt(leaf.index), 64],
    [leaf.stake, 64],
    [leaf.gross, 64],
    [leaf.commission, 64],
    [leaf.amount, 64],
    [leaf.fee, 64],
  ];
  return [point.x, ...packChunks(chunks)];
}

/** Mina's `pack_to_fields`: each field takes chunks while their widths add up to less than 255 bits. */
function packChunks(chunks: readonly Chunk[]): bigint[] {
  const fields: bigint[] = [];
  let field = 0n;
  let width = 0;
  for (const [value, bits] of chunks) {
    const shift = BigInt(bits);
    if (value < 0n || value >> shift !== 0n) throw new RangeError(`${value} does not fit ${bits} bits`);
    if (width + bits < 255) {
      field = (field << shift) | value;
      width += bits;
    } else {
      fields.push(field);
      field = value;
      width = bits;
    }
  }
  fields.push(field);
  return fields;
}

/** The elements of a leaf: the key's x, then two packed fields. */
const LEAF_FIELDS = 3;
const WORD_MAX = (1n << 64n) - 1n;

/**
 * leafFields(leaf, point) written as the Pasta module holds field elements
 * (32 bytes each, little-endian) from byte `offset` of `view`, without
 * BigInt arithmetic: each packed chunk is a whole number of bytes there but
 * the two one-bit flags, so the fields' bytes are the values' own, the last
 * chunk first. A plan's leaves are written so (some 4 ms cold at 2,528
 * lines, where making leafFields and writing them took 17 ms), while the
 * hashing thread waits for them.
 */
export function writeLeafFields(view: DataView, offset: number, leaf: LeafValues, point: KeyPoint = keyPoint(leaf.pk)): void {
  const word = (at: number, value: bigint) => {
    if (value < 0n || value > WORD_MAX) throw new RangeError(`${value} does not fit 64 bits`);
    view.setBigUint64(at, value, true);
  };
  if (!Number.isInteger(leaf.epoch) || leaf.epoch < 0 || leaf.epoch >= 2 ** 32) throw new RangeError(`${leaf.epoch} does not fit 32 bits`);
  writeFieldElement(view, offset, point.x);
  // parity | network | epoch | index | stake | gross
  const second = offset + FIELD_BYTES;
  word(second, leaf.gross);
  word(second + 8, leaf.stake);
  word(second + 16, leaf.index === null ? NO_LEDGER_INDEX : BigInt(leaf.index));
  view.setUint32(second + 24, leaf.epoch, true);
  view.setUint32(second + 28, Number(NETWORK_ID[leaf.network]) | ((point.isOdd ? 1 : 0) << 1), true);
  // commission | amount | fee
  const third = second + FIELD_BYTES;
  word(third, leaf.fee);
  word(third + 8, leaf.amount);
  word(third + 16, leaf.commission);
  view.setBigUint64(third + 24, 0n, true);
}

/** The leaves of a plan's lines, to hash: written as bytes (writeLeafFields). */
function leafInputs(lines: readonly PlanLine[], epoch: number, network: Network, knownPoints: ReadonlyMap<string, KeyPoint>): FieldInputs {
  return {
    count: lines.length,
    width: LEAF_FIELDS,
    write(index, view, offset) {
      const line = lines[index] as PlanLine;
      writeLeafFields(view, offset, leafValues(line, epoch, network), knownPoints.get(line.pk));
      return LEAF_FIELDS;
    },
  };
}

export function leafHash(leaf: LeafValues, point?: KeyPoint): bigint {
  return poseidon().hashWithPrefix(LEAF_PREFIX, leafFields(leaf, point));
}

/** The tree of a plan's lines. */
export interface PlanCommitment {
  readonly root: bigint;
  readonly height: number;
  readonly leaves: number;
  readonly tree: MerkleTree;
}

/** How planCommitment hashes. */
export interface CommitmentHashing {
  /** Points of keys that a check has decoded already (the pool's delegators', when the ledger was read), by key. */
  readonly knownPoints?: ReadonlyMap<string, KeyPoint>;
  /** This thread's Poseidon, or one that shares the work with a second thread. */
  readonly hasher?: FieldHasher;
  /** Work of this thread's own that needs no hash, done while a second thread hashes the leaves (FieldHasher.hashEach). */
  readonly alongside?: (() => void) | undefined;
}

/** The plan's tree. */
export function planCommitment(
  lines: readonly PlanLine[],
  epoch: number,
  network: Network,
  { knownPoints = new Map(), hasher = poseidon(), alongside }: CommitmentHashing = {},
): PlanCommitment {
  const leaves = hasher.hashEach(LEAF_PREFIX, leafInputs(lines, epoch, network, knownPoints), alongside);
  const height = merkleHeight(leaves.length);
  const tree = merkleTree(leaves, height, hasher);
  return { root: tree.root, height, leaves: leaves.length, tree };
}

/** What the sender's key signs at `payout sign`: the root and the plan's figures a delegator can hold it to. */
export interface CommitmentStatement {
  readonly root: bigint;
  readonly epoch: number;
  readonly network: Network;
  readonly leaves: number;
  /** Sum of the lines' amounts (nanomina). */
  readonly totalAmount: bigint;
  /** Sum of the lines' stakes (nanomina). */
  readonly totalStake: bigint;
}

/** The fields mina-signer's `signFields` signs: root, epoch, network id, leaf count, total amount, total stake. */
export function commitmentFields(statement: CommitmentStatement): bigint[] {
  return [statement.root, BigInt(statement.epoch), NETWORK_ID[statement.network], BigInt(statement.leaves), statement.totalAmount, statement.totalStake];
}

/** The memo that carries the commitment: `mp1:` and the first 28 of the root's 64 hex digits (112 bits), 32 bytes in all. */
export const MEMO_PREFIX = 'mp1:';
const MEMO_ROOT_DIGITS = 28;

export function commitmentMemo(root: bigint): string {
  return `${MEMO_PREFIX}${root.toString(16).padStart(64, '0').slice(0, MEMO_ROOT_DIGITS)}`;
}

/** The commitment a plan's payments are signed with, or null for a plan of format 1, which has none. */
export function plannedCommitment(plan: StoredPlan): CommitmentStatement | null {
  if (plan.commitment === null) return null;
  return {
    root: plan.commitment.root,
    epoch: plan.epoch,
    network: plan.network,
    leaves: plan.commitment.leaves,
    totalAmount: plan.lines.reduce((sum, line) => sum + line.amount, 0n),
    totalStake: plan.lines.reduce((sum, line) => sum + line.stake, 0n),
  };
}

/** The memo of payments whose line has none, unless --memo replaces it: the commitment, or nothing for a plan without one. */
export function defaultMemo(plan: StoredPlan): string {
  return plan.commitment === null ? '' : commitmentMemo(plan.commitment.root);
}

/** The commitment with the sender's signature over commitmentFields (mina-signer `signFields`, base58). */
export interface SignedCommitment extends CommitmentStatement {
  readonly signer: string;
  readonly signature: string;
}

export function signCommitment(client: Client, statement: CommitmentStatement, privateKey: string): SignedCommitment {
  const signed = client.signFields(commitmentFields(statement), privateKey);
  const commitment = { ...statement, signer: signed.publicKey, signature: signed.signature };
  if (!commitmentSignatureHolds(client, commitment)) throw new Error('the signature of the plan commitment does not verify');
  return commitment;
}

/** Whether the signature is the signer's over this commitment, on the client's network; a malformed one does not hold. */
export function commitmentSignatureHolds(client: Client, commitment: SignedCommitment): boolean {
  try {
    return client.verifyFields({ data: commitmentFields(commitment), signature: commitment.signature, publicKey: commitment.signer });
  } catch {
    return false;
  }
}
