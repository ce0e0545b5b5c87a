import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import { MinapayError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-file.js';
import { parseVersionedDocument } from '../io/versioned-document.js';
import type { SlotRange } from '../protocol/eras.js';
import type { StakingDelegator } from './producer-delegators.js';
import { mergeRanges } from './slot-ranges.js';

/**
 * The record a `minapay slots` run keeps of what it has evaluated, so that
 * a killed run resumes where it stopped and a finished one answers again
 * without evaluating. It holds the producer's public key and what the
 * evaluation depends on, never the private key: only a digest of the inputs,
 * the finished slots as ranges and the winning (slot, index, output) triples.
 */
export interface SlotsCheckpoint {
  /** sha256 of the inputs (see checkpointInputs): a checkpoint of other inputs is refused. */
  readonly inputs: string;
  readonly done: readonly SlotRange[];
  readonly winners: readonly CheckpointWinner[];
}

export interface CheckpointWinner {
  readonly slot: number;
  readonly index: number;
  readonly truncated: bigint;
}

const KIND = { what: 'slots checkpoint', version: 1, code: 'SLOTS_CHECKPOINT_INVALID' } as const;

export interface CheckpointInputs {
  readonly network: string;
  readonly era: string;
  readonly producer: string;
  readonly seed: bigint;
  readonly totalCurrency: bigint;
  readonly delegators: readonly StakingDelegator[];
}

/** The digest of everything a won slot depends on but the key (which the producer's public key stands for). */
export function checkpointInputs(inputs: CheckpointInputs): string {
  const canonical = JSON.stringify({
    network: inputs.network,
    era: inputs.era,
    producer: inputs.producer,
    seed: inputs.seed.toString(),
    totalCurrency: inputs.totalCurrency.toString(),
    delegators: inputs.delegators.map((d) => [d.index, d.pk, d.balance.toString()]),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** The checkpoint at `path` for these inputs; null when there is none yet. */
export async function readCheckpoint(path: string, inputs: string): Promise<SlotsCheckpoint | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new MinapayError('IO_ERROR', `${path}: cannot read the checkpoint (${(error as NodeJS.ErrnoException).code})`);
  }
  const fields = parseVersionedDocument(text, path, KIND);
  const invalid = (problem: string) => new MinapayError('SLOTS_CHECKPOINT_INVALID', `${path}: ${problem}`);
  if (fields['inputs'] !== inputs) {
    throw invalid('is the checkpoint of other inputs (key, seed, ledger or total currency); remove it or give another --checkpoint');
  }
  return { inputs, done: doneRanges(fields['done'], invalid), winners: checkpointWinners(fields['winners'], invalid) };
}

export async function writeCheckpoint(path: string, checkpoint: SlotsCheckpoint, producer: string): Promise<void> {
  const document = {
    version: KIND.version,
    producer,
    inputs: checkpoint.inputs,
    done: mergeRanges(checkpoint.done).map((range) => [range.first, range.last]),
    winners: [...checkpoint.winners].sort((a, b) => a.slot - b.slot || a.index - b.index).map((w) => [w.slot, w.index, w.truncated.toString()]),
  };
  await writeFileAtomic(path, `${JSON.stringify(document)}\n`);
}

const isSlot = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function doneRanges(value: unknown, invalid: (problem: string) => MinapayError): SlotRange[] {
  if (!Array.isArray(value)) throw invalid('has no list of finished slots');
  return value.map((range: unknown, i) => {
    if (!Array.isArray(range) || range.length !== 2 || !isSlot(range[0]) || !isSlot(range[1]) || range[0] > range[1]) {
      throw invalid(`done[${i}] is not a range of slots`);
    }
    return { first: range[0], last: range[1] };
  });
}

function checkpointWinners(value: unknown, invalid: (problem: string) => MinapayError): CheckpointWinner[] {
  if (!Array.isArray(value)) throw invalid('has no list of winners');
  return value.map((winner: unknown, i) => {
    if (
      !Array.isArray(winner) ||
      winner.length !== 3 ||
      !isSlot(winner[0]) ||
      !isSlot(winner[1]) ||
      typeof winner[2] !== 'string' ||
      !/^\d+$/.test(winner[2])
    ) {
      throw invalid(`winners[${i}] is not [slot, index, output]`);
    }
    return { slot: winner[0], index: winner[1], truncated: BigInt(winner[2]) };
  });
}
