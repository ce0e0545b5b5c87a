import type { Readable, Writable } from 'node:stream';

/**
 * What a command may touch of the outside world. src/cli builds it from
 * `process` (entry.ts); tests build one from buffers.
 */
export interface CliContext {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Options every command accepts. */
export interface GlobalOptions {
  readonly network: 'mainnet' | 'devnet';
  readonly output: string | undefined;
  readonly quiet: boolean;
}

/**
 * A lone "-" (stdin for a ledger, stdout for --output) as it reaches the
 * commands. yargs-parser turns "-" into an empty string, so main() swaps it
 * for this marker first; no real argument can contain a NUL.
 */
export const STANDARD_STREAM = '\u0000-';
