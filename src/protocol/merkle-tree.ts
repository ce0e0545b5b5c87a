import { type FieldHasher, fieldInputs, poseidon } from './pasta/poseidon.js';

/**
 * A Merkle tree of fixed height as o1js builds it (`MerkleTree`,
 * `MerkleWitness`): 2^(height - 1) leaves, an empty leaf is 0, a node is
 * Poseidon.hash([left, right]) with no prefix, and an empty subtree of
 * level k hashes to zeros[k]. Only the nodes above the leaves given are
 * computed; the rest of each level is zeros.
 */
export interface MerkleTree {
  readonly height: number;
  /** levels[0] are the leaves, levels[height - 1] holds the root. */
  readonly levels: readonly (readonly bigint[])[];
  readonly root: bigint;
  /** The hash of an empty subtree at each level. */
  readonly zeros: readonly bigint[];
}

/** The hash of an empty subtree at each level: zeros[0] = 0, zeros[k] = hash(zeros[k - 1], zeros[k - 1]). */
function emptySubtrees(height: number): bigint[] {
  const zeros = [0n];
  for (let level = 1; level < height; level++) zeros.push(merkleParent(zeros[level - 1]!, zeros[level - 1]!));
  return zeros;
}

export function merkleParent(left: bigint, right: bigint): bigint {
  return poseidon().hash([left, right]);
}

/** The height a tree of `leaves` leaves gets: the smallest that holds them, and at least 2 so that every proof has a sibling. */
export function merkleHeight(leaves: number): number {
  let height = 2;
  while (2 ** (height - 1) < leaves) height++;
  return height;
}

/** The tree over `leaves`; `hasher` hashes each level's pairs of nodes (this thread's Poseidon, or one that shares the work). */
export function merkleTree(leaves: readonly bigint[], height: number, hasher: FieldHasher = poseidon()): MerkleTree {
  if (leaves.length > 2 ** (height - 1)) throw new RangeError(`${leaves.length} leaves do not fit a tree of height ${height}`);
  const zeros = emptySubtrees(height);
  const levels: bigint[][] = [[...leaves]];
  for (let level = 1; level < height; level++) {
    const below = levels[level - 1]!;
    const empty = zeros[level - 1]!;
    levels.push(
      hasher.hashEach(
        null,
        fieldInputs(Math.ceil(below.length / 2), (pair) => [below[2 * pair]!, below[2 * pair + 1] ?? empty]),
      ),
    );
  }
  return { height, levels, root: levels[height - 1]![0] ?? zeros[height - 1]!, zeros };
}

/** The siblings of leaf `position` from the leaves up (o1js `getWitness`, without its isLeft flags: they are the position's bits). */
export function merklePath(tree: MerkleTree, position: number): bigint[] {
  const path: bigint[] = [];
  let index = position;
  for (let level = 0; level < tree.height - 1; level++) {
    path.push(tree.levels[level]![index ^ 1] ?? tree.zeros[level]!);
    index >>= 1;
  }
  return path;
}

/** The root a leaf at `position` leads to with its siblings (o1js `MerkleWitness.calculateRoot`): bit k of the position says the leaf's side at level k. */
export function merkleRootFromPath(leaf: bigint, position: number, path: readonly bigint[]): bigint {
  let node = leaf;
  let index = position;
  for (const sibling of path) {
    node = index % 2 === 0 ? merkleParent(node, sibling) : merkleParent(sibling, node);
    index = Math.floor(index / 2);
  }
  return node;
}
