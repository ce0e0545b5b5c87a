#!/bin/sh
//usr/bin/env true; exec node --max-semi-space-size=4 "$0" "$@"
// Shell and JavaScript at once. Run as a program, the line above is a shell
// command that starts Node on this file with a young generation of at most
// 4 MB a semi-space: on a large ledger that is some 25 MB less peak memory
// at the same speed (V8 takes it only at start-up, and `#!/usr/bin/env -S`
// is missing from BusyBox). Run by node, that line is a comment. It runs
// true through /usr/bin/env, the one path that shebangs rely on already
// (/bin/true is missing on NixOS), as a JavaScript comment that formatters
// leave alone.
// Runs the compiled CLI (built by `npm run build`, which `npm ci` runs through `prepare`).
import '../dist/cli/entry.js';
