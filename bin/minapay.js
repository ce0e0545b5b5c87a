#!/bin/sh
//usr/bin/env true; flags="--max-semi-space-size=4 --heap-growing-percent=50 --no-allocation-site-pretenuring --no-parallel-scavenge"
//usr/bin/env true; exec node $flags --interrupt-budget=400000 "$0" "$@"
// Shell and JavaScript at once. Run as a program, the lines above are shell
// commands that start Node on this file with a young generation of at most
// 4 MB a semi-space, and an old generation that grows by half between full
// collections rather than by V8's own factor of up to 4: on a 2M-account
// ledger `payout plan` peaks some 25 MB and then 20 MB lower at the same
// speed. And without V8's allocation-site pretenuring: in some runs of
// `payout plan` a full collection came every 30 ms from the read's start
// (old generation 19 MB down to 8 MB each time), twice the time and the
// CPU, as when V8 starts making short-lived objects in the old generation
// (9 of 50 runs on 1M accounts; none of 21 with the flag). And each young
// collection made by the thread alone rather than shared with helper
// threads: with a young generation this small, sharing cost more than it
// saved (`ledger delegators` on 1M accounts: 6.2 s instead of 6.7 s, its
// young collections 0.35 s instead of 0.55 s). And V8's optimising
// compiler started only after six times the usual interrupt budget: a
// command runs most of its code briefly (a plan's lines, report and
// documents, 2,528 times each at 250k accounts), and compiling it on a
// helper thread took some 200 ms of CPU from a plan's hashing thread after
// the read, for code that ran a few milliseconds once compiled; the read's
// loops run long enough to be compiled all the same (`payout plan`
// after the read 215 to 245 ms instead of 275 to 320, `ledger delegators`
// and the other one-pass commands as fast, with 2 to 8% less CPU). V8
// takes these only at start-up, and `#!/usr/bin/env -S` is missing
// from BusyBox. Run by node, those lines are comments. Each runs true through
// /usr/bin/env, the one path that shebangs rely on already (/bin/true is
// missing on NixOS), as a JavaScript comment that formatters leave alone.
// Runs the compiled CLI (built by `npm run build`, which `npm ci` runs through `prepare`).
import '../dist/cli/entry.js';
