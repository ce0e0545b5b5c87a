import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { readBlocksFile } from '../../src/blocks/file.js';
import { MinapayError } from '../../src/errors.js';
import { fixture, tempDir } from '../helpers.js';

/** The key with its last character changed: its checksum no longer holds. */
const badChecksum = (key: string) => `${key.slice(0, -1)}${key.endsWith('2') ? '3' : '2'}`;
const isError = (code: string, message: RegExp) => (error: unknown) => error instanceof MinapayError && error.code === code && message.test(error.message);

describe('readBlocksFile', () => {
  it('reads the same strict records from JSON and CSV, sorted by height', async () => {
    const fromJson = await readBlocksFile(fixture('blocks', 'post-berkeley.blocks.json'));
    const fromCsv = await readBlocksFile(fixture('blocks', 'post-berkeley.blocks.csv'));
    assert.deepEqual(fromJson, fromCsv);
    assert.deepEqual(
      fromJson.map((b) => [b.height, b.coinbase, b.feeTransferToReceiver, b.feeTransferViaCoinbase]),
      [
        [420001, 720_000_000_000n, 1_500_000_000n, 0n],
        [420102, 720_000_000_000n, 25_000_000n, 10_000_000n],
      ],
    );
  });

  it('refuses bad records naming the file, the record and the field', async () => {
    const dir = tempDir();
    const good = JSON.parse(readFileSync(fixture('blocks', 'post-berkeley.blocks.json'), 'utf8')) as Record<string, unknown>[];
    const cases: [string, unknown, RegExp][] = [
      ['negative', [{ ...good[0], coinbase: '-5' }], /block 0 \(height 420102\) has coinbase "-5"/],
      ['decimal', [good[1], { ...good[0], feeTransferToReceiver: '1.5' }], /block 1 .* feeTransferToReceiver "1.5"/],
      ['number', [{ ...good[0], coinbase: 720000000000 }], /coinbase 720000000000; expected a whole number of nanomina as a string/],
      ['nohash', [{ ...good[0], stateHash: undefined }], /has no stateHash/],
      ['key', [{ ...good[0], winner: 'B62qnotakey' }], /winner B62qnotakey that is not a B62 public key/],
      // A key checked once is not checked again: this one differs from the first block's creator in its last character.
      ['laterKey', [good[0], { ...good[1], creator: badChecksum(good[0]!['creator'] as string) }], /block 1 .* has creator .* bad base58check checksum/],
      ['object', { blocks: good }, /expected a JSON array/],
    ];
    for (const [name, content, message] of cases) {
      const path = join(dir, `${name}.json`);
      writeFileSync(path, JSON.stringify(content));
      await assert.rejects(readBlocksFile(path), isError('BLOCKS_INVALID', new RegExp(`${name}\\.json: .*${message.source}`)), name);
    }
    // Written as text: a value nested 50,000 deep is beyond JSON.stringify, and was beyond the old error message too.
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const deepFile = join(dir, 'deep.json');
    writeFileSync(deepFile, JSON.stringify([good[0]]).replace(/"coinbase":"\d+"/, `"coinbase":${deep}`));
    await assert.rejects(
      readBlocksFile(deepFile),
      isError('BLOCKS_INVALID', /deep\.json: block 0 \(height 420102\) has coinbase an array; expected a whole number/),
    );
    writeFileSync(deepFile, JSON.stringify([good[0]]).replace(/"height":\d+/, `"height":${deep}`));
    await assert.rejects(readBlocksFile(deepFile), isError('BLOCKS_INVALID', /deep\.json: block 0 has height an array; expected a whole number/));
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, readFileSync(fixture('blocks', 'post-berkeley.blocks.csv'), 'utf8').replace('720000000000,25000000', '720000000000,-1'));
    await assert.rejects(readBlocksFile(csv), isError('BLOCKS_INVALID', /bad\.csv: row 3 \(height 420102\) has feeTransferToReceiver "-1"/));
    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, '[{"height": 1');
    await assert.rejects(readBlocksFile(truncated), isError('BLOCKS_INVALID', /truncated\.json: invalid JSON/));
    await assert.rejects(readBlocksFile(join(dir, 'absent.json')), isError('INPUT_NOT_FOUND', /absent\.json: cannot open blocks file/));
  });
});
