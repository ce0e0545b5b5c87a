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

/** A result as one JSON document: amounts (bigint nanomina) become decimal strings, never numbers that lose digits. */
export function jsonDocument(value: unknown): string {
  return `${JSON.stringify(value, (_key, field: unknown) => (typeof field === 'bigint' ? field.toString() : field), 2)}\n`;
}

/** A result of a command with `--format text|json` (TEXT_OR_JSON in options.ts): its line(s) for people, or its JSON document. */
export interface Result {
  readonly text: string;
  readonly json: unknown;
}

export async function emitResult(result: Result, args: Readonly<Record<string, unknown>>, context: CliContext): Promise<void> {
  const output = typeof args['output'] === 'string' ? args['output'] : undefined;
  await emit(args['format'] === 'json' ? jsonDocument(result.json) : result.text, output, context);
}
