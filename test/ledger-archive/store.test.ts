import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { MinapayError } from '../../src/errors.js';
import { fileInput, readLedger } from '../../src/ledger/read.js';
import { MANIFEST_FILE, parseManifest, type ArchiveEntry } from '../../src/ledger-archive/manifest.js';
import { archivedLedgerPath, archiveLedger, readManifest, verifyArchive, type ArchiveRequest } from '../../src/ledger-archive/store.js';
import { collectAccounts, fixture, LEDGER_HASHES, tempDir } from '../helpers.js';
import { diskWithRoom, tempFileOf } from '../io/full-disk.js';

const [HASH_A, HASH_B] = LEDGER_HASHES;
const POST_BERKELEY = fixture('ledger', 'post-berkeley.json');
const PRE_BERKELEY = fixture('ledger', 'pre-berkeley.json');
const NOW = () => new Date('2026-11-21T00:00:00Z');

function request(directory: string, path: string, epoch: number, hash: string = HASH_A, extra: Partial<ArchiveRequest> = {}): ArchiveRequest {
  return { directory, network: 'mainnet', identity: { epoch, hash, kind: 'staking' }, input: fileInput(path), source: path, now: NOW, ...extra };
}

async function refusal(promise: Promise<unknown>, code: string): Promise<MinapayError> {
  let caught: unknown;
  await assert.rejects(promise, (error: unknown) => {
    caught = error;
    return error instanceof MinapayError && error.code === code;
  });
  return caught as MinapayError;
}

/** What a reader sees in the network directory: temp files are hidden. */
const visible = (directory: string) =>
  readdirSync(join(directory, 'mainnet'))
    .filter((name) => !name.startsWith('.'))
    .sort();

describe('archiveLedger', () => {
  it('stores the accounts once, as normal-form lines that read back to the same accounts, and is a no-op the second time', async () => {
    const dir = tempDir();
    const first = await archiveLedger(request(dir, POST_BERKELEY, 18));
    assert.equal(first.status, 'archived');
    assert.deepEqual(await collectAccounts(readLedger(fileInput(first.path))), await collectAccounts(readLedger(fileInput(POST_BERKELEY))));
    const manifest = readFileSync(join(dir, 'mainnet', MANIFEST_FILE), 'utf8');
    const second = await archiveLedger(request(dir, POST_BERKELEY, 18, HASH_A, { now: () => new Date('2027-01-01T00:00:00Z') }));
    assert.equal(second.status, 'unchanged');
    assert.deepEqual(second.entry, first.entry);
    assert.equal(readFileSync(join(dir, 'mainnet', MANIFEST_FILE), 'utf8'), manifest, 'the manifest is not rewritten');
    assert.deepEqual(visible(dir), [`epoch-18-${HASH_A}.jsonl.gz`, MANIFEST_FILE]);
    assert.deepEqual(
      { ...first.entry, sha256: '' },
      {
        epoch: 18,
        hash: HASH_A,
        kind: 'staking',
        file: `epoch-18-${HASH_A}.jsonl.gz`,
        sha256: '',
        contentSha256: first.entry.contentSha256,
        accounts: 8,
        totalStake: 252_552_500_000_001n,
        source: POST_BERKELEY,
        archivedAt: '2026-11-21T00:00:00.000Z',
      },
    );
  });

  it('takes the same ledger in any export format as the same content', async () => {
    const dir = tempDir();
    await archiveLedger(request(dir, POST_BERKELEY, 18));
    for (const name of ['post-berkeley.jsonl', 'post-berkeley.jsonl.gz', 'genesis-wrapped.json', 'docker-preamble.json']) {
      assert.equal((await archiveLedger(request(dir, fixture('ledger', name), 18))).status, 'unchanged', name);
    }
  });

  it('refuses a truncated or invalid export and leaves the good file and manifest untouched', async () => {
    const dir = tempDir();
    const good = await archiveLedger(request(dir, POST_BERKELEY, 18));
    const before = readFileSync(good.path);
    const text = readFileSync(POST_BERKELEY, 'utf8');
    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, text.slice(0, Math.floor(text.length * 0.6)));
    await refusal(archiveLedger(request(dir, truncated, 18)), 'LEDGER_TRUNCATED');
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, text.replace('"1500.5"', '"-1500.5"'));
    await refusal(archiveLedger(request(dir, invalid, 18)), 'LEDGER_BAD_AMOUNT');
    await refusal(archiveLedger(request(dir, fixture('ledger', 'too-much-currency.json'), 18)), 'LEDGER_TOO_MUCH_CURRENCY');
    // Neither lands under a new identity either.
    await refusal(archiveLedger(request(dir, truncated, 19)), 'LEDGER_TRUNCATED');
    assert.deepEqual(readFileSync(good.path), before);
    assert.deepEqual(readdirSync(join(dir, 'mainnet')).sort(), [`epoch-18-${HASH_A}.jsonl.gz`, MANIFEST_FILE]);
    assert.deepEqual((await readManifest(join(dir, 'mainnet'), 'mainnet')).ledgers, [good.entry]);
  });

  it('keeps other content under an archived identity aside as a conflict and replaces nothing', async () => {
    const dir = tempDir();
    const good = await archiveLedger(request(dir, POST_BERKELEY, 18));
    const error = await refusal(archiveLedger(request(dir, PRE_BERKELEY, 18)), 'LEDGER_ARCHIVE_CONFLICT');
    assert.match(error.message, /epoch 18 ledger jwtL47.* other content .*8 accounts.*39 accounts.*conflict-/);
    const manifest = await readManifest(join(dir, 'mainnet'), 'mainnet');
    assert.deepEqual(manifest.ledgers, [good.entry]);
    assert.equal(manifest.conflicts.length, 1);
    assert.equal(manifest.conflicts[0]!.accounts, 39);
    assert.equal(visible(dir).length, 3);
    // Both copies verify, and reading the epoch still gives the archived one.
    assert.ok((await verifyArchive(dir, 'mainnet')).findings.every((finding) => finding.problem === 'ok'));
    assert.equal(await archivedLedgerPath(dir, 'mainnet', 18, undefined), good.path);
  });

  it('lands a ledger or a conflict copy only with its manifest: when the manifest cannot be written, neither lands', async (t) => {
    const dir = tempDir();
    const good = await archiveLedger(request(dir, POST_BERKELEY, 18));
    const manifest = readFileSync(join(dir, 'mainnet', MANIFEST_FILE), 'utf8');
    const disk = diskWithRoom(t, 0, tempFileOf(MANIFEST_FILE));
    await refusal(archiveLedger(request(dir, POST_BERKELEY, 19)), 'OUTPUT_DISK_FULL');
    await refusal(archiveLedger(request(dir, PRE_BERKELEY, 18)), 'OUTPUT_DISK_FULL');
    assert.deepEqual(readdirSync(join(dir, 'mainnet')).sort(), [`epoch-18-${HASH_A}.jsonl.gz`, MANIFEST_FILE], 'no unlisted file, no temp file');
    assert.equal(readFileSync(join(dir, 'mainnet', MANIFEST_FILE), 'utf8'), manifest);
    assert.ok((await verifyArchive(dir, 'mainnet')).findings.every((finding) => finding.problem === 'ok'));
    disk.restore();
    assert.equal((await archiveLedger(request(dir, POST_BERKELEY, 19))).status, 'archived');
    await refusal(archiveLedger(request(dir, PRE_BERKELEY, 18)), 'LEDGER_ARCHIVE_CONFLICT');
    assert.equal(await archivedLedgerPath(dir, 'mainnet', 18, undefined), good.path);
  });

  it('restores an archived file that went missing or was damaged, from a copy with the same content', async () => {
    const dir = tempDir();
    const good = await archiveLedger(request(dir, POST_BERKELEY, 18));
    rmSync(good.path);
    assert.equal((await archiveLedger(request(dir, fixture('ledger', 'post-berkeley.jsonl'), 18))).status, 'repaired');
    writeFileSync(good.path, 'damaged');
    assert.equal((await archiveLedger(request(dir, POST_BERKELEY, 18))).status, 'repaired');
    assert.ok((await verifyArchive(dir, 'mainnet')).findings.every((finding) => finding.problem === 'ok'));
  });

  it('sweeps up a killed run’s temp file and adopts a landed file the manifest missed', async () => {
    const dir = tempDir();
    const first = await archiveLedger(request(dir, POST_BERKELEY, 18));
    // As if killed after the rename and before the manifest: the file is there, the entry is not.
    const manifestPath = join(dir, 'mainnet', MANIFEST_FILE);
    writeFileSync(manifestPath, readFileSync(manifestPath, 'utf8').replace(/"ledgers": \[[\s\S]*?\n {2}\]/, '"ledgers": []'));
    writeFileSync(join(dir, 'mainnet', `.epoch-18-${HASH_A}.jsonl.gz.4242.deadbeef.tmp`), 'partial');
    assert.equal((await archiveLedger(request(dir, POST_BERKELEY, 18))).status, 'archived');
    assert.deepEqual(readdirSync(join(dir, 'mainnet')).sort(), [`epoch-18-${HASH_A}.jsonl.gz`, MANIFEST_FILE]);
    assert.deepEqual(
      (await readManifest(join(dir, 'mainnet'), 'mainnet')).ledgers.map((entry) => entry.sha256),
      [first.entry.sha256],
    );
  });

  it('with keep, removes all but the newest epochs and spares the ones pinned', async () => {
    const dir = tempDir();
    for (const epoch of [10, 11, 12, 13]) await archiveLedger(request(dir, POST_BERKELEY, epoch));
    await archiveLedger(request(dir, PRE_BERKELEY, 12, HASH_B));
    const pinned = async (entry: ArchiveEntry) => entry.epoch === 11;
    const outcome = await archiveLedger(request(dir, POST_BERKELEY, 14, HASH_A, { keep: { epochs: 2, isPinned: pinned } }));
    assert.deepEqual(
      outcome.removed.map((entry) => [entry.epoch, entry.hash]),
      [
        [10, HASH_A],
        [12, HASH_A],
        [12, HASH_B],
      ],
    );
    assert.deepEqual(
      outcome.pinned.map((entry) => entry.epoch),
      [11],
    );
    assert.deepEqual(
      (await readManifest(join(dir, 'mainnet'), 'mainnet')).ledgers.map((entry) => entry.epoch),
      [11, 13, 14],
    );
    assert.deepEqual(visible(dir), [`epoch-11-${HASH_A}.jsonl.gz`, `epoch-13-${HASH_A}.jsonl.gz`, `epoch-14-${HASH_A}.jsonl.gz`, MANIFEST_FILE]);
  });
});

describe('archivedLedgerPath', () => {
  it('asks for the hash when an epoch has two ledgers, and refuses a file that changed', async () => {
    const dir = tempDir();
    await archiveLedger(request(dir, POST_BERKELEY, 18));
    const other = await archiveLedger(request(dir, PRE_BERKELEY, 18, HASH_B));
    await refusal(archivedLedgerPath(dir, 'mainnet', 18, undefined), 'LEDGER_ARCHIVE_AMBIGUOUS');
    assert.equal(await archivedLedgerPath(dir, 'mainnet', 18, HASH_B), other.path);
    await refusal(archivedLedgerPath(dir, 'mainnet', 17, undefined), 'LEDGER_ARCHIVE_MISSING');
    await refusal(archivedLedgerPath(dir, 'devnet', 18, undefined), 'INPUT_NOT_FOUND');
    writeFileSync(other.path, 'changed');
    await refusal(archivedLedgerPath(dir, 'mainnet', 18, HASH_B), 'LEDGER_ARCHIVE_INVALID');
  });
});

describe('verifyArchive', () => {
  it('finds changed, missing and unlisted files', async () => {
    const dir = tempDir();
    const changed = await archiveLedger(request(dir, POST_BERKELEY, 17));
    const missing = await archiveLedger(request(dir, POST_BERKELEY, 18));
    await archiveLedger(request(dir, POST_BERKELEY, 19));
    writeFileSync(changed.path, 'changed');
    rmSync(missing.path);
    writeFileSync(join(dir, 'mainnet', `epoch-20-${HASH_A}.jsonl.gz`), 'stray');
    const { findings } = await verifyArchive(dir, 'mainnet');
    assert.deepEqual(
      findings.map((finding) => [finding.file.slice(0, 8), finding.problem]),
      [
        ['epoch-17', 'changed'],
        ['epoch-18', 'missing'],
        ['epoch-19', 'ok'],
        ['epoch-20', 'unlisted'],
      ],
    );
  });
});

describe('parseManifest', () => {
  it('refuses a manifest whose file names leave the directory or whose fields are off', async () => {
    const dir = tempDir();
    const { entry } = await archiveLedger(request(dir, POST_BERKELEY, 18));
    const text = readFileSync(join(dir, 'mainnet', MANIFEST_FILE), 'utf8');
    assert.deepEqual(parseManifest(text, 'm.json').ledgers, [entry]);
    for (const [from, to] of [
      [entry.file, '../../etc/passwd'],
      [`"sha256": "${entry.sha256}"`, '"sha256": "nope"'],
      ['"accounts": 8', '"accounts": -8'],
      ['"version": 1', '"version": 2'],
    ] as const) {
      assert.throws(
        () => parseManifest(text.replace(from, to), 'm.json'),
        (error: unknown) => error instanceof MinapayError && error.code === 'LEDGER_ARCHIVE_INVALID',
        to,
      );
    }
  });
});
