import { planHash, type PlanDocument } from './plan-file.js';

/**
 * Compares a plan as found on disk with the plan recomputed from its
 * inputs, the way a chain re-executes a submitted block before accepting
 * it. Returns the first discrepancy, or null when the plan holds. Sections
 * are checked in the order a reader would ask about them: were the inputs
 * the same, then the terms, the blocks, every line, the totals.
 */
export function firstDiscrepancy(found: PlanDocument, recomputed: PlanDocument): string | null {
  const sections = ['inputs', 'settings', 'era', 'network', 'epoch', 'pools', 'slots', 'blocks', 'lines', 'totals'];
  for (const section of sections) {
    const difference = firstDifference(found[section], recomputed[section], section);
    if (difference !== null) return difference;
  }
  const extra = Object.keys(found).find((key) => !(key in recomputed));
  if (extra !== undefined) return `${extra}: the plan has a field that planning does not write`;
  return conservationProblem(found) ?? (planHash(found) === found.planHash ? null : "planHash: does not match the plan's contents");
}

function firstDifference(found: unknown, expected: unknown, path: string): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(found)) return `${path}: plan has ${JSON.stringify(found)}, recomputed an array`;
    for (let index = 0; index < Math.max(found.length, expected.length); index++) {
      const difference = firstDifference(found[index], expected[index], `${path}[${index}]${lineLabel(path, expected[index] ?? found[index])}`);
      if (difference !== null) return difference;
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    if (found === null || typeof found !== 'object' || Array.isArray(found)) return `${path}: plan has ${JSON.stringify(found)}, recomputed an object`;
    const keys = new Set([...Object.keys(expected), ...Object.keys(found)]);
    for (const key of keys) {
      const difference = firstDifference((found as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
      if (difference !== null) return difference;
    }
    return null;
  }
  return found === expected ? null : `${path}: plan has ${JSON.stringify(found) ?? 'nothing'}, recomputed ${JSON.stringify(expected) ?? 'nothing'}`;
}

/** Lines and blocks are named by their account or state hash as well as their index. */
function lineLabel(path: string, item: unknown): string {
  if (item === null || typeof item !== 'object') return '';
  const record = item as Record<string, unknown>;
  if (path === 'lines' && typeof record['pk'] === 'string') return ` (${record['pk']})`;
  if (path === 'blocks' && typeof record['stateHash'] === 'string') return ` (${record['stateHash']})`;
  return '';
}

/**
 * rewards = earned + commission + remainder, and each total is the sum of
 * its lines. Runs after the sections matched the recomputed plan, so every
 * field is there and holds a whole number.
 */
function conservationProblem(plan: PlanDocument): string | null {
  const totals = plan['totals'] as Record<string, string>;
  const lines = plan['lines'] as Record<string, string>[];
  const total = (field: string) => BigInt(totals[field]!);
  if (total('rewards') !== total('earned') + total('commission') + total('remainder')) return 'totals: rewards are not earned + commission + remainder';
  for (const field of ['earned', 'commission', 'carriedIn', 'carriedOut', 'txFees']) {
    const lineField = field === 'txFees' ? 'txFee' : field;
    const sum = lines.reduce((acc, line) => acc + BigInt(line[lineField]!), 0n);
    if (sum !== total(field)) return `totals.${field}: is not the sum of the lines' ${lineField}`;
  }
  return null;
}
