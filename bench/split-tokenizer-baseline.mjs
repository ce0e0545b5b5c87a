// Baseline: stream-json's bare tokenizer over a ledger's JSON array in two threads, each taking half of the file,
// decoded and tokenized as tokenizer-baseline.mjs does the whole (64 KiB at a time, UTF-8, packed tokens only). What a read
// split across the cores could gain (bench/split-tokenizer.ts). The file is cut after an account's closing brace
// near the middle; each half is made a whole array ("]" after the first, "[" before the second), so a cut inside an
// account fails to parse instead of passing unnoticed. Prints the two halves' token counts.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { none } from 'stream-chain/defs.js';
import { jsonParser } from 'stream-json/core/parser.js';

const READ = 64 * 1024;

/** Tokens of bytes [start, end) of the file, with `before` and `after` tokenized around them. */
function tokenCount(file, start, end, before, after) {
  const tokenize = jsonParser({ packValues: true, streamValues: false });
  const decoder = new StringDecoder('utf8');
  let tokens = 0;
  const count = (batch) => {
    if (batch !== none) tokens += 'values' in batch ? batch.values.length : 1;
  };
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(READ);
  count(tokenize(before));
  for (let at = start; at < end; ) {
    const read = readSync(fd, buffer, 0, Math.min(READ, end - at), at);
    if (read === 0) break;
    at += read;
    count(tokenize(decoder.write(buffer.subarray(0, read))));
  }
  count(tokenize(after));
  count(tokenize(none));
  closeSync(fd);
  return tokens;
}

/** The offset just after the first "}" followed by "," and "{" (whitespace between) from the middle of the file on. */
function cutNearMiddle(file) {
  const middle = Math.floor(statSync(file).size / 2);
  const fd = openSync(file, 'r');
  const probe = Buffer.alloc(1 << 20);
  const read = readSync(fd, probe, 0, probe.length, middle);
  closeSync(fd);
  const found = /\}\s*,\s*\{/.exec(probe.subarray(0, read).toString('latin1'));
  if (found === null) throw new Error(`no account boundary within 1 MiB of the middle of ${file}`);
  return { firstEnd: middle + found.index + 1, secondStart: middle + found.index + found[0].lastIndexOf('{') };
}

if (isMainThread) {
  const [file] = process.argv.slice(2);
  const { firstEnd, secondStart } = cutNearMiddle(file);
  const first = new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { file, end: firstEnd } });
    worker.on('message', resolve).on('error', reject);
  });
  const second = tokenCount(file, secondStart, statSync(file).size, '[', '');
  process.stdout.write(`${await first} ${second}\n`);
} else {
  parentPort.postMessage(tokenCount(workerData.file, 0, workerData.end, '', ']'));
}
