import { MinapayError, type ErrorCode } from '../errors.js';

/** What a document minapay wrote is called in messages, which format version this minapay reads, and the error it raises. */
export interface DocumentKind {
  readonly what: string;
  readonly version: number;
  /** Earlier formats this minapay still reads (a journal keeps files older versions wrote). */
  readonly alsoReads?: readonly number[];
  readonly code: ErrorCode;
}

/**
 * Reads back a JSON document minapay wrote (plan.json, signed.json,
 * manifest.json): a JSON object of the format version this minapay reads.
 * Its fields are left to the caller to check.
 */
export function parseVersionedDocument(text: string, path: string, kind: DocumentKind): Record<string, unknown> {
  const invalid = (problem: string) => new MinapayError(kind.code, `${path} ${problem}`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw invalid(`is not valid JSON: ${(error as Error).message}`);
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) throw invalid(`is not a ${kind.what} object`);
  const fields = document as Record<string, unknown>;
  const readable = [...(kind.alsoReads ?? []), kind.version];
  if (!readable.includes(fields['version'] as number)) {
    throw invalid(`has ${kind.what} format ${JSON.stringify(fields['version'])}; this minapay reads ${readable.join(' and ')}`);
  }
  return fields;
}
