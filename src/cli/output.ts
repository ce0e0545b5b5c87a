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
