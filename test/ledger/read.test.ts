import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';

import { MinapayError } from '../../src/errors.js';
import { fileInput, readLedger, streamInput, type LedgerInput } from '../../src/ledger/read.js';
import { collect, collectAccounts, fixture, tempDir, withoutIndex } from '../helpers.js';

const POST_BERKELEY = fixture('ledger', 'post-berkeley.json');
const read = (input: LedgerInput) => collectAccounts(readLedger(input));

async function refusal(input: LedgerInput, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(read(input), (error: unknown) => {
    assert.ok(error instanceof MinapayError, `expected a MinapayError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

function bytesInChunks(bytes: Buffer, cuts: readonly number[]): LedgerInput {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point > from) chunks.push(bytes.subarray(from, point));
    from = Math.max(from, point);
  }
  return streamInput('<chunks>', Readable.from(chunks));
}

describe('readLedger formats', () => {
  it('reads the post-Berkeley array, JSONL, gzip JSONL, genesis wrapper and docker output alike', async () => {
    const expected = withoutIndex(await read(fileInput(POST_BERKELEY)));
    assert.equal(expected.length, 8);
    for (const name of ['post-berkeley.jsonl', 'post-berkeley.jsonl.gz', 'genesis-wrapped.json', 'docker-preamble.json']) {
      assert.deepEqual(withoutIndex(await read(fileInput(fixture('ledger', name)))), expected, name);
    }
  });

  it('detects gzip by magic bytes, not by the file name', async () => {
    const plain = await read(fileInput(fixture('ledger', 'pre-berkeley.json')));
    assert.equal(plain.length, 39);
    assert.deepEqual(await read(fileInput(fixture('ledger', 'pre-berkeley-gzipped.json'))), plain);
  });

  it('warns once per skipped line before the JSON', async () => {
    const warnings: string[] = [];
    await collect(readLedger(fileInput(fixture('ledger', 'docker-preamble.json')), { onWarning: (m) => warnings.push(m) }));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /skipped non-JSON line 1: Using password from environment variable/);
  });

  it('gives the same accounts however the bytes are split into chunks (plain and gzip)', async () => {
    const plain = readFileSync(fixture('ledger', 'pre-berkeley.json'));
    const gzipped = gzipSync(readFileSync(POST_BERKELEY));
    const expectedPlain = await read(fileInput(fixture('ledger', 'pre-berkeley.json')));
    const expectedGzip = await read(fileInput(POST_BERKELEY));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 40 }), async (cuts) => {
        assert.deepEqual(await read(bytesInChunks(plain, cuts)), expectedPlain);
        assert.deepEqual(await read(bytesInChunks(gzipped, cuts)), expectedGzip);
      }),
      { numRuns: 60 },
    );
  });

  it('reads a file into the memory the caller gives again and again, plain and gzip, and hands on each read as it lies there', async () => {
    // Two small buffers in turn: zlib and its pipeline take chunks ahead of the parse, so the gzip path must copy them.
    for (const path of [fixture('ledger', 'pre-berkeley.json'), fixture('ledger', 'mainnet-2021-staking-ledger-jwJXdYz.json.gz')]) {
      const memories = [new Uint8Array(4096), new Uint8Array(4096)];
      let lent = 0;
      const given: Buffer[] = [];
      const accounts = await collectAccounts(
        readLedger(fileInput(path), {
          bytesInto: () => memories[lent++ % 2] as Uint8Array,
          onBytes: (chunk) => {
            assert.equal(chunk.buffer, memories[(lent - 2) % 2]?.buffer, 'a read lies in the memory given for it, the one before the memory lent last');
            given.push(Buffer.from(chunk));
          },
        }),
      );
      assert.deepEqual(accounts, await read(fileInput(path)), path);
      assert.deepEqual(Buffer.concat(given), readFileSync(path), `${path}: every byte handed on, in order`);
    }
  });

  it('keeps multi-byte UTF-8 split across chunks intact', async () => {
    const text = readFileSync(POST_BERKELEY, 'utf8').replace('"token_symbol": "TKN"', '"token_symbol": "ℳ🪙"');
    const bytes = Buffer.from(text);
    const at = bytes.indexOf(Buffer.from('🪙')) + 2;
    const accounts = await read(bytesInChunks(bytes, [at]));
    assert.equal(accounts.length, 8);
  });
});

describe('readLedger refusals', () => {
  const dir = tempDir();
  const write = (name: string, content: string | Buffer): LedgerInput => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return fileInput(path);
  };
  const text = readFileSync(POST_BERKELEY, 'utf8');

  it("passes on a failure of the caller's onBytes as it is, not as the file's read error", async () => {
    const failure = new Error('the hashing thread failed: no more room');
    await assert.rejects(
      collect(
        readLedger(fileInput(POST_BERKELEY), {
          onBytes: () => {
            throw failure;
          },
        }),
      ),
      (error) => error === failure,
    );
  });

  it("passes on a failure of the caller's bytesInto as it is, and a missing file as the file's", async () => {
    const failure = new Error('the hashing thread failed: gone');
    const failing = {
      bytesInto: () => {
        throw failure;
      },
    };
    await assert.rejects(collect(readLedger(fileInput(POST_BERKELEY), failing)), (error) => error === failure);
    await assert.rejects(collect(readLedger(fileInput(join(dir, 'nope.json')), failing)), /nope\.json: cannot open ledger \(ENOENT\)/);
  });

  it('names a missing file', async () => {
    await refusal(fileInput(join(dir, 'nope.json')), 'INPUT_NOT_FOUND', /nope\.json: cannot open ledger \(ENOENT\)/);
  });

  it('decodes a character cut between two pieces of one read of a file, plain or gzip, whole', async () => {
    // A file is read, and gzip decompressed, 256 KiB at a time and decoded 64 KiB at a time: the second account's
    // balance, a 4-byte character, is moved by padding the first account's token symbol (a field nobody reads) to start
    // 2 bytes before 64 KiB.
    const withCoin = text.replace('"balance": "1500.5"', '"balance": "🪙"');
    const padding = 64 * 1024 - 2 - Buffer.from(withCoin).indexOf(Buffer.from('🪙'));
    const cut = withCoin.replace('"token_symbol": ""', `"token_symbol": "${'x'.repeat(padding)}"`);
    assert.equal(Buffer.from(cut).indexOf(Buffer.from('🪙')), 64 * 1024 - 2);
    const refused = /account #1 .* has balance that is not a decimal MINA amount \("🪙"\)/;
    await refusal(write('cut-coin.json', cut), 'LEDGER_BAD_AMOUNT', refused);
    await refusal(write('cut-coin.json.gz', gzipSync(cut)), 'LEDGER_BAD_AMOUNT', refused);
  });

  it('reports a truncated array, gzip stream and JSON Lines file', async () => {
    await refusal(write('cut.json', text.slice(0, text.length / 2)), 'LEDGER_TRUNCATED', /cut\.json: .*truncated/);
    await refusal(write('cut.json.gz', gzipSync(text).subarray(0, 600)), 'LEDGER_TRUNCATED', /gzip data ends early/);
    const lines = readFileSync(fixture('ledger', 'post-berkeley.jsonl'), 'utf8');
    await refusal(write('cut.jsonl', lines.slice(0, lines.length - 40)), 'LEDGER_TRUNCATED', /line 8 is cut short/);
  });

  it('gives the line and column of invalid JSON in a file, and a character range on a stream', async () => {
    const broken = text.replace('"balance": "42"', '"balance": "42",,');
    const line = broken.slice(0, broken.indexOf(',,')).split('\n').length;
    await refusal(write('broken.json', broken), 'LEDGER_INVALID_JSON', new RegExp(`broken\\.json: invalid JSON at line ${line}, column \\d+`));
    await refusal(streamInput('<stdin>', Readable.from([Buffer.from(broken)])), 'LEDGER_INVALID_JSON', /<stdin>: invalid JSON between characters 0 and \d+/);
    const lines = readFileSync(fixture('ledger', 'post-berkeley.jsonl'), 'utf8').split('\n');
    lines[2] = '{"pk": oops}';
    await refusal(write('broken.jsonl', lines.join('\n')), 'LEDGER_INVALID_JSON', /broken\.jsonl: invalid JSON on line 3/);
  });

  it('counts skipped preamble lines in positions', async () => {
    const broken = `Using password from environment variable\n${text.replace('"balance": "42"', '"balance": 42 42')}`;
    const line = broken.slice(0, broken.indexOf('42 42')).split('\n').length;
    await refusal(write('pre.json', broken), 'LEDGER_INVALID_JSON', new RegExp(`line ${line}, column`));
  });

  it('refuses a top level that is not an account array or the wrapper', async () => {
    await refusal(write('number.json', '42\n'), 'LEDGER_NOT_A_LEDGER', /number\.json: does not contain a JSON array or object/);
    await refusal(write('empty.json', ''), 'LEDGER_NOT_A_LEDGER', /empty\.json: is empty/);
    await refusal(write('object.json', '{\n  "accounts": []\n}\n'), 'LEDGER_NOT_A_LEDGER', /without a "ledger\.accounts" array/);
    await refusal(write('wrapped-number.json', '{\n "ledger": {"accounts": 5}\n}'), 'LEDGER_NOT_A_LEDGER', /object\.json|not a ledger export/);
  });

  it('refuses bad accounts naming the file, index and key', async () => {
    const negative = text.replace('"balance": "42"', '"balance": "-42"');
    await refusal(write('negative.json', negative), 'LEDGER_BAD_AMOUNT', /negative\.json: account #4 \(B62qj1zaX.*\) has balance that is negative/);
    const precise = text.replace('"balance": "42"', '"balance": "42.0000000001"');
    await refusal(write('precise.json', precise), 'LEDGER_BAD_AMOUNT', /account #4 .* more than 9 decimals/);
    const huge = text.replace('"balance": "42"', '"balance": "18446744074"');
    await refusal(write('huge.json', huge), 'LEDGER_BAD_AMOUNT', /account #4 .* exceeds 2\^64-1/);
    const badKey = text.replace(/"pk": "B62qj1zaX[^"]*"/, '"pk": "B62qj1zaX"');
    await refusal(write('badkey.json', badKey), 'LEDGER_BAD_PUBLIC_KEY', /account #4 \(B62qj1zaX\) has pk/);
  });

  it('refuses a pk nested 50,000 levels deep in every format, naming the account, instead of overflowing the stack', async () => {
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const account = `{"pk": ${deep}, "balance": "1"}`;
    for (const [name, content] of [
      ['deep.json', `[${account}]`],
      ['deep-wrapped.json', `{"ledger": {"accounts": [${account}]}}`],
      ['deep.jsonl', `${account}\n`],
    ] as const) {
      await refusal(
        write(name, content),
        'LEDGER_BAD_PUBLIC_KEY',
        new RegExp(`${name.replace('.', '\\.')}: account #0 has pk an array, not a B62 public key$`),
      );
    }
  });

  it('refuses a balance written as a JSON number in an array, a wrapper and JSON Lines alike: exports write strings', async () => {
    const key = 'B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1';
    const account = `{"pk": "${key}", "balance": 1000}`;
    const timing = '{"initial_minimum_balance": "1", "cliff_time": 86400, "cliff_amount": "1", "vesting_period": "1", "vesting_increment": "0"}';
    const timed = `{"pk": "${key}", "balance": "1000", "timing": ${timing}}`;
    for (const [name, content] of [
      ['number.json', `[${account}]`],
      ['number-wrapped.json', `{"ledger": {"accounts": [${account}]}}`],
      ['number.jsonl', `${account}\n`],
    ] as const) {
      await refusal(write(name, content), 'LEDGER_BAD_AMOUNT', new RegExp(`account #0 \\(${key}\\) has balance 1000; expected a decimal MINA string$`));
    }
    for (const [name, content] of [
      ['slot-number.json', `[${timed}]`],
      ['slot-number.jsonl', `${timed}\n`],
    ] as const) {
      await refusal(write(name, content), 'LEDGER_BAD_ACCOUNT', /has timing\.cliff_time 86400; expected a slot number string$/);
    }
  });

  it('quotes no more than the start of a 50 MB pk, and says how long it was', async () => {
    const long = `B62${'a'.repeat(50_000_000)}`;
    await assert.rejects(read(write('long.json', `[{"pk": "${long}", "balance": "1"}]`)), (error: unknown) => {
      assert.ok(error instanceof MinapayError);
      assert.equal(error.code, 'LEDGER_BAD_PUBLIC_KEY');
      assert.ok(error.message.length < 400, `${error.message.length} characters`);
      assert.match(error.message, /account #0 \(B62a{57}\.\.\. \(50000003 characters\)\) has pk "B62a{57}"\.\.\. \(50000003 characters\), not a B62/);
      return true;
    });
  });

  it('refuses the same key twice for the same token, across both spellings of MINA', async () => {
    const accounts = JSON.parse(text) as Record<string, unknown>[];
    const twice = [...accounts, { ...accounts[1], token: '1' }];
    await refusal(write('twice.json', JSON.stringify(twice)), 'LEDGER_DUPLICATE_ACCOUNT', /twice\.json: account #8 \(B62qjWCp.*\) appears twice/);
  });

  it('refuses an account that appears twice in a stream, which cannot be read again to name it', async () => {
    const accounts = JSON.parse(text) as Record<string, unknown>[];
    const twice = Buffer.from(JSON.stringify([...accounts, accounts[1]]));
    await refusal(streamInput('<stdin>', Readable.from([twice])), 'LEDGER_DUPLICATE_ACCOUNT', /^<stdin>: an account appears twice .*from a file/);
  });
});
