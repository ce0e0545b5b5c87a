import type { ReadProgress } from '../ledger/read.js';
import type { CliContext } from './context.js';

const REDRAW_EVERY_MS = 200;

export interface ProgressLine {
  readonly update: (progress: ReadProgress) => void;
  readonly done: () => void;
}

/** Progress on stderr, redrawn in place, only for a person at a terminal. */
export function progressLine(context: CliContext, quiet: boolean): ProgressLine | undefined {
  if (quiet || context.stderr.isTTY !== true) return undefined;
  let last = 0;
  let drawn = false;
  return {
    update(progress) {
      const now = Date.now();
      if (now - last < REDRAW_EVERY_MS) return;
      last = now;
      drawn = true;
      const megabytes = (progress.bytes / 1e6).toFixed(1);
      context.stderr.write(`\rreading ledger: ${megabytes} MB, ${progress.accounts.toLocaleString('en-US')} accounts`);
    },
    done() {
      if (drawn) context.stderr.write('\r\x1b[K');
    },
  };
}
