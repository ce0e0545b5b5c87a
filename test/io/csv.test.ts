import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parse } from 'csv-parse/sync';

import type { BlockRecord } from '../../src/blocks/block.js';
import { formatBlocks } from '../../src/blocks/format.js';
import { formatCsv } from '../../src/io/csv.js';
import type { PlanLine } from '../../src/payout/plan.js';
import { delegatorReport, paymentKey } from '../../src/payout/report.js';
import { rational } from '../../src/protocol/rational.js';

const POOL = 'B62qrMi68WSSWpmb3Yfp7ztzAFx6gUyF26VAzPNgYEoYKRASRj2pqZK';
const DELEGATOR = 'B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1';
/** The classic payload: a spreadsheet that opens the file runs calc. */
const FORMULA = "=cmd|' /C calc'!A0";

const cells = (csv: string): string[][] => parse(csv, { relax_quotes: true }) as string[][];

describe('formatCsv, the one CSV writer', () => {
  it('quotes a text cell a spreadsheet would run as a formula, and leaves every other cell as it is', () => {
    // The last: a full-width equals sign, which some spreadsheets also take for a formula.
    const hostile = [FORMULA, '+1+1', '-2+3', '@SUM(A1)', '\tx', '\rx', '\uFF1DSUM(A1)'];
    const plain = ['3NKheight12', '1440.000000000', '0.05', '', 'a=b', 'B62q-x'];
    const csv = formatCsv([[...hostile, ...plain, true, false, 7]], [...hostile.map((_, i) => `h${i}`), ...plain.map((_, i) => `p${i}`), 't', 'f', 'n']);
    const [header, row] = cells(csv);
    assert.equal(header?.[0], 'h0');
    assert.deepEqual(row, [...hostile.map((text) => `'${text}`), ...plain, 'true', 'false', '7']);
  });

  it('guards the blocks file minapay blocks writes: an archive state hash cannot be a formula', () => {
    const block: BlockRecord = {
      height: 12,
      stateHash: FORMULA,
      globalSlotSinceGenesis: 120,
      globalSlotSinceHardFork: 20,
      creator: POOL,
      winner: DELEGATOR,
      coinbaseReceiver: POOL,
      coinbase: 720_000_000_000n,
      feeTransferToReceiver: 0n,
      feeTransferViaCoinbase: 0n,
    };
    const [, row] = cells(formatBlocks([block], 'csv'));
    assert.equal(row?.[1], `'${FORMULA}`);
    assert.equal(row?.[7], '720000000000');
  });

  it("guards report.csv: a daemon's transaction hash cannot be a formula", () => {
    const line: PlanLine = {
      pk: DELEGATOR,
      index: 0,
      kind: 'delegator',
      payTo: DELEGATOR,
      split: null,
      stake: 1_000_000_000n,
      gross: 10n,
      fees: 'share',
      commissionRate: rational(5n, 100n),
      commission: 1n,
      burnRate: rational(0n),
      burned: 0n,
      earned: 9n,
      carriedIn: 0n,
      amount: 9n,
      txFee: 0n,
      carriedOut: 0n,
      program: null,
      memo: null,
    };
    const payments = new Map([[paymentKey(DELEGATOR, DELEGATOR), { nonce: 3n, hash: '@HYPERLINK("http://x")', status: 'pending' as const, memo: '' }]]);
    const epoch = { epoch: 1, pool: DELEGATOR, blocksWon: 1, feePayer: 'pool' as const, totalStake: 1_000_000_000n };
    const [, row] = cells(delegatorReport(epoch, [line], payments));
    assert.deepEqual(row?.slice(-3), ['3', `'@HYPERLINK("http://x")`, 'pending']);
  });
});
