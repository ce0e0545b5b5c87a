// Baseline: read the whole file, JSON.parse it (per line for JSON Lines), filter by delegate.
import { readFileSync } from 'node:fs';

const [file, pool] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
const accounts = file.endsWith('.jsonl')
  ? text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line))
  : JSON.parse(text);
const delegators = accounts.filter((account) => account.delegate === pool);
process.stdout.write(`${delegators.length}\n`);
