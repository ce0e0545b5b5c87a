import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ERAS, eraNamed } from '../../src/protocol/eras.js';
import {
  checkKimchiVrfEra,
  epochSlotsSinceHardFork,
  markWonSlots,
  slotPlace,
  slotRangeInEpoch,
  type CanonicalBlock,
  type WonSlot,
} from '../../src/protocol/vrf-slots.js';
import { daemonThreshold } from '../../src/protocol/vrf-threshold.js';

const BERKELEY = eraNamed(ERAS.mainnet, 'berkeley');
const MESA = eraNamed(ERAS.mainnet, 'mesa');
const PRODUCER = 'B62qrztYfPinaKqpXaYGY6QJ3SSW2NNKs7SajBLF1iFNXW9BoALN2Aq';
const OTHER = 'B62qoGasCeX5M5HyK95AKLh6eXK92tBgAfkVJPuS8A8NkATuMjRxSbF';

describe('epoch slots for the VRF', () => {
  it('counts slots since the hard fork, E * 7140 on, and places them in time where the era is known', () => {
    assert.deepEqual(epochSlotsSinceHardFork(BERKELEY, 2), { first: 14280, last: 21419 });
    assert.deepEqual(slotRangeInEpoch(BERKELEY, 2, 10, 19), { first: 14290, last: 14299 });
    assert.throws(() => slotRangeInEpoch(BERKELEY, 2, 10, 7140), { code: 'USAGE' });
    // 2024-06-05T00:00Z plus 14,290 slots of 180 s.
    assert.deepEqual(slotPlace(BERKELEY, 14290), { sinceHardFork: 14290, sinceGenesis: 578770, inEpoch: 10, time: '2024-07-04T18:30:00.000Z' });
  });

  it('leaves the global slot and time unknown in an era whose start is not known, and refuses pre-Berkeley eras', () => {
    assert.deepEqual(slotPlace(MESA, 7), { sinceHardFork: 7, sinceGenesis: null, inEpoch: 7, time: null });
    assert.throws(() => checkKimchiVrfEra(eraNamed(ERAS.mainnet, '2021')), { code: 'VRF_PRE_BERKELEY' });
    assert.doesNotThrow(() => checkKimchiVrfEra(MESA));
  });
});

describe('won slots against the chain', () => {
  const delegator = { index: 2, pk: 'B62qj1zaXZxuRGzYfuq2KBSWvoei73uGZw4yqzRNTW6xiff5TGy6VJe', balance: 1n, threshold: daemonThreshold(1n, 2n) };
  const won = (slot: number): WonSlot => ({ slot, delegator, truncated: 0n, winners: 1 });
  const block = (slot: number, creator: string): CanonicalBlock => ({ slotSinceHardFork: slot, creator, winner: delegator.pk, stateHash: `3NK${slot}` });

  it('marks produced, lost, missed, and pending past what the chain covers', () => {
    const marked = markWonSlots([won(1), won(2), won(3), won(9)], [block(1, PRODUCER), block(2, OTHER), block(5, PRODUCER)], PRODUCER, 6);
    assert.deepEqual(
      marked.map((m) => [m.outcome, m.block?.stateHash]),
      [
        ['produced', '3NK1'],
        ['lost', '3NK2'],
        ['missed', undefined],
        ['pending', undefined],
      ],
    );
    assert.equal(markWonSlots([won(9)], [], PRODUCER, null)[0]?.outcome, 'missed');
  });
});
