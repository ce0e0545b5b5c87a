import { writeFileAtomic } from '../io/atomic-file.js';
import type { CliContext } from './context.js';

/** Writes a command's whole result to --output (atomically) or to stdout. */
export async function emit(content: string, output: string | undefined, context: CliContext): Promise<void> {
  if (output === undefined || output === '-') {
    context.stdout.write(content);
    return;
  }
  await writeFileAtomic(output, content);
}
