import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MinapayError } from '../../src/errors.js';
import { publicKeyProblem } from '../../src/protocol/keys.js';
import {
  type ChainEraFacts,
  epochSlots,
  eraNamed,
  eraOfChain,
  ERAS,
  erasPossiblyAt,
  slotAtTime,
  slotPosition,
  slotStartTime,
  slotTime,
  superchargeFactorAt,
  withOverrides,
} from '../../src/protocol/eras.js';

const mainnet = ERAS.mainnet;
const isCode = (code: string) => (error: unknown) => error instanceof MinapayError && error.code === code;

describe('eras', () => {
  it('hold the mainnet figures: 720 MINA and 180 s, supercharged only in 2021; Mesa 360 MINA and 90 s', () => {
    assert.deepEqual(
      mainnet.map((era) => [era.name, era.coinbase, era.slotDurationMs, era.slotsPerEpoch, era.superchargeFactor]),
      [
        ['2021', 720_000_000_000n, 180_000, 7140, 2],
        ['berkeley', 720_000_000_000n, 180_000, 7140, 1],
        ['mesa', 360_000_000_000n, 90_000, 7140, 1],
      ],
    );
    assert.equal(eraNamed(mainnet, 'mesa').firstGlobalSlot, null);
  });

  it("put Berkeley's first slot exactly at its start time by the 2021 era's clock", () => {
    const berkeley = eraNamed(mainnet, 'berkeley');
    assert.equal(slotStartTime(eraNamed(mainnet, '2021'), 564_480), Date.parse(berkeley.startTime as string));
  });

  it("count epochs from each era's first slot", () => {
    assert.deepEqual(epochSlots(eraNamed(mainnet, '2021'), 0), { first: 0, last: 7139 });
    assert.deepEqual(epochSlots(eraNamed(mainnet, 'berkeley'), 1), { first: 571_620, last: 578_759 });
    assert.throws(() => epochSlots(eraNamed(mainnet, 'mesa'), 0), isCode('ERA_START_UNKNOWN'));
  });

  it('convert slots to wall-clock time within an era', () => {
    const mesa = eraNamed(withOverrides(mainnet, 'mesa', { firstGlobalSlot: 958_080, startTime: '2026-09-03T00:00:00.000Z' }), 'mesa');
    assert.equal(new Date(slotStartTime(mesa, 958_080 + 960)).toISOString(), '2026-09-04T00:00:00.000Z');
    assert.throws(() => slotStartTime(eraNamed(mainnet, 'mesa'), 1), isCode('ERA_START_UNKNOWN'));
  });

  it('convert between slots and times both ways, only where the era is certain', () => {
    assert.equal(slotTime(mainnet, 331_200), '2023-02-05T00:00:00.000Z');
    assert.equal(slotAtTime(mainnet, Date.parse('2023-02-05T00:02:59Z')), 331_200);
    assert.equal(slotTime(mainnet, 600_000), null);
    assert.equal(slotAtTime(mainnet, Date.parse('2025-01-01T00:00:00Z')), null);
    const known = withOverrides(mainnet, 'mesa', { firstGlobalSlot: 958_080, startTime: '2026-09-03T00:00:00.000Z' });
    for (const slot of [0, 564_479, 564_480, 600_000, 958_079, 958_080, 1_000_000]) {
      assert.equal(slotAtTime(known, Date.parse(slotTime(known, slot) as string)), slot);
    }
  });

  it('place a slot in its era and epoch', () => {
    assert.deepEqual(slotPosition(mainnet, 7141), { era: '2021', epoch: 1, slotInEpoch: 1 });
    // Past Berkeley's start a slot may be Mesa's until Mesa's first slot is known.
    assert.equal(slotPosition(mainnet, 600_000), null);
    const known = withOverrides(mainnet, 'mesa', { firstGlobalSlot: 958_080 });
    assert.deepEqual(slotPosition(known, 564_480 + 7140 * 3 + 5), { era: 'berkeley', epoch: 3, slotInEpoch: 5 });
    assert.deepEqual(slotPosition(known, 958_080), { era: 'mesa', epoch: 0, slotInEpoch: 0 });
  });

  it('know which eras a slot may fall in when a start is unknown', () => {
    assert.deepEqual(
      erasPossiblyAt(mainnet, 100).map((e) => e.name),
      ['2021'],
    );
    assert.deepEqual(
      erasPossiblyAt(mainnet, 600_000).map((e) => e.name),
      ['berkeley', 'mesa'],
    );
    const known = withOverrides(mainnet, 'mesa', { firstGlobalSlot: 958_080 });
    assert.deepEqual(
      erasPossiblyAt(known, 600_000).map((e) => e.name),
      ['berkeley'],
    );
    assert.deepEqual(
      erasPossiblyAt(known, 958_080).map((e) => e.name),
      ['mesa'],
    );
  });

  it('give the supercharge factor when every possible era agrees, and ask otherwise', () => {
    assert.equal(superchargeFactorAt(mainnet, 564_479), 2);
    assert.equal(superchargeFactorAt(mainnet, 564_480), 1);
    assert.equal(superchargeFactorAt(mainnet, 2_000_000), 1);
    const supercharged = withOverrides(mainnet, 'mesa', { superchargeFactor: 2 });
    assert.throws(() => superchargeFactorAt(supercharged, 2_000_000), isCode('ERA_START_UNKNOWN'));
  });

  it("burn to mainnet's published burn address, a valid key of the curve, and know none for devnet", () => {
    for (const era of mainnet) assert.equal(era.burnAddress, 'B62qiburnzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzmp7r7UN6X');
    assert.equal(publicKeyProblem(mainnet[0]!.burnAddress!), null);
    assert.equal(eraNamed(ERAS.devnet, 'berkeley').burnAddress, null);
    const given = withOverrides(ERAS.devnet, 'berkeley', { burnAddress: 'B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1' });
    assert.equal(eraNamed(given, 'berkeley').burnAddress, 'B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1');
  });

  it('override only the figures given, for the era named', () => {
    const eras = withOverrides(mainnet, 'berkeley', { coinbase: 1n, slotDurationMs: undefined });
    assert.equal(eraNamed(eras, 'berkeley').coinbase, 1n);
    assert.equal(eraNamed(eras, 'berkeley').slotDurationMs, 180_000);
    assert.equal(eraNamed(eras, '2021').coinbase, 720_000_000_000n);
    assert.throws(() => withOverrides(mainnet, 'atlantis', {}), isCode('USAGE'));
  });
});

describe('the era of a chain, from its own data', () => {
  const facts = (firstGlobalSlot: number, more: Partial<ChainEraFacts> = {}): ChainEraFacts => ({
    kind: 'daemon',
    source: 'daemon X',
    firstGlobalSlot,
    ...more,
  });

  it("is the table's era that starts at the chain's fork", () => {
    assert.equal(eraOfChain(mainnet, facts(564480)).name, 'berkeley');
    assert.equal(eraOfChain(mainnet, facts(0)).name, '2021');
  });

  it('is the next era the table knows only by name, with the start the chain shows', () => {
    const mesa = eraOfChain(mainnet, facts(1_000_000, { coinbase: 360_000_000_000n, slotDurationMs: 90_000 }));
    assert.deepEqual([mesa.name, mesa.firstGlobalSlot, mesa.coinbase, mesa.slotDurationMs], ['mesa', 1_000_000, 360_000_000_000n, 90_000]);
  });

  it('is a fork the table does not know after every era it knows, paying the coinbase the chain shows', () => {
    const known = withOverrides(mainnet, 'mesa', { firstGlobalSlot: 1_000_000 });
    const later = eraOfChain(known, facts(2_000_000, { coinbase: 180_000_000_000n, kind: 'blocks' }));
    assert.deepEqual([later.name, later.firstGlobalSlot, later.coinbase, later.superchargeFactor], ['fork-2000000', 2_000_000, 180_000_000_000n, 1]);
  });

  it('refuses a fork where no era starts before the last known start, and figures that disagree with the table, naming both', () => {
    assert.throws(() => eraOfChain(mainnet, facts(100)), /daemon X: the chain forked at global slot 100, where no era of the table starts/);
    assert.throws(
      () => eraOfChain(mainnet, facts(564480, { coinbase: 360_000_000_000n })),
      /era berkeley has a coinbase of 720000000000 nanomina in minapay's table, but the chain shows 360000000000 nanomina/,
    );
    assert.throws(() => eraOfChain(mainnet, facts(564480, { slotDurationMs: 90_000 })), /era berkeley has a slot length of 180 s .* but the chain shows 90 s/);
  });

  it('leaves the check of each block of a known era to checkBlocksOfEra', () => {
    assert.equal(eraOfChain(mainnet, facts(0, { kind: 'blocks', coinbase: 1_440_000_000_000n })).name, '2021');
  });
});
