// Baseline: stream-json's bare tokenizer over a file, read as minapay reads a ledger (256 KiB reads, UTF-8
// decoded and tokenized 64 KiB at a time, packed tokens only), the tokens counted and dropped: what minapay's own
// work after tokenizing is measured against. A .jsonl file is tokenized as a stream of JSON values.
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { none } from 'stream-chain/defs.js';
import { jsonParser } from 'stream-json/core/parser.js';

const [file] = process.argv.slice(2);
const tokenize = jsonParser({ packValues: true, streamValues: false, jsonStreaming: file.endsWith('.jsonl') });
const decoder = new StringDecoder('utf8');
let tokens = 0;
const count = (batch) => {
  if (batch !== none) tokens += 'values' in batch ? batch.values.length : 1;
};
for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
  for (let from = 0; from < chunk.length; from += 64 * 1024) count(tokenize(decoder.write(chunk.subarray(from, from + 64 * 1024))));
}
count(tokenize(none));
process.stdout.write(`${tokens}\n`);
