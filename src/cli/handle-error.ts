import { clipped, errorMessage, isMinapayError, withoutPrivateKeys } from '../errors.js';
import type { CliContext } from './context.js';
import { EXIT, EXIT_CODE_OF } from './exit-codes.js';

/**
 * The one place where an error becomes a line on stderr and an exit code.
 * Expected errors print their one-line message with their code; anything
 * else is a bug in minapay (exit 70), with the stack when MINAPAY_DEBUG is set.
 */
export function handleError(error: unknown, context: CliContext): number {
  if (isMinapayError(error)) {
    context.stderr.write(`minapay: ${oneLine(error.message)} [${error.code}]\n`);
    return EXIT_CODE_OF[error.code];
  }
  const detail = context.env['MINAPAY_DEBUG'] ? `\n${withoutPrivateKeys((error as Error).stack ?? String(error))}` : '';
  context.stderr.write(`minapay: internal error: ${oneLine(errorMessage(error))}${detail}\n`);
  return EXIT.internal;
}

/**
 * The longest message printed. Messages quote their input through quoted()
 * and clipped(); this bounds any that still carries a long text (a path, a
 * library's own message) so that no input can flood the terminal or a log.
 */
const MAX_MESSAGE = 1000;

/** Keys are hidden before the message is cut, so that no cut can leave part of one showing. */
function oneLine(text: string): string {
  return clipped(withoutPrivateKeys(text).replace(/\s*\n\s*/g, ' '), MAX_MESSAGE);
}
