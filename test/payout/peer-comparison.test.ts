import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';

import { computePlanDocument, type PlanRequest } from '../../src/payout/plan-document.js';
import type { PlanLine } from '../../src/payout/plan.js';
import { ERAS, eraNamed } from '../../src/protocol/eras.js';
import { ROOT } from '../helpers.js';

/**
 * minapay against jrwashburn/mina-pool-payout (the peer) on the peer's own
 * regression fixtures, converted to minapay's inputs in fixtures/peer/ (see
 * fixtures/README.md). The peer floors each delegator's share of each part
 * of each block (coinbase, fees, supercharged extra); minapay floors the
 * exact sum once. So the peer's figures are recomputed here with exact
 * fractions and a floor per part and block, which must give them to the
 * nanomina (the peer's floats never tip a floor in these fixtures), and
 * minapay must pay every delegator at least that and less than one nanomina
 * more per floor the peer took: at most 2 a block for a delegator floored
 * on two parts, 3 on three.
 */

const POOL = 'B62qkBqSkXgkirtU3n8HJ9YgwHh3vUD6kGJ5ZRkQYGNPeL5xYL2tL1L';
const MF_MEMO = 'aa6e6ee40b7c72a7d744596dfa628be3';
const BASE_COINBASE = 720_000_000_000n;

before(() => process.chdir(ROOT));

interface PeerPayment {
  readonly pk: string;
  readonly amount: string;
  readonly memo: string;
}
interface FixtureAccount {
  readonly pk: string;
  readonly balance: string;
  readonly timing?: { readonly cliff_time: string };
}
interface FixtureBlock {
  readonly winner: string;
  readonly globalSlotSinceGenesis: number;
  readonly coinbase: string;
  readonly feeTransferToReceiver: string;
  readonly feeTransferViaCoinbase: string;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** A balance as the fixture ledger writes it (MINA, up to 9 decimals) in nanomina. */
const nanomina = (mina: string): bigint => {
  const [whole, fraction = ''] = mina.split('.');
  return BigInt(whole!) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
};

/** A rate as an exact fraction over 100 (every rate here has two decimals). */
const hundredths = (rate: string): bigint => BigInt(Math.round(Number(rate) * 100));

/** The peer's rule for one block: parts, each shared among some stakers by stake, each share floored after commission. */
type PeerParts = (block: FixtureBlock, stakers: readonly Staker[]) => { amount: bigint; among: readonly Staker[] }[];

interface Staker {
  readonly pk: string;
  readonly stake: bigint;
  /** The peer's untimedAfterSlot, as the fixture's cliff: locked at slots before it. */
  readonly unlockedFrom: number;
  /** Non-participating (the programs' accounts): coinbase only. */
  readonly nps: boolean;
  /** Commission in hundredths. */
  readonly rate: bigint;
}

/** The peer's payouts recomputed exactly, floored per part and block as it does, and how many floors each delegator took. */
function peerRule(stakers: readonly Staker[], blocks: readonly FixtureBlock[], parts: PeerParts): Map<string, { amount: bigint; floors: number }> {
  const totals = new Map(stakers.map((s) => [s.pk, { amount: 0n, floors: 0 }]));
  for (const block of blocks) {
    for (const { amount, among } of parts(block, stakers)) {
      const stake = among.reduce((sum, s) => sum + s.stake, 0n);
      for (const s of among) {
        const total = totals.get(s.pk)!;
        total.amount += stake === 0n ? 0n : ((100n - s.rate) * amount * s.stake) / (100n * stake);
        total.floors += 1;
      }
    }
  }
  return totals;
}

const common = (stakers: readonly Staker[]) => stakers.filter((s) => !s.nps);
const reward = (b: FixtureBlock) => BigInt(b.coinbase) + BigInt(b.feeTransferToReceiver) - BigInt(b.feeTransferViaCoinbase);

/** postSuperChargeCommonShareFees: the coinbase by all, the fees less snark fees by common stakers only. */
const commonShareFees: PeerParts = (block, stakers) => [
  { amount: BigInt(block.coinbase), among: stakers },
  { amount: BigInt(block.feeTransferToReceiver) - BigInt(block.feeTransferViaCoinbase), among: common(stakers) },
];
/** postSuperChargeKeepFees: the coinbase by all, fees kept (snark fees from the coinbase not deducted). */
const keepFees: PeerParts = (block, stakers) => [{ amount: BigInt(block.coinbase), among: stakers }];
/** postSuperChargeShareFees: the whole reward by all. */
const shareFees: PeerParts = (block, stakers) => [{ amount: reward(block), among: stakers }];
/** isolateSuperCharge (no program accounts here): 720 by all, the supercharged extra by the unlocked, the rest (fees) by all. */
const isolateSupercharge: PeerParts = (block, stakers) => {
  const winner = stakers.find((s) => s.pk === block.winner)!;
  const winnerLocked = winner.unlockedFrom > block.globalSlotSinceGenesis;
  const base = winnerLocked ? BigInt(block.coinbase) : BASE_COINBASE;
  const extra = winnerLocked ? 0n : BASE_COINBASE;
  return [
    { amount: base, among: stakers },
    { amount: reward(block) - base - extra, among: common(stakers) },
    ...(extra > 0n ? [{ amount: extra, among: common(stakers).filter((s) => s.unlockedFrom <= block.globalSlotSinceGenesis) }] : []),
  ];
};

interface Scenario {
  readonly name: string;
  readonly epoch: number;
  readonly era: '2021' | 'berkeley';
  readonly fees: 'share' | 'keep';
  readonly peerFile: string;
  readonly overrides: string;
  readonly programs?: string;
  readonly parts: PeerParts;
  /** What minapay pays above the peer at most, per delegator, in these fixtures (measured; the bound is the floors). */
  readonly largestDifference: bigint;
}

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'epoch 34 (Berkeley), postSuperChargeCommonShareFees: fees to common delegators only, foundation and o1 coinbase-only',
    epoch: 34,
    era: 'berkeley',
    fees: 'share',
    peerFile: 'peer-payouts.common-share-fees.json',
    overrides: 'overrides.json',
    programs: 'programs.csv',
    parts: commonShareFees,
    largestDifference: 19n,
  },
  {
    name: 'epoch 34 (Berkeley), postSuperChargeKeepFees, with --fees keep and the peer rates as overrides',
    epoch: 34,
    era: 'berkeley',
    fees: 'keep',
    peerFile: 'peer-payouts.keep-fees.json',
    overrides: 'overrides.rates.json',
    parts: keepFees,
    largestDifference: 11n,
  },
  {
    name: 'epoch 34 (Berkeley), postSuperChargeShareFees, with the peer rates as overrides',
    epoch: 34,
    era: 'berkeley',
    fees: 'share',
    peerFile: 'peer-payouts.share-fees.json',
    overrides: 'overrides.rates.json',
    parts: shareFees,
    largestDifference: 8n,
  },
  {
    name: 'epoch 71 (2021 era), isolateSuperCharge: nine supercharged blocks, the extra to unlocked delegators',
    epoch: 71,
    era: '2021',
    fees: 'share',
    peerFile: 'peer-payouts.isolate-supercharge.json',
    overrides: 'overrides.json',
    parts: isolateSupercharge,
    largestDifference: 21n,
  },
];

function fixtureStakers(dir: string, scenario: Scenario): Staker[] {
  const programs = new Map<string, string>();
  if (scenario.programs !== undefined) {
    for (const row of readFileSync(`${dir}/${scenario.programs}`, 'utf8').trim().split('\n').slice(1)) {
      const [pk, , rate] = row.split(',');
      programs.set(pk!, rate!);
    }
  }
  const overrides = new Map(readJson<{ pk: string; commission: string }[]>(`${dir}/${scenario.overrides}`).map((o) => [o.pk, o.commission]));
  return readJson<FixtureAccount[]>(`${dir}/ledger.json`).map((account) => ({
    pk: account.pk,
    stake: nanomina(account.balance),
    unlockedFrom: account.timing === undefined ? 0 : Number(account.timing.cliff_time),
    nps: programs.has(account.pk),
    rate: hundredths(programs.get(account.pk) ?? overrides.get(account.pk) ?? '0.05'),
  }));
}

async function minapayLines(dir: string, scenario: Scenario): Promise<PlanLine[]> {
  const request: PlanRequest = {
    network: 'mainnet',
    ledger: `${dir}/ledger.json`,
    blocks: `${dir}/blocks.json`,
    overrides: `${dir}/${scenario.overrides}`,
    programs: scenario.programs === undefined ? undefined : `${dir}/${scenario.programs}`,
    pools: [POOL],
    epoch: scenario.epoch,
    chooseEra: () => ({ era: eraNamed(ERAS.mainnet, scenario.era), learnedFrom: 'option' }),
    // The peer pays the pool key like a delegator (at the pool's rate, from its overrides file here): --self-pay-to to itself.
    terms: { commission: { num: 1n, den: 20n }, fees: scenario.fees, minPayout: 0n, txFee: 10_000_000n, feePayer: 'pool', selfPayTo: POOL },
    carriedIn: new Map(),
    carriedFrom: null,
  };
  return [...(await computePlanDocument(request, {})).plan.lines];
}

describe('minapay against the peer payout script on its regression fixtures', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: the peer's figures to the nanomina from its rule, and minapay within its floors`, async () => {
      const dir = `fixtures/peer/epoch-${scenario.epoch}`;
      const peer = readJson<PeerPayment[]>(`${dir}/${scenario.peerFile}`);
      const blocks = readJson<FixtureBlock[]>(`${dir}/blocks.json`);
      const recomputed = peerRule(fixtureStakers(dir, scenario), blocks, scenario.parts);
      const lines = new Map((await minapayLines(dir, scenario)).map((line) => [line.pk, line]));
      // The same delegators paid, and nobody else.
      assert.deepEqual(
        [...lines.values()].filter((line) => line.amount > 0n).map((line) => line.pk),
        peer.map((p) => p.pk).sort(),
      );
      let largest = 0n;
      for (const payment of peer) {
        const { amount, floors } = recomputed.get(payment.pk)!;
        assert.equal(amount, BigInt(payment.amount), `the peer's rule recomputed for ${payment.pk}`);
        const difference = lines.get(payment.pk)!.amount - amount;
        assert.ok(difference >= 0n && difference < BigInt(floors), `${payment.pk}: minapay pays ${difference} more over ${floors} floors`);
        if (difference > largest) largest = difference;
        // The Foundation's memo comes with its program (the rates-only overrides name none; signing gives the others their memo).
        if (payment.memo === MF_MEMO && scenario.programs !== undefined) assert.equal(lines.get(payment.pk)!.memo, MF_MEMO);
      }
      assert.equal(largest, scenario.largestDifference);
      // Never more than 2 nanomina per block for a delegator the peer floors twice a block (3 for the supercharged extra's third floor).
      assert.ok(largest <= BigInt(blocks.length * (scenario.parts === isolateSupercharge ? 3 : 2)));
    });
  }
});
