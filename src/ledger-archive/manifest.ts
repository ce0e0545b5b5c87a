import { MinapayError, quoted } from '../errors.js';
import { parseVersionedDocument } from '../io/versioned-document.js';
import { compareKeys } from '../ledger/account.js';
import { parseNanomina } from '../protocol/amounts.js';
import { ledgerHashProblem } from '../protocol/keys.js';
import { safeWholeNumber } from '../protocol/whole-number.js';

/**
 * The ledger archive keeps every staking ledger it was given under
 * `<dir>/<network>/`: one `epoch-<E>-<hash>.jsonl.gz` per ledger (accounts
 * in normal form, one per line) and `manifest.json` describing them. This
 * module is the manifest's pure part: its form, and the rules over it.
 */
export const MANIFEST_FILE = 'manifest.json';
/** Bumped when the layout of manifest.json changes. */
export const MANIFEST_FORMAT_VERSION = 1;

/** Which of the daemon's two epoch ledgers it was: the staking ledger of its epoch, or the next epoch's. */
export type LedgerKind = 'staking' | 'next';
export const LEDGER_KINDS: readonly LedgerKind[] = ['staking', 'next'];

/**
 * A ledger's identity. `epoch` is always the epoch whose staking ledger it is:
 * the next-epoch ledger a daemon holds during epoch E is archived as E + 1.
 * Two epochs can share a ledger hash (no transaction between them), so
 * neither alone identifies a ledger.
 */
export interface LedgerIdentity {
  readonly epoch: number;
  readonly hash: string;
}

/** The era a ledger's epoch is counted in, where the daemon that gave the ledger said which fork it was on (epochs restart at each fork). */
export interface ArchivedEra {
  readonly name: string;
  readonly firstGlobalSlot: number;
}

export interface ArchiveEntry extends LedgerIdentity {
  /** Absent for a ledger archived from a file named by flags, or by a minapay that did not record it. */
  readonly era?: ArchivedEra | undefined;
  /** How the ledger was first obtained. */
  readonly kind: LedgerKind;
  /** File name within the network's directory. */
  readonly file: string;
  /** Of the stored (gzip) file: what `ledger verify` re-checks. */
  readonly sha256: string;
  /** Of the account lines: what tells the same ledger archived twice from two different ones. */
  readonly contentSha256: string;
  readonly accounts: number;
  /** Nanomina staked: the balances of MINA-token accounts. */
  readonly totalStake: bigint;
  /** Where it came from: a path, stdin, or the export command. */
  readonly source: string;
  /** ISO 8601, UTC. */
  readonly archivedAt: string;
}

export interface ArchiveManifest {
  readonly network: string;
  readonly ledgers: readonly ArchiveEntry[];
  /** Ledgers that arrived with an identity already archived but other content: kept for a human to compare. */
  readonly conflicts: readonly ArchiveEntry[];
}

export function emptyManifest(network: string): ArchiveManifest {
  return { network, ledgers: [], conflicts: [] };
}

export function archivedFileName(identity: LedgerIdentity): string {
  return `epoch-${identity.epoch}-${identity.hash}.jsonl.gz`;
}

export function conflictFileName(identity: LedgerIdentity, contentSha256: string): string {
  return `epoch-${identity.epoch}-${identity.hash}.conflict-${contentSha256.slice(0, 16)}.jsonl.gz`;
}

export function sameIdentity(a: LedgerIdentity, b: LedgerIdentity): boolean {
  return a.epoch === b.epoch && a.hash === b.hash;
}

/** By epoch, then hash: the order of the manifest and of `ledger list`. */
export function compareEntries(a: LedgerIdentity, b: LedgerIdentity): number {
  return a.epoch - b.epoch || compareKeys(a.hash, b.hash);
}

export function withLedger(manifest: ArchiveManifest, entry: ArchiveEntry): ArchiveManifest {
  const others = manifest.ledgers.filter((ledger) => !sameIdentity(ledger, entry));
  return { ...manifest, ledgers: [...others, entry].sort(compareEntries) };
}

export function withConflict(manifest: ArchiveManifest, entry: ArchiveEntry): ArchiveManifest {
  const others = manifest.conflicts.filter((conflict) => conflict.file !== entry.file);
  return { ...manifest, conflicts: [...others, entry].sort(compareEntries) };
}

export function withoutLedgers(manifest: ArchiveManifest, removed: readonly ArchiveEntry[]): ArchiveManifest {
  const files = new Set(removed.map((entry) => entry.file));
  return { ...manifest, ledgers: manifest.ledgers.filter((entry) => !files.has(entry.file)) };
}

/**
 * What `--keep N` would remove: every ledger of an epoch older than the
 * newest N epochs archived. The store still spares any of them that is the
 * only copy of a ledger a payout plan was computed from.
 */
export function ledgersBeyond(manifest: ArchiveManifest, keep: number): ArchiveEntry[] {
  const epochs = [...new Set(manifest.ledgers.map((entry) => entry.epoch))].sort((a, b) => b - a);
  const kept = new Set(epochs.slice(0, keep));
  return manifest.ledgers.filter((entry) => !kept.has(entry.epoch));
}

/** An entry as JSON data: the stake as a nanomina string. */
export function archiveEntryJson(entry: ArchiveEntry): Record<string, unknown> {
  return { ...entry, totalStake: entry.totalStake.toString() };
}

export function manifestJson(manifest: ArchiveManifest): string {
  const document = {
    version: MANIFEST_FORMAT_VERSION,
    network: manifest.network,
    ledgers: [...manifest.ledgers].sort(compareEntries).map(archiveEntryJson),
    conflicts: [...manifest.conflicts].sort(compareEntries).map(archiveEntryJson),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Reads manifest.json back, checking every field: the archive is only as good as its manifest. */
export function parseManifest(text: string, path: string): ArchiveManifest {
  const fields = parseVersionedDocument(text, path, { what: 'manifest', version: MANIFEST_FORMAT_VERSION, code: 'LEDGER_ARCHIVE_INVALID' });
  if (typeof fields['network'] !== 'string') throw new MinapayError('LEDGER_ARCHIVE_INVALID', `${path} names no network`);
  return {
    network: fields['network'],
    ledgers: entries(fields['ledgers'], `${path}: ledgers`),
    conflicts: entries(fields['conflicts'], `${path}: conflicts`),
  };
}

function entries(value: unknown, where: string): ArchiveEntry[] {
  if (!Array.isArray(value)) throw new MinapayError('LEDGER_ARCHIVE_INVALID', `${where} is not a list`);
  return value.map((entry, index) => archiveEntry(entry, `${where}[${index}]`));
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const ARCHIVE_FILE_NAME = /^epoch-\d+-j[1-9A-HJ-NP-Za-km-z]+(\.conflict-[0-9a-f]+)?\.jsonl\.gz$/;

function archiveEntry(value: unknown, where: string): ArchiveEntry {
  const entry = (value ?? {}) as Record<string, unknown>;
  const bad = (field: string) => new MinapayError('LEDGER_ARCHIVE_INVALID', `${where}: ${field} is ${quoted(entry[field])}`);
  const { epoch, hash, kind, file, sha256, contentSha256, accounts, totalStake, source, archivedAt, era } = entry;
  if (typeof epoch !== 'number' || safeWholeNumber(epoch) === null) throw bad('epoch');
  if (typeof hash !== 'string' || ledgerHashProblem(hash) !== null) throw bad('hash');
  if (!LEDGER_KINDS.includes(kind as LedgerKind)) throw bad('kind');
  // A file name that leaves the directory would let a manifest point anywhere.
  if (typeof file !== 'string' || !ARCHIVE_FILE_NAME.test(file)) throw bad('file');
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) throw bad('sha256');
  if (typeof contentSha256 !== 'string' || !SHA256_HEX.test(contentSha256)) throw bad('contentSha256');
  if (typeof accounts !== 'number' || safeWholeNumber(accounts) === null) throw bad('accounts');
  const stake = typeof totalStake === 'string' ? parseNanomina(totalStake) : null;
  if (stake === null) throw bad('totalStake');
  if (typeof source !== 'string') throw bad('source');
  if (typeof archivedAt !== 'string' || Number.isNaN(Date.parse(archivedAt))) throw bad('archivedAt');
  const fields = { epoch, hash, kind: kind as LedgerKind, file, sha256, contentSha256, accounts, totalStake: stake, source, archivedAt };
  return era === undefined ? fields : { ...fields, era: archivedEra(era, bad) };
}

function archivedEra(value: unknown, bad: (field: string) => MinapayError): ArchivedEra {
  const { name, firstGlobalSlot } = (value ?? {}) as Record<string, unknown>;
  if (typeof name !== 'string' || name === '' || typeof firstGlobalSlot !== 'number' || safeWholeNumber(firstGlobalSlot) === null) throw bad('era');
  return { name, firstGlobalSlot };
}
