import { MinapayError, quoted } from '../errors.js';
import { MAX_UINT64 } from '../protocol/amounts.js';
import { wholeNumberFrom } from '../protocol/whole-number.js';

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * One GraphQL request to a Mina daemon; values always travel as variables,
 * never spliced into a query. Any failure to get an answer is
 * DAEMON_UNAVAILABLE: the request may have been seen.
 */
export async function graphqlPost(url: string, query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  let text: string;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    text = await response.text();
    if (!response.ok && !text.startsWith('{')) throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    throw new MinapayError('DAEMON_UNAVAILABLE', `${url}: no answer from the daemon (${describe(error)})`, { cause: error });
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw daemonInvalid(url, 'answered with something that is not JSON');
  }
}

/** The `data` of a query's answer; GraphQL errors are DAEMON_INVALID. */
export async function graphqlData(url: string, query: string, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const response = await graphqlPost(url, query, variables);
  const errors = graphqlErrors(response);
  if (errors !== null) throw daemonInvalid(url, errors);
  const data = response['data'];
  if (data === null || typeof data !== 'object') throw daemonInvalid(url, 'answered without data');
  return data as Record<string, unknown>;
}

/** The messages of an answer's errors, joined; null when it has none. */
export function graphqlErrors(response: Record<string, unknown>): string | null {
  const errors = response['errors'];
  if (!Array.isArray(errors) || errors.length === 0) return null;
  return errors.map((error: { message?: unknown }) => String(error?.message ?? 'unknown error')).join('; ');
}

/** A whole number the daemon sent as a string (or a small JSON number). */
export function daemonWholeNumber(value: unknown, field: string, url: string): bigint {
  const whole = wholeNumberFrom(value, MAX_UINT64);
  if (whole === null) throw daemonInvalid(url, `${field} is ${quoted(value)}, not a whole number`);
  return whole;
}

export function daemonInvalid(url: string, problem: string): MinapayError {
  return new MinapayError('DAEMON_INVALID', `${url}: ${problem}`);
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as Error).message ?? String(error);
}
