import { writeFileAtomic } from '../io/atomic-file.js';
import { STANDARD_STREAM, type CliContext } from './context.js';

/** Writes a command's whole result to --output (atomically) or to stdout. */
export async function emit(content: string, output: string | undefined, context: CliContext): Promise<void> {
  if (output === undefined || output === STANDARD_STREAM) {
    context.stdout.write(content);
    return;
  }
  await writeFileAtomic(output, content);
}
