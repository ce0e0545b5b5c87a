// Stands in for `mina ledger export staking-epoch-ledger|next-epoch-ledger`
// (no daemon runs here): like the daemon's client it writes the ledger's JSON
// to stdout and exits 0, or says why on stderr and exits 1.
//
//   node fake-mina-export.mjs [--staking FILE] [--next FILE] [--fail] [--half] [--hang PID_FILE] <kind>
//
// --fail: the daemon is not running. --half: the daemon dies mid-export
// (half the ledger written, then exit 1). --hang: the export prints half the
// ledger and then hangs, after writing its pid to PID_FILE; it gives up by
// itself after a minute, so that nothing hangs forever if nobody kills it.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { staking: { type: 'string' }, next: { type: 'string' }, fail: { type: 'boolean' }, half: { type: 'boolean' }, hang: { type: 'string' } },
  allowPositionals: true,
});
// First of all, so that a test that kills a hung export can find it however slowly this process started.
if (values.hang !== undefined) writeFileSync(values.hang, `${process.pid}\n`);
const kind = positionals.at(-1);
const file = kind === 'staking-epoch-ledger' ? values.staking : kind === 'next-epoch-ledger' ? values.next : undefined;
if (values.fail || file === undefined) {
  process.stderr.write(values.fail ? 'Error: daemon not running. See `mina daemon`\n' : `Error: unknown ledger ${kind}\n`);
  process.exit(1);
}
const text = readFileSync(file);
if (values.hang !== undefined) {
  process.stdout.write(text.subarray(0, text.length >> 1));
  setTimeout(() => process.exit(1), 60_000);
} else if (values.half) {
  process.stdout.write(text.subarray(0, text.length >> 1), () => {
    process.stderr.write('Error: lost connection to the daemon\n');
    process.exit(1);
  });
} else {
  process.stdout.write(text);
}
