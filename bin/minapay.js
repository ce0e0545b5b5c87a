#!/bin/sh
//usr/bin/env true; exec node --max-semi-space-size=4 --heap-growing-percent=50 "$0" "$@"
// Shell and JavaScript at once. Run as a program, the line above is a shell
// command that starts Node on this file with a young generation of at most
// 4 MB a semi-space, and an old generation that grows by half between full
// collections rather than by V8's own factor of up to 4: on a 2M-account
// ledger `payout plan` peaks some 25 MB and then 20 MB lower at the same
// speed. V8 takes both only at start-up, and `#!/usr/bin/env -S` is missing
// from BusyBox. Run by node, that line is a comment. It runs true through
// /usr/bin/env, the one path that shebangs rely on already (/bin/true is
// missing on NixOS), as a JavaScript comment that formatters leave alone.
// Runs the compiled CLI (built by `npm run build`, which `npm ci` runs through `prepare`).
import '../dist/cli/entry.js';
