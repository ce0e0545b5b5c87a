import { isMinapayError, MinapayError, quoted } from '../errors.js';
import { parseNanomina } from '../protocol/amounts.js';
import type { SlotRange } from '../protocol/eras.js';
import type { BlockRecord } from './block.js';
import { parseBlock } from './parse.js';

/**
 * The one method of a PostgreSQL client the archive reader needs; pg's
 * Client and Pool and PGlite all have it.
 */
export interface SqlClient {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface ArchiveQuery {
  /** The pool's block-producer keys. */
  readonly pools: readonly string[];
  /** The epoch's global slots since genesis. */
  readonly slots: SlotRange;
  /** Blocks above the epoch's last block on the best chain before it counts as final. */
  readonly minConfirmations: number;
  /** Read an epoch that is not final yet, instead of refusing it. */
  readonly allowPending: boolean;
  /**
   * Take the parent links from the best tip as the truth where a block's
   * `chain_status` label disagrees with them, instead of refusing the archive;
   * each such block is reported in `labelDisagreements`.
   */
  readonly trustParentLinks?: boolean | undefined;
}

/** A block whose `chain_status` label says otherwise than the parent links from the best tip. */
export interface LabelDisagreement {
  readonly stateHash: string;
  readonly height: number;
  /** What the links make of it, against its label. */
  readonly problem: string;
}

export interface ArchiveBlocks {
  /** The pool's blocks on the best chain in the epoch, by height. */
  readonly blocks: BlockRecord[];
  readonly bestTip: { readonly height: number; readonly stateHash: string };
  /** Confirmations of the epoch's last block on the best chain (null: the chain has no block in the epoch). */
  readonly epochConfirmations: number | null;
  readonly final: boolean;
  /** Blocks whose label the parent links overrode (only with trustParentLinks), once each. */
  readonly labelDisagreements: readonly LabelDisagreement[];
}

/**
 * The canonical blocks the pool produced in an epoch, read from a Mina
 * archive database. "Canonical" is decided by ancestry: the blocks on the
 * parent chain of the best tip, whose depth below the tip is their number
 * of confirmations. The chain must run unbroken from the tip to below the
 * epoch: a hole in the archive would silently drop blocks, and every
 * dropped block is an underpayment. A block whose label contradicts the
 * links (an orphaned one on the chain, a canonical one of the pool off it)
 * is refused, unless the query trusts the links; then it is reported.
 * Whatever the labels, the chain holds one block per height.
 */
export async function readArchiveBlocks(client: SqlClient, query: ArchiveQuery): Promise<ArchiveBlocks> {
  const shape = await schemaShape(client);
  const tip = await bestTip(client);
  const chain = await chainThroughEpoch(client, tip, query.slots);
  const labels = new Labels(query.trustParentLinks === true, '--trust-parent-links counts the chain of parent links from the best tip');
  checkChainWhole(chain, tip, query.slots, labels);
  const inEpoch = chain.filter((link) => link.slot >= query.slots.first && link.slot <= query.slots.last);
  const epochConfirmations = inEpoch.length === 0 ? null : inEpoch[0]!.depth;
  const final = tip.slot > query.slots.last && (epochConfirmations === null || epochConfirmations >= query.minConfirmations);
  if (!final && !query.allowPending) {
    throw new MinapayError(
      'EPOCH_NOT_FINAL',
      `archive: the epoch (slots ${query.slots.first}-${query.slots.last}) is not final yet: best tip at height ${tip.height}, slot ${tip.slot}; ` +
        `its last block has ${epochConfirmations ?? 0} of ${query.minConfirmations} confirmations (--allow-pending to read it anyway)`,
    );
  }
  const pools = new Set(query.pools);
  const produced = inEpoch.filter((link) => pools.has(link.creator));
  await checkNoCanonicalOffChain(client, produced, query, labels);
  const rewards = await rewardsOf(client, shape, produced);
  const blocks = produced.map((link) => blockRecord(link, rewards.get(link.id) ?? []));
  return {
    blocks: blocks.sort((a, b) => a.height - b.height),
    bestTip: { height: tip.height, stateHash: tip.stateHash },
    epochConfirmations,
    final,
    labelDisagreements: labels.disagreements,
  };
}

/**
 * Where labels and links disagree: an error by default, since an archive
 * that contradicts itself may be missing what would settle it; with
 * trustParentLinks, one report per block.
 */
class Labels {
  readonly disagreements: LabelDisagreement[] = [];

  /** `remedy`: how the user can have the links trusted, for the error; null where nothing can. */
  constructor(
    private readonly trustLinks: boolean,
    private readonly remedy: string | null,
  ) {}

  disagree(stateHash: string, height: number, problem: string): void {
    if (!this.trustLinks) {
      throw new MinapayError('ARCHIVE_GAP', `archive: block ${stateHash} at height ${height} ${problem}${this.remedy === null ? '' : ` (${this.remedy})`}`);
    }
    if (!this.disagreements.some((known) => known.stateHash === stateHash)) this.disagreements.push({ stateHash, height, problem });
  }
}

/** The archive's best tip: the highest block not known to be orphaned (its height, state hash and global slot since genesis). */
export async function readBestTip(client: SqlClient): Promise<{ height: number; stateHash: string; slot: number }> {
  await schemaShape(client);
  const { height, stateHash, slot } = await bestTip(client);
  return { height, stateHash, slot };
}

/** A block of the best chain, whoever produced it. */
export interface ChainBlock {
  readonly stateHash: string;
  readonly height: number;
  readonly globalSlotSinceGenesis: number;
  readonly globalSlotSinceHardFork: number;
  readonly creator: string;
  readonly winner: string;
}

/**
 * Every block of the best chain (by ancestry, as readArchiveBlocks decides)
 * whose global slot since genesis is in `slots`, and the best tip's slot: a
 * slot past it may still get a block.
 */
export async function readChainBlocks(client: SqlClient, slots: SlotRange): Promise<{ blocks: ChainBlock[]; tipSlot: number }> {
  await schemaShape(client);
  const tip = await bestTip(client);
  const chain = await chainThroughEpoch(client, tip, slots);
  checkChainWhole(chain, tip, slots, new Labels(false, null));
  const blocks = chain
    .filter((link) => link.slot >= slots.first && link.slot <= slots.last)
    .map((link) => ({
      stateHash: link.stateHash,
      height: link.height,
      globalSlotSinceGenesis: link.slot,
      globalSlotSinceHardFork: link.slotSinceHardFork,
      creator: link.creator,
      winner: link.winner,
    }));
  return { blocks: blocks.sort((a, b) => a.height - b.height), tipSlot: tip.slot };
}

/** A user command found in a block of the archive's best chain (by ancestry from the best tip). */
export interface ArchiveCommand {
  readonly hash: string;
  readonly feePayer: string;
  readonly nonce: bigint;
  readonly block: { readonly height: string; readonly stateHash: string };
  /** Blocks above its block on the best chain: 0 for the tip. */
  readonly depth: number;
  /** null when applied; the chain's failure reason when it failed (`blocks_user_commands.status = 'failed'`). */
  readonly failureReason: string | null;
}

/**
 * The user commands with these hashes, and the sender's commands with these
 * nonces, that blocks of the best chain hold: the chain is walked by
 * ancestry from the best tip down past the lowest block holding any of them,
 * as readArchiveBlocks walks an epoch, so a command in an orphaned or
 * side-branch block is not on it.
 */
export async function readCommandsOnChain(
  client: SqlClient,
  query: { readonly sender: string; readonly hashes: readonly string[]; readonly nonces: readonly bigint[] },
): Promise<ArchiveCommand[]> {
  await schemaShape(client);
  const { rows } = await run(
    client,
    `SELECT uc.hash, fee_payer.value AS fee_payer, uc.nonce::text AS nonce, b.id AS block_id, b.global_slot_since_genesis::text AS slot,
            buc.status::text AS status, buc.failure_reason
       FROM user_commands uc
       JOIN public_keys fee_payer ON fee_payer.id = uc.fee_payer_id
       JOIN blocks_user_commands buc ON buc.user_command_id = uc.id
       JOIN blocks b ON b.id = buc.block_id
      WHERE uc.hash = ANY($1::text[]) OR (fee_payer.value = $2 AND uc.nonce = ANY($3::bigint[]))`,
    [query.hashes, query.sender, query.nonces.map(String)],
  );
  const found = rows as { hash: string; fee_payer: string; nonce: string; block_id: number; slot: string; status: string; failure_reason: string | null }[];
  if (found.length === 0) return [];
  const tip = await bestTip(client);
  const lowest = Math.min(...found.map((row) => Number(row.slot)));
  const slots = { first: lowest, last: tip.slot };
  const chain = await chainThroughEpoch(client, tip, slots);
  checkChainWhole(chain, tip, slots, new Labels(false, null));
  const onChain = new Map(chain.map((link) => [link.id, link]));
  return found.flatMap((row) => {
    const link = onChain.get(row.block_id);
    if (link === undefined) return [];
    return [
      {
        hash: row.hash,
        feePayer: row.fee_payer,
        nonce: BigInt(row.nonce),
        block: { height: String(link.height), stateHash: link.stateHash },
        depth: link.depth,
        failureReason: row.status === 'failed' ? (row.failure_reason ?? 'failed') : null,
      },
    ];
  });
}

/** Column names that changed at the Berkeley upgrade (`type` became `command_type`; statuses were added). */
interface SchemaShape {
  readonly commandTypeColumn: 'command_type' | 'type';
  readonly hasStatus: boolean;
}

async function schemaShape(client: SqlClient): Promise<SchemaShape> {
  const { rows } = await run(
    client,
    `SELECT table_name::text AS table, column_name::text AS column FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name IN ('internal_commands', 'blocks_internal_commands', 'blocks')`,
  );
  const columns = new Set((rows as { table: string; column: string }[]).map((row) => `${row.table}.${row.column}`));
  if (!columns.has('blocks.chain_status')) {
    throw new MinapayError(
      'ARCHIVE_INVALID',
      `archive: no blocks table with a chain_status column in schema ${await currentSchema(client)}: is this a Mina archive database?`,
    );
  }
  return {
    commandTypeColumn: columns.has('internal_commands.command_type') ? 'command_type' : 'type',
    hasStatus: columns.has('blocks_internal_commands.status'),
  };
}

async function currentSchema(client: SqlClient): Promise<string> {
  const { rows } = await run(client, 'SELECT current_schema() AS name');
  return (rows[0] as { name: string }).name;
}

interface Tip {
  readonly id: number;
  readonly height: number;
  readonly stateHash: string;
  readonly slot: number;
  readonly slotSinceHardFork: number;
}

/**
 * The first global slot of the fork the archive's best tip is on (its slot
 * since genesis less its slot since the hard fork): the era of the chain the
 * archive follows, from its own data.
 */
export async function archiveForkStart(client: SqlClient): Promise<number> {
  const tip = await bestTip(client);
  return tip.slot - tip.slotSinceHardFork;
}

/** The highest block not known to be orphaned; of equal heights, the lowest state hash, so that reruns agree. */
async function bestTip(client: SqlClient): Promise<Tip> {
  const { rows } = await run(
    client,
    `SELECT id, height::text AS height, state_hash, global_slot_since_genesis::text AS slot,
            global_slot_since_hard_fork::text AS slot_since_hard_fork FROM blocks
      WHERE chain_status <> 'orphaned' ORDER BY blocks.height DESC, state_hash LIMIT 1`,
  );
  const row = rows[0] as { id: number; height: string; state_hash: string; slot: string; slot_since_hard_fork: string } | undefined;
  if (row === undefined) throw new MinapayError('ARCHIVE_GAP', 'archive: it holds no blocks');
  return { id: row.id, height: Number(row.height), stateHash: row.state_hash, slot: Number(row.slot), slotSinceHardFork: Number(row.slot_since_hard_fork) };
}

/** One block of the best chain, with its depth below the tip. */
interface ChainLink {
  readonly id: number;
  readonly depth: number;
  readonly height: number;
  readonly slot: number;
  readonly slotSinceHardFork: number;
  readonly stateHash: string;
  readonly parentHash: string;
  readonly hasParent: boolean;
  readonly status: string;
  readonly creator: string;
  readonly winner: string;
}

/**
 * Walks parent links from the tip down to the first block before the epoch
 * (or to where the links stop), inside the database. Returns the links in
 * and below the epoch, and the link where the walk stopped, highest first.
 */
async function chainThroughEpoch(client: SqlClient, tip: Tip, slots: SlotRange): Promise<ChainLink[]> {
  const { rows } = await run(
    client,
    `WITH RECURSIVE chain (id, parent_id, global_slot_since_genesis, depth) AS (
        SELECT id, parent_id, global_slot_since_genesis, 0 FROM blocks WHERE id = $1
        UNION ALL
        SELECT parent.id, parent.parent_id, parent.global_slot_since_genesis, chain.depth + 1
          FROM blocks parent JOIN chain ON parent.id = chain.parent_id
         WHERE chain.global_slot_since_genesis >= $2
      )
      SELECT b.id, chain.depth, b.height::text AS height, b.global_slot_since_genesis::text AS slot,
             b.global_slot_since_hard_fork::text AS slot_since_hard_fork, b.state_hash, b.parent_hash,
             b.parent_id IS NOT NULL AS has_parent, b.chain_status::text AS status,
             creator.value AS creator, winner.value AS winner
        FROM chain
        JOIN blocks b ON b.id = chain.id
        JOIN public_keys creator ON creator.id = b.creator_id
        JOIN public_keys winner ON winner.id = b.block_winner_id
       WHERE chain.global_slot_since_genesis <= $3 OR chain.parent_id IS NULL
       ORDER BY chain.depth`,
    [tip.id, slots.first, slots.last],
  );
  return (rows as ChainRow[]).map((row) => ({
    id: row.id,
    depth: row.depth,
    height: Number(row.height),
    slot: Number(row.slot),
    slotSinceHardFork: Number(row.slot_since_hard_fork),
    stateHash: row.state_hash,
    parentHash: row.parent_hash,
    hasParent: row.has_parent,
    status: row.status,
    creator: row.creator,
    winner: row.winner,
  }));
}

interface ChainRow {
  id: number;
  depth: number;
  height: string;
  slot: string;
  slot_since_hard_fork: string;
  state_hash: string;
  parent_hash: string;
  has_parent: boolean;
  status: string;
  creator: string;
  winner: string;
}

/** The walk must reach below the epoch (or genesis), one height per step, through no block labelled orphaned (unless labels yield). */
function checkChainWhole(chain: readonly ChainLink[], tip: Tip, slots: SlotRange, labels: Labels): void {
  for (const link of chain) {
    if (link.height !== tip.height - link.depth) {
      throw new MinapayError(
        'ARCHIVE_GAP',
        `archive: block ${link.stateHash} is ${link.depth} parents below the tip but ` +
          `at height ${link.height}, not ${tip.height - link.depth}: heights are missing`,
      );
    }
    if (link.status === 'orphaned') labels.disagree(link.stateHash, link.height, 'is on the best chain but marked orphaned');
  }
  const lowest = chain[chain.length - 1];
  const reachedBelowEpoch = lowest !== undefined && (lowest.slot < slots.first || lowest.height === 1);
  if (!reachedBelowEpoch) {
    const where = lowest === undefined ? `below the best tip ${tip.stateHash}` : `below block ${lowest.stateHash} at height ${lowest.height}`;
    const parent = lowest === undefined ? '' : ` (its parent ${lowest.parentHash} is missing or not linked)`;
    throw new MinapayError('ARCHIVE_GAP', `archive: the chain breaks ${where}${parent} before the start of the epoch at slot ${slots.first}`);
  }
}

/** A canonical block of the pool in the epoch that is not on the best chain means the archive contradicts itself. */
async function checkNoCanonicalOffChain(client: SqlClient, onChain: readonly ChainLink[], query: ArchiveQuery, labels: Labels): Promise<void> {
  const { rows } = await run(
    client,
    `SELECT b.state_hash, b.height::text AS height FROM blocks b JOIN public_keys creator ON creator.id = b.creator_id
      WHERE b.chain_status = 'canonical' AND creator.value = ANY($1::text[])
        AND b.global_slot_since_genesis BETWEEN $2 AND $3`,
    [query.pools, query.slots.first, query.slots.last],
  );
  const chainHashes = new Set(onChain.map((link) => link.stateHash));
  const strays = (rows as { state_hash: string; height: string }[]).filter((row) => !chainHashes.has(row.state_hash));
  for (const stray of strays.sort((a, b) => Number(a.height) - Number(b.height) || (a.state_hash < b.state_hash ? -1 : 1))) {
    labels.disagree(stray.state_hash, Number(stray.height), 'is marked canonical but is not an ancestor of the best tip');
  }
}

interface InternalCommand {
  readonly kind: string;
  readonly receiver: string;
  readonly fee: string;
}

async function rewardsOf(client: SqlClient, shape: SchemaShape, links: readonly ChainLink[]): Promise<Map<number, InternalCommand[]>> {
  const byBlock = new Map<number, InternalCommand[]>();
  if (links.length === 0) return byBlock;
  // The column name comes from the two names above, never from input.
  const { rows } = await run(
    client,
    `SELECT bic.block_id, ic.${shape.commandTypeColumn}::text AS kind, receiver.value AS receiver, ic.fee::text AS fee
       FROM blocks_internal_commands bic
       JOIN internal_commands ic ON ic.id = bic.internal_command_id
       JOIN public_keys receiver ON receiver.id = ic.receiver_id
      WHERE bic.block_id = ANY($1::int[]) ${shape.hasStatus ? `AND bic.status = 'applied'` : ''}`,
    [links.map((link) => link.id)],
  );
  for (const row of rows as (InternalCommand & { block_id: number })[]) {
    const commands = byBlock.get(row.block_id) ?? byBlock.set(row.block_id, []).get(row.block_id)!;
    commands.push({ kind: row.kind, receiver: row.receiver, fee: row.fee });
  }
  return byBlock;
}

/**
 * A block's reward parts from its internal commands: the coinbase, the fee
 * transfers to the coinbase receiver (its transaction fees) and the snark
 * fees paid out of the coinbase. Validated like a block file's record.
 */
function blockRecord(link: ChainLink, commands: readonly InternalCommand[]): BlockRecord {
  const coinbase = commands.filter((c) => c.kind === 'coinbase');
  const coinbaseReceiver = coinbase[0]?.receiver ?? link.creator;
  const total = (selected: readonly InternalCommand[]) => selected.reduce((sum, c) => sum + nanomina(c.fee, link), 0n).toString();
  return parseBlock(
    {
      height: link.height,
      stateHash: link.stateHash,
      globalSlotSinceGenesis: link.slot,
      globalSlotSinceHardFork: link.slotSinceHardFork,
      creator: link.creator,
      winner: link.winner,
      coinbaseReceiver,
      coinbase: total(coinbase),
      feeTransferToReceiver: total(commands.filter((c) => c.kind === 'fee_transfer' && c.receiver === coinbaseReceiver)),
      feeTransferViaCoinbase: total(commands.filter((c) => c.kind === 'fee_transfer_via_coinbase')),
    },
    `archive: block ${link.stateHash}`,
  );
}

function nanomina(text: string, link: ChainLink): bigint {
  const amount = parseNanomina(text);
  if (amount === null) {
    throw new MinapayError('ARCHIVE_INVALID', `archive: block ${link.stateHash} has an internal command fee that is not nanomina: ${quoted(text)}`);
  }
  return amount;
}

async function run(client: SqlClient, text: string, params?: unknown[]): Promise<{ rows: unknown[] }> {
  try {
    return await client.query(text, params);
  } catch (error) {
    // The connection's own errors (a timeout) say what happened already.
    if (isMinapayError(error)) throw error;
    throw new MinapayError('ARCHIVE_INVALID', `archive: query failed: ${(error as Error).message}`, { cause: error });
  }
}
