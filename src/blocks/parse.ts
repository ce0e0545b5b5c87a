import { clipped, MinapayError, quoted } from '../errors.js';
import { parseNanomina } from '../protocol/amounts.js';
import { safeWholeNumber } from '../protocol/whole-number.js';
import { publicKeyProblem } from '../protocol/keys.js';
import { MAX_GLOBAL_SLOT } from '../protocol/timing.js';
import type { BlockRecord } from './block.js';

/**
 * Normalises one raw block record (from JSON, or a CSV row of strings) into
 * a strict BlockRecord. Pure; `where` names the record in errors, e.g.
 * "blocks.csv: row 3". `wellFormedKeys`: keys found well formed in the
 * records before, which are not checked again (a pool's blocks name the same
 * creator and coinbase receiver in each; a check is some 0.1 ms, 15 ms of a
 * plan's start for 30 blocks), and to which this record's keys are added.
 */
export function parseBlock(raw: unknown, where: string, wellFormedKeys = new Set<string>()): BlockRecord {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw blockError(where, 'is not an object of block fields');
  const fields = raw as Record<string, unknown>;
  const label = heightLabel(fields['height'], where);
  return {
    height: wholeNumber(fields['height'], 'height', Number.MAX_SAFE_INTEGER, label),
    stateHash: text(fields['stateHash'], 'stateHash', label),
    globalSlotSinceGenesis: wholeNumber(fields['globalSlotSinceGenesis'], 'globalSlotSinceGenesis', MAX_GLOBAL_SLOT, label),
    globalSlotSinceHardFork: wholeNumber(fields['globalSlotSinceHardFork'], 'globalSlotSinceHardFork', MAX_GLOBAL_SLOT, label),
    creator: publicKey(fields['creator'], 'creator', label, wellFormedKeys),
    winner: publicKey(fields['winner'], 'winner', label, wellFormedKeys),
    coinbaseReceiver: publicKey(fields['coinbaseReceiver'], 'coinbaseReceiver', label, wellFormedKeys),
    coinbase: nanomina(fields['coinbase'], 'coinbase', label),
    feeTransferToReceiver: nanomina(fields['feeTransferToReceiver'], 'feeTransferToReceiver', label),
    feeTransferViaCoinbase: nanomina(fields['feeTransferViaCoinbase'], 'feeTransferViaCoinbase', label),
  };
}

/** A record is named by its height too, when it has one that reads as a number or a string. */
function heightLabel(height: unknown, where: string): string {
  return typeof height === 'number' || typeof height === 'string' ? `${where} (height ${clipped(String(height))})` : where;
}

function blockError(where: string, problem: string): MinapayError {
  return new MinapayError('BLOCKS_INVALID', `${where} ${problem}`);
}

function text(value: unknown, field: string, where: string): string {
  if (typeof value !== 'string' || value === '') throw blockError(where, `has no ${field}`);
  return value;
}

/** JSON numbers or CSV strings of digits, within a bound. */
function wholeNumber(value: unknown, field: string, max: number, where: string): number {
  const number = safeWholeNumber(value, max);
  if (number === null) throw blockError(where, `has ${field} ${quoted(value)}; expected a whole number up to ${max}`);
  return number;
}

/** Amounts are nanomina strings: digits only, so no float and no MINA decimal can slip in. */
function nanomina(value: unknown, field: string, where: string): bigint {
  const amount = typeof value === 'string' ? parseNanomina(value) : null;
  if (amount === null) throw blockError(where, `has ${field} ${quoted(value)}; expected a whole number of nanomina as a string`);
  return amount;
}

function publicKey(value: unknown, field: string, where: string, wellFormedKeys: Set<string>): string {
  const key = text(value, field, where);
  if (wellFormedKeys.has(key)) return key;
  const problem = publicKeyProblem(key);
  if (problem !== null) throw blockError(where, `has ${field} ${clipped(key)} that ${problem}`);
  wellFormedKeys.add(key);
  return key;
}
