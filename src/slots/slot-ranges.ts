import type { SlotRange } from '../protocol/eras.js';

/** Ranges sorted and merged where they touch or overlap: a checkpoint's record of finished slots stays a few numbers. */
export function mergeRanges(ranges: readonly SlotRange[]): SlotRange[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  const merged: SlotRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && range.first <= last.last + 1) merged[merged.length - 1] = { first: last.first, last: Math.max(last.last, range.last) };
    else merged.push({ ...range });
  }
  return merged;
}

/** The parts of `whole` that no range of `done` covers. */
export function missingRanges(whole: SlotRange, done: readonly SlotRange[]): SlotRange[] {
  const missing: SlotRange[] = [];
  let from = whole.first;
  for (const range of mergeRanges(done)) {
    if (range.last < from) continue;
    if (range.first > whole.last) break;
    if (range.first > from) missing.push({ first: from, last: range.first - 1 });
    from = range.last + 1;
  }
  if (from <= whole.last) missing.push({ first: from, last: whole.last });
  return missing;
}

export function rangeSize(ranges: readonly SlotRange[]): number {
  return ranges.reduce((sum, range) => sum + range.last - range.first + 1, 0);
}
