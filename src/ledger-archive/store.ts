import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';

import { MinapayError } from '../errors.js';
import { landFile, sweepTempFiles, syncDirectory, writeFileAtomic, writeTempFile } from '../io/atomic-file.js';
import { acquireLock } from '../io/lock-file.js';
import { sha256File } from '../io/sha256.js';
import { checkedTotalCurrency } from '../ledger/account.js';
import { accountLine } from '../ledger/normal-form.js';
import { readLedger, type AccountBatches, type LedgerInput, type ReadOptions } from '../ledger/read.js';
import { formatMina } from '../protocol/amounts.js';
import {
  archivedFileName,
  conflictFileName,
  emptyManifest,
  ledgersBeyond,
  MANIFEST_FILE,
  manifestJson,
  parseManifest,
  sameIdentity,
  withConflict,
  withLedger,
  withoutLedgers,
  type ArchivedEra,
  type ArchiveEntry,
  type ArchiveManifest,
  type LedgerIdentity,
  type LedgerKind,
} from './manifest.js';

/** Held while a run changes the archive of a network. */
const LOCK_FILE = '.archive.lock';

export function networkDirectory(directory: string, network: string): string {
  return join(directory, network);
}

export interface ArchiveRequest {
  readonly directory: string;
  readonly network: string;
  readonly identity: LedgerIdentity & { readonly kind: LedgerKind; readonly era?: ArchivedEra | undefined };
  readonly input: LedgerInput;
  /** How the manifest names where the ledger came from. */
  readonly source: string;
  readonly read?: ReadOptions;
  /**
   * Runs once the whole input has been read and checked, before anything
   * lands: an export command's exit status, the daemon still on the epoch.
   */
  readonly confirm?: () => Promise<void>;
  /** `--keep N`: removes the ledgers of all but the newest N epochs, sparing those `isPinned` holds. */
  readonly keep?: { readonly epochs: number; readonly isPinned: (entry: ArchiveEntry) => Promise<boolean> };
  readonly now: () => Date;
}

export interface ArchiveOutcome {
  /**
   * `unchanged`: this ledger was archived before, with the same content;
   * `repaired`: it was, but its stored file had gone missing or changed.
   */
  readonly status: 'archived' | 'unchanged' | 'repaired';
  readonly entry: ArchiveEntry;
  readonly path: string;
  readonly removed: readonly ArchiveEntry[];
  /** Beyond --keep, but the only copy of a ledger a payout plan was computed from. */
  readonly pinned: readonly ArchiveEntry[];
}

/**
 * Archives one ledger. The whole input is read, checked and written to a temp
 * file first; only then, under the archive's lock, does it land (rename) and
 * join the manifest. A ledger already archived with the same content is a
 * no-op; with other content it is refused and kept aside as a conflict. A
 * registered file is never replaced.
 */
export async function archiveLedger(request: ArchiveRequest): Promise<ArchiveOutcome> {
  const directory = networkDirectory(request.directory, request.network);
  await mkdir(directory, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new MinapayError('OUTPUT_CANNOT_CREATE', `${directory}: cannot create the archive directory (${error.code})`);
  });
  const release = await acquireLock(join(directory, LOCK_FILE), `ledger archive of ${directory}`);
  try {
    await sweepTempFiles(directory);
    const staged = await stageLedger(join(directory, archivedFileName(request.identity)), request.input, request.read);
    let manifest: ArchiveManifest;
    let outcome: Omit<ArchiveOutcome, 'removed' | 'pinned'>;
    try {
      await request.confirm?.();
      manifest = await readManifest(directory, request.network);
      const entry: ArchiveEntry = {
        ...request.identity,
        ...staged.summary,
        file: archivedFileName(request.identity),
        source: request.source,
        archivedAt: request.now().toISOString(),
      };
      const archived = manifest.ledgers.find((ledger) => sameIdentity(ledger, request.identity));
      if (archived !== undefined && archived.contentSha256 !== entry.contentSha256) {
        await keepConflict(directory, manifest, archived, entry, staged.temp);
      }
      if (archived !== undefined && (await storedFileState(directory, archived)) === 'ok') {
        await unlink(staged.temp);
        outcome = { status: 'unchanged', entry: archived, path: join(directory, archived.file) };
      } else {
        // New, or the same content as the manifest records while the stored file is gone or damaged: this copy takes its place.
        const landed = archived === undefined ? entry : { ...archived, sha256: staged.summary.sha256 };
        manifest = withLedger(manifest, landed);
        await landWithManifest(directory, staged.temp, landed.file, manifest);
        outcome = { status: archived === undefined ? 'archived' : 'repaired', entry: landed, path: join(directory, landed.file) };
      }
    } catch (error) {
      await unlink(staged.temp).catch(() => {});
      throw error;
    }
    const { removed, pinned } = request.keep === undefined ? { removed: [], pinned: [] } : await prune(directory, manifest, request.keep);
    return { ...outcome, removed, pinned };
  } finally {
    await release();
  }
}

/** Whether an archived file is there and still hashes to what the manifest says. */
async function storedFileState(directory: string, entry: ArchiveEntry): Promise<StoredFileState> {
  const sha256 = await sha256File(join(directory, entry.file)).catch((error: MinapayError) => {
    if (error.code === 'INPUT_NOT_FOUND') return null;
    throw error;
  });
  return sha256 === null ? 'missing' : sha256 === entry.sha256 ? 'ok' : 'changed';
}

interface StagedLedger {
  readonly temp: string;
  readonly summary: Pick<ArchiveEntry, 'sha256' | 'contentSha256' | 'accounts' | 'totalStake'>;
}

/** Reads the whole input into a temp file beside `target`, as gzip'd normal-form lines. */
async function stageLedger(target: string, input: LedgerInput, read: ReadOptions | undefined): Promise<StagedLedger> {
  const content = new LineSummary(input.name);
  const stored = createHash('sha256');
  const temp = await writeTempFile(target, hashed(gzipped(content.lines(readLedger(input, read))), stored));
  return { temp, summary: { sha256: stored.digest('hex'), ...content.summary() } };
}

/** Turns accounts into normal-form lines, in 64 KiB batches, counting and hashing what it yields. */
class LineSummary {
  readonly #hash = createHash('sha256');
  #accounts = 0;
  #totalStake = 0n;

  readonly #ledgerName: string;

  constructor(ledgerName: string) {
    this.#ledgerName = ledgerName;
  }

  async *lines(batches: AccountBatches): AsyncGenerator<string> {
    let batch = '';
    for await (const accounts of batches) {
      this.#accounts += accounts.length;
      for (const account of accounts) {
        if (account.isMinaToken) this.#totalStake += account.balance;
        batch += `${accountLine(account)}\n`;
      }
      if (batch.length >= 64 * 1024) {
        this.#hash.update(batch);
        yield batch;
        batch = '';
      }
    }
    // Before the last bytes: the failure leaves no archived file behind.
    checkedTotalCurrency(this.#totalStake, this.#ledgerName);
    this.#hash.update(batch);
    if (batch !== '') yield batch;
  }

  summary(): Pick<ArchiveEntry, 'contentSha256' | 'accounts' | 'totalStake'> {
    return { contentSha256: this.#hash.digest('hex'), accounts: this.#accounts, totalStake: this.#totalStake };
  }
}

/** Gzip of the texts; an error of the texts (a bad ledger) comes out unchanged. */
async function* gzipped(texts: AsyncIterable<string>): AsyncGenerator<Buffer> {
  const gzip = createGzip();
  let failure: unknown;
  pipeline(Readable.from(texts), gzip, (error) => {
    failure = error ?? undefined;
  });
  try {
    for await (const chunk of gzip) yield chunk as Buffer;
  } catch (error) {
    throw failure ?? error;
  }
}

async function* hashed(chunks: AsyncIterable<Buffer>, hash: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    hash.update(chunk);
    yield chunk;
  }
}

/** Keeps the new copy beside the archived one, records it, and refuses. */
async function keepConflict(directory: string, manifest: ArchiveManifest, archived: ArchiveEntry, entry: ArchiveEntry, temp: string): Promise<never> {
  const conflict: ArchiveEntry = { ...entry, file: conflictFileName(entry, entry.contentSha256) };
  await landWithManifest(directory, temp, conflict.file, withConflict(manifest, conflict));
  throw new MinapayError(
    'LEDGER_ARCHIVE_CONFLICT',
    `${join(directory, archived.file)}: ${manifest.network} epoch ${entry.epoch} ledger ${entry.hash} is archived with other content ` +
      `(${archived.accounts} accounts, ${formatMina(archived.totalStake)} MINA staked; ` +
      `this one: ${entry.accounts} accounts, ${formatMina(entry.totalStake)} MINA); ` +
      `kept this one as ${join(directory, conflict.file)} for a human to compare, replaced nothing`,
  );
}

async function prune(
  directory: string,
  manifest: ArchiveManifest,
  keep: NonNullable<ArchiveRequest['keep']>,
): Promise<Pick<ArchiveOutcome, 'removed' | 'pinned'>> {
  const removed: ArchiveEntry[] = [];
  const pinned: ArchiveEntry[] = [];
  for (const entry of ledgersBeyond(manifest, keep.epochs)) ((await keep.isPinned(entry)) ? pinned : removed).push(entry);
  if (removed.length === 0) return { removed, pinned };
  // The manifest lets go first: a kill in between leaves a stray file, never an entry without its file.
  await writeManifest(directory, withoutLedgers(manifest, removed));
  for (const entry of removed) await unlink(join(directory, entry.file)).catch(() => {});
  await syncDirectory(directory);
  return { removed, pinned };
}

export async function readManifest(directory: string, network: string): Promise<ArchiveManifest> {
  const path = join(directory, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyManifest(network);
    throw new MinapayError('IO_ERROR', `${path}: cannot read the archive manifest (${(error as NodeJS.ErrnoException).code})`);
  }
  const manifest = parseManifest(text, path);
  if (manifest.network !== network) throw new MinapayError('LEDGER_ARCHIVE_INVALID', `${path} is the manifest of ${manifest.network}, not ${network}`);
  return manifest;
}

/** The manifest of an archive that must exist already: reading from a directory never archived to is a mistake. */
export async function existingManifest(archive: string, network: string): Promise<ArchiveManifest> {
  const directory = networkDirectory(archive, network);
  const found = await stat(directory).then(
    (entry) => entry.isDirectory(),
    () => false,
  );
  if (!found)
    throw new MinapayError('INPUT_NOT_FOUND', `${directory}: no ${network} ledger archive here (run \`minapay ledger archive --dir ${archive}\` first)`);
  return readManifest(directory, network);
}

/**
 * Lands a staged ledger file together with the manifest that lists it, or
 * neither: the manifest is written whole (a full disk fails here) before
 * the ledger lands, and should the manifest then fail to land, the ledger is
 * taken back. The archive never holds a file its manifest does not list.
 */
async function landWithManifest(directory: string, ledgerTemp: string, file: string, manifest: ArchiveManifest): Promise<void> {
  const manifestPath = join(directory, MANIFEST_FILE);
  const manifestTemp = await writeTempFile(manifestPath, [manifestJson(manifest)]);
  try {
    await landFile(ledgerTemp, join(directory, file));
  } catch (error) {
    await unlink(manifestTemp).catch(() => {});
    throw error;
  }
  try {
    await landFile(manifestTemp, manifestPath);
  } catch (error) {
    await unlink(join(directory, file)).catch(() => {});
    await syncDirectory(directory);
    throw error;
  }
}

async function writeManifest(directory: string, manifest: ArchiveManifest): Promise<void> {
  await writeFileAtomic(join(directory, MANIFEST_FILE), manifestJson(manifest));
}

/**
 * The archived file of an epoch's staking ledger, checked against the
 * manifest's sha256 before anyone reads it. `hash` picks one when the
 * archive holds several ledgers for the epoch.
 */
export async function archivedLedgerPath(archive: string, network: string, epoch: number, hash: string | undefined): Promise<string> {
  const directory = networkDirectory(archive, network);
  const manifest = await existingManifest(archive, network);
  const candidates = manifest.ledgers.filter((entry) => entry.epoch === epoch && (hash === undefined || entry.hash === hash));
  if (candidates.length === 0) {
    const held = [...new Set(manifest.ledgers.map((entry) => entry.epoch))].join(', ') || 'none';
    const which = hash === undefined ? `epoch ${epoch}` : `epoch ${epoch} with ledger hash ${hash}`;
    throw new MinapayError('LEDGER_ARCHIVE_MISSING', `${directory}: no ${network} ledger of ${which} in the archive (epochs held: ${held})`);
  }
  if (candidates.length > 1) {
    throw new MinapayError(
      'LEDGER_ARCHIVE_AMBIGUOUS',
      `${directory}: epoch ${epoch} has ${candidates.length} ledgers (${candidates.map((entry) => entry.hash).join(', ')}); pick one with --ledger-hash`,
    );
  }
  const entry = candidates[0]!;
  const path = join(directory, entry.file);
  const sha256 = await sha256File(path);
  if (sha256 !== entry.sha256)
    throw new MinapayError(
      'LEDGER_ARCHIVE_INVALID',
      `${path}: sha256 ${sha256} is not the manifest's ${entry.sha256}: the archived file changed; run \`minapay ledger verify\``,
    );
  return path;
}

/** An archived file against the manifest: as recorded, gone, or hashing to something else. */
type StoredFileState = 'ok' | 'missing' | 'changed';

export interface VerifyFinding {
  readonly file: string;
  /** `unlisted`: a ledger file in the directory that the manifest does not name. */
  readonly problem: StoredFileState | 'unlisted';
}

/** Re-hashes every archived file against the manifest, and names files the manifest does not list. */
export async function verifyArchive(archive: string, network: string): Promise<{ manifest: ArchiveManifest; findings: VerifyFinding[] }> {
  const directory = networkDirectory(archive, network);
  const manifest = await existingManifest(archive, network);
  const findings: VerifyFinding[] = [];
  const listed = [...manifest.ledgers, ...manifest.conflicts];
  for (const entry of listed) findings.push({ file: entry.file, problem: await storedFileState(directory, entry) });
  const names = new Set(listed.map((entry) => entry.file));
  const files = await readdir(directory).catch(() => [] as string[]);
  for (const name of files.sort()) {
    if (name.endsWith('.jsonl.gz') && !names.has(name)) findings.push({ file: name, problem: 'unlisted' });
  }
  return { manifest, findings };
}
