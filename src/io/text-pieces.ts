/**
 * Large outputs written in pieces rather than built as one string: a plan of
 * 20,000 delegators or the timed accounts of a 2M-account ledger would
 * otherwise hold tens of megabytes of text (and its UTF-8 copy) at once.
 * Each helper gives the very bytes the whole-string form would.
 */

/** Text that is written as it is made: one string, or pieces to be concatenated. */
export type TextPieces = string | Iterable<string>;

/** How large the pieces handed to a write are: a few system calls, and little held at once. */
export const PIECE_SIZE = 64 * 1024;

/** The pieces of `text` joined into runs of about PIECE_SIZE characters (a string as itself). */
export function* inRuns(text: TextPieces): Generator<string> {
  if (typeof text === 'string') {
    yield text;
    return;
  }
  let run = '';
  for (const piece of text) {
    run += piece;
    if (run.length >= PIECE_SIZE) {
      yield run;
      run = '';
    }
  }
  if (run !== '') yield run;
}

export function joined(text: TextPieces): string {
  return typeof text === 'string' ? text : [...text].join('');
}

/**
 * JSON.stringify(document, null, 2) where the top-level key `listed` holds
 * `items`, written an item at a time: only one item's text exists at once,
 * and `items` may be made as they are written. Every other value is
 * stringified whole; the document's own value at `listed` only marks where
 * the list sits among its keys.
 */
export function* prettyJsonPieces(document: Readonly<Record<string, unknown>>, listed: string, items: Iterable<unknown>): Generator<string> {
  // The document with a marker in the list's place; the marker's text cannot occur elsewhere (a NUL is escaped in JSON).
  const marker = '\u0000listed\u0000';
  const parts = JSON.stringify({ ...document, [listed]: marker }, null, 2).split(JSON.stringify(marker));
  if (parts.length !== 2) throw new Error(`the document's text holds the marker of its "${listed}" list more than once`);
  const [before, after] = parts as [string, string];
  let first = true;
  for (const item of items) {
    // Top-level keys sit at depth 1: the list's items at depth 2, four spaces in.
    yield `${first ? `${before}[\n` : ',\n'}    ${(JSON.stringify(item, null, 2) ?? 'null').replaceAll('\n', '\n    ')}`;
    first = false;
  }
  yield first ? `${before}[]${after}` : `\n  ]${after}`;
}

/**
 * Canonical JSON: keys sorted, no spaces, undefined fields left out. What
 * plan hashes are taken over. Built by appending, without an array of the
 * fields' entries (a plan of 10,000 lines: 32 ms, where sorted entries and
 * join took 46 ms).
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value === null || typeof value !== 'object') {
    // Undefined (an array's hole) is no text, as join makes of it.
    return JSON.stringify(value) ?? '';
  }
  const fields = value as Record<string, unknown>;
  let text = '{';
  for (const [name, quoted] of sortedNames(Object.keys(fields))) {
    const field = fields[name];
    if (field === undefined) continue;
    text += `${text.length === 1 ? '' : ','}${quoted}:${canonicalJson(field)}`;
  }
  return `${text}}`;
}

/** The keys of the object canonicalJson wrote last, and their sorted order with each key's JSON text. */
let lastKeys: readonly string[] = [];
let lastSortedNames: readonly (readonly [name: string, quoted: string])[] = [];

/**
 * `keys` sorted, each with its JSON text. A plan's lines are objects of the
 * same keys in the same order, one after another: the last object's order
 * is taken again when the keys are the same, rather than sorted and quoted
 * for every line (a plan's hash of 2,528 lines: 10 ms instead of 16 ms
 * warm, 19 to 30 ms instead of 32 to 49 ms cold).
 */
function sortedNames(keys: readonly string[]): readonly (readonly [string, string])[] {
  const same = keys.length === lastKeys.length && keys.every((key, at) => key === lastKeys[at]);
  if (!same) {
    lastKeys = keys;
    lastSortedNames = [...keys].sort().map((name) => [name, JSON.stringify(name)] as const);
  }
  return lastSortedNames;
}

/**
 * canonicalJson(document) in pieces, a top-level field or an element of a
 * top-level array at a time: a hash can take them one by one instead of
 * one string of the whole document.
 */
export function* canonicalJsonPieces(document: Readonly<Record<string, unknown>>): Generator<string> {
  yield '{';
  let first = true;
  // The keys in canonicalJson's order, undefined fields left out as there.
  for (const name of Object.keys(document).sort()) {
    const field = document[name];
    if (field === undefined) continue;
    yield `${first ? '' : ','}${JSON.stringify(name)}:`;
    first = false;
    if (!Array.isArray(field)) {
      yield canonicalJson(field);
      continue;
    }
    yield '[';
    for (const [at, item] of field.entries()) yield `${at === 0 ? '' : ','}${canonicalJson(item)}`;
    yield ']';
  }
  yield '}';
}
