import { writeFileAtomic } from '../io/atomic-file.js';
import { inRuns, type TextPieces } from '../io/text-pieces.js';
import { STANDARD_STREAM, type CliContext } from './context.js';

/**
 * Writes a command's whole result to --output (atomically) or to stdout; a
 * large result comes in pieces and is written in runs of them, never held
 * whole (process.stdout writes to files and pipes synchronously on Linux).
 */
export async function emit(content: TextPieces, output: string | undefined, context: CliContext): Promise<void> {
  if (output === undefined || output === STANDARD_STREAM) {
    for (const run of inRuns(content)) context.stdout.write(run);
    return;
  }
  await writeFileAtomic(output, content);
}
