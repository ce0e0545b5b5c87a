import { MinapayError } from '../errors.js';
import { formatMina, sharePercent } from '../protocol/amounts.js';
import { ERAS, type Network, slotTime } from '../protocol/eras.js';
import { Probability, stakeOdds } from '../protocol/odds.js';
import type { StoredPlan } from './plan-file.js';
import type { PlanLine } from './plan.js';
import type { Statement } from './statement.js';

/**
 * index.html of an epoch's statements: one self-contained page an operator
 * can publish. It fetches nothing (its Content-Security-Policy allows no
 * source but its own inline style and script), reads without script (the
 * script only sorts the table), and fits a phone's width. Deterministic:
 * the same plan, payments and template give the same bytes.
 */

/** Where `{hash}` goes in an explorer's transaction URL. */
export const HASH_PLACEHOLDER = '{hash}';
export const DEFAULT_EXPLORER: Readonly<Record<Network, string>> = {
  mainnet: 'https://minascan.io/mainnet/tx/{hash}/txInfo',
  devnet: 'https://minascan.io/devnet/tx/{hash}/txInfo',
};

/** An explorer URL template must be an http(s) URL with a `{hash}` in it. */
export function explorerTemplate(template: string, flag: string): string {
  if (!/^https?:\/\/[^\s"<>]+$/.test(template) || !template.includes(HASH_PLACEHOLDER)) {
    throw new MinapayError('USAGE', `${flag} must be an http(s) URL containing ${HASH_PLACEHOLDER}, not ${JSON.stringify(template)}`);
  }
  return template;
}

/** The chart splits the epoch into this many slot ranges: 476 slots each for 7,140, about a day at 180-second slots. */
const CHART_RANGES = 15;

export function statementPage(plan: StoredPlan, statements: readonly Statement[], explorer: string): string {
  const commitment = statements[0]?.commitment;
  if (commitment === undefined) throw new Error('a plan without lines has no statement page');
  const odds = blockOdds(plan);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${escapeHtml(`Payouts of epoch ${plan.epoch}, ${plan.network}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Payouts of epoch ${plan.epoch}</h1>
<p class="pool">Pool ${plan.pools.map((pool) => `<code>${escapeHtml(pool)}</code>`).join(', ')} on ${escapeHtml(`${plan.network}, era ${plan.era.name}`)}</p>
${summary(plan, odds)}
${chart(plan, odds)}
${totalsSection(plan)}
${commitmentSection(commitment)}
${table(plan, statements, explorer)}
</main>
<script>${SORT_SCRIPT}</script>
</body>
</html>
`;
}

interface EpochOdds {
  /** The pool's chance of winning one slot (float method: phi of its whole stake). */
  readonly slotProbability: Probability;
  readonly expected: Probability;
  readonly stdDev: Probability;
  readonly p5: number;
  readonly p95: number;
  readonly pAtMost: Probability;
  readonly pAtLeast: Probability;
}

/** Expectation and spread as `minapay odds` gives them (float method); null for a plan without the ledger's total currency. */
function blockOdds(plan: StoredPlan): EpochOdds | null {
  const totalCurrency = plan.inputs.ledger.totalCurrency;
  if (totalCurrency === null || totalCurrency === 0n) return null;
  const odds = stakeOdds({
    method: 'float',
    balances: [plan.inputs.ledger.totalStake],
    totalCurrency,
    slotsPerEpoch: plan.era.slotsPerEpoch,
    won: plan.blocks.length,
  });
  return { slotProbability: odds.slotWinProbability, ...odds, pAtMost: odds.won!.pAtMost, pAtLeast: odds.won!.pAtLeast };
}

function summary(plan: StoredPlan, odds: EpochOdds | null): string {
  const first = slotTime(ERAS[plan.network], plan.slots.first);
  const last = slotTime(ERAS[plan.network], plan.slots.last);
  const when = first === null || last === null ? '' : `, ${escapeHtml(first.slice(0, 16))} to ${escapeHtml(last.slice(0, 16))} UTC`;
  const rows: [string, string][] = [
    ['Slots', `${plan.slots.first} to ${plan.slots.last} (global, since genesis)${when}`],
    ['Blocks won', String(plan.blocks.length)],
  ];
  if (odds !== null) {
    rows.push(
      ['Expected', `${fixed(odds.expected, 2)} blocks, standard deviation ${fixed(odds.stdDev, 2)}`],
      ['Usual range', `${odds.p5} to ${odds.p95} blocks (5th to 95th percentile)`],
      ['Luck', `P(at most ${plan.blocks.length}) = ${percent(odds.pAtMost)}, P(at least ${plan.blocks.length}) = ${percent(odds.pAtLeast)}`],
    );
  }
  rows.push(['Pool stake', `${formatMina(plan.inputs.ledger.totalStake)} MINA of ${plan.lines.length} accounts`]);
  return `<section><h2>Blocks</h2>${definitions(rows)}</section>`;
}

/** Blocks won per slot range against the expectation, as an SVG bar chart with the expected count as a line. */
function chart(plan: StoredPlan, odds: EpochOdds | null): string {
  const width = Math.ceil(plan.era.slotsPerEpoch / CHART_RANGES);
  const ranges = Array.from({ length: CHART_RANGES }, (_, i) => {
    const first = plan.slots.first + i * width;
    const last = Math.min(first + width - 1, plan.slots.last);
    const won = plan.blocks.filter((block) => block.globalSlotSinceGenesis >= first && block.globalSlotSinceGenesis <= last).length;
    return { first, last, won };
  });
  const expected = odds === null ? null : Number(fixed(odds.slotProbability.times(width), 4));
  const top = Math.max(1, ...ranges.map((range) => range.won), Math.ceil(expected ?? 0));
  const [chartWidth, chartHeight, left, bottom] = [600, 220, 36, 28];
  const barWidth = (chartWidth - left) / CHART_RANGES;
  const y = (value: number) => (chartHeight - bottom - ((chartHeight - bottom - 10) * value) / top).toFixed(1);
  const bars = ranges
    .map((range, i) => {
      const x = (left + i * barWidth + 3).toFixed(1);
      const label = `slots ${range.first} to ${range.last}: ${range.won} won`;
      return (
        `<rect class="won" x="${x}" y="${y(range.won)}" width="${(barWidth - 6).toFixed(1)}" ` +
        `height="${(Number(y(0)) - Number(y(range.won))).toFixed(1)}"><title>${label}</title></rect>` +
        `<text x="${(left + (i + 0.5) * barWidth).toFixed(1)}" y="${chartHeight - 10}" class="axis">${i + 1}</text>`
      );
    })
    .join('');
  const expectedLine =
    expected === null
      ? ''
      : `<line class="expected" x1="${left}" x2="${chartWidth}" y1="${y(expected)}" y2="${y(expected)}"><title>expected ${expected} per range</title></line>`;
  const expectation = expected === null ? '' : `; the dashed line is the ${expected} expected per range`;
  const caption = `Blocks won in each of ${CHART_RANGES} ranges of ${width} slots${expectation}`;
  return `<section><h2>Blocks per slot range</h2>
<figure><svg viewBox="0 0 ${chartWidth} ${chartHeight}" role="img" aria-label="${escapeHtml(caption)}">
<line class="axis-line" x1="${left}" x2="${chartWidth}" y1="${y(0)}" y2="${y(0)}"/>
<text x="${left - 6}" y="${y(top)}" class="axis" text-anchor="end">${top}</text><text x="${left - 6}" y="${y(0)}" class="axis" text-anchor="end">0</text>
${bars}${expectedLine}
</svg><figcaption>${escapeHtml(caption)}.</figcaption></figure></section>`;
}

function totalsSection(plan: StoredPlan): string {
  const { totals } = plan;
  const rows: [string, string][] = [
    ['Rewards', mina(totals.rewards)],
    ['Paid to delegators', `${mina(totals.sent)} to ${totals.paidDelegators} accounts`],
    ['Transaction fees', mina(totals.txFees)],
    ['Commission', mina(totals.commission)],
    ['Carried in', mina(totals.carriedIn)],
    ['Carried to the next epoch', mina(totals.carriedOut)],
    ['Kept by the pool besides commission', mina(totals.remainder)],
  ];
  return `<section><h2>Totals</h2>${definitions(rows)}</section>`;
}

function commitmentSection(commitment: Statement['commitment']): string {
  const rows: [string, string][] = [
    ['Merkle root', `<code>${commitment.root}</code>`],
    ['Memo of the payments', `<code>${escapeHtml(commitment.memo)}</code>`],
    ['Signed by', `<code>${escapeHtml(commitment.signer)}</code>`],
    ['Signature', `<code>${escapeHtml(commitment.signature)}</code>`],
    ['Leaves', String(commitment.leaves)],
  ];
  return `<section><h2>Commitment</h2>
<p>Every line below is a leaf of this Merkle tree. Each account's file, linked from its row, holds its leaf, its path to the root and its
payment; <code>minapay statement verify FILE</code> checks them.</p>${definitions(rows)}</section>`;
}

const COLUMNS = ['Account', 'Kind', 'Stake', 'Share %', 'Gross', 'Commission', 'Fee', 'Payout', 'Transaction', 'State'] as const;

function table(plan: StoredPlan, statements: readonly Statement[], explorer: string): string {
  const totalStake = plan.inputs.ledger.totalStake;
  const rows = plan.lines.map((line, i) => row(line, statements[i]!, totalStake, explorer)).join('\n');
  const head = COLUMNS.map((name, i) => `<th scope="col" data-column="${i}"><button type="button">${name}</button></th>`).join('');
  return `<section><h2>Accounts</h2>
<p>Amounts in MINA. Select a heading to sort by it.</p>
<div class="scroll"><table id="accounts"><thead><tr>${head}</tr></thead>
<tbody>
${rows}
</tbody></table></div></section>`;
}

function row(line: PlanLine, statement: Statement, totalStake: bigint, explorer: string): string {
  // A split payout has a payment per address: each linked, their states listed in the same order.
  const { payments } = statement;
  const transactions = payments
    .map(
      (payment) =>
        `<a href="${escapeHtml(explorer.replace(HASH_PLACEHOLDER, encodeURIComponent(payment.hash)))}">${escapeHtml(`${payment.hash.slice(0, 10)}…`)}</a>`,
    )
    .join('<br>');
  const states = payments.map((payment) => payment.state).join(', ');
  const cells = [
    cell(line.pk, `<a href="${escapeHtml(`${line.pk}.json`)}"><code>${escapeHtml(line.pk.slice(0, 12))}…${escapeHtml(line.pk.slice(-5))}</code></a>`),
    cell(line.kind, escapeHtml(line.kind)),
    amountCell(line.stake),
    cell(line.stake.toString(), sharePercent(line.stake, totalStake), 'number'),
    amountCell(line.gross),
    amountCell(line.commission),
    amountCell(line.txFee),
    amountCell(line.amount),
    cell(payments.map((payment) => payment.hash).join(' '), transactions),
    cell(states, escapeHtml(states !== '' ? states : line.amount > 0n ? 'not sent' : '')),
  ];
  return `<tr>${cells.join('')}</tr>`;
}

function amountCell(nanomina: bigint): string {
  return cell(nanomina.toString(), formatMina(nanomina), 'number');
}

/** A cell with the value it sorts by (nanomina for amounts). */
function cell(sortValue: string, html: string, kind: 'number' | 'text' = 'text'): string {
  return `<td data-sort="${escapeHtml(sortValue)}"${kind === 'number' ? ' class="number"' : ''}>${html}</td>`;
}

function definitions(rows: readonly (readonly [string, string])[]): string {
  return `<dl>${rows.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${value}</dd>`).join('')}</dl>`;
}

function mina(nanomina: bigint): string {
  return `${formatMina(nanomina)} MINA`;
}

function fixed(value: Probability, decimals: number): string {
  return value.toFixed(decimals, Probability.ROUND_HALF_EVEN);
}

function percent(value: Probability): string {
  return `${fixed(value.times(100), 1)}%`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const STYLE = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.4; }
body { margin: 0; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
code { font-size: .85em; overflow-wrap: anywhere; }
dl { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: .25rem 1rem; margin: 0; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
@media (max-width: 32rem) { dl { grid-template-columns: 1fr; } dd { margin-bottom: .5rem; } }
figure { margin: 0; }
svg { width: 100%; max-width: 40rem; height: auto; }
svg .won { fill: #3a7bd5; }
svg .expected { stroke: #d9822b; stroke-width: 2; stroke-dasharray: 6 4; }
svg .axis { font-size: 11px; fill: currentColor; text-anchor: middle; }
svg .axis-line { stroke: currentColor; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: .9rem; }
th, td { padding: .3rem .5rem; border-bottom: 1px solid #8884; white-space: nowrap; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; color: inherit; cursor: pointer; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
`;

/** Sorts the table by a column: numbers (nanomina) as numbers, the rest as text; again to reverse. */
const SORT_SCRIPT = `
(function () {
  var table = document.getElementById('accounts');
  var numeric = /^\\d+$/;
  function compare(a, b) {
    if (numeric.test(a) && numeric.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  table.querySelectorAll('th').forEach(function (th) {
    th.querySelector('button').addEventListener('click', function () {
      var column = Number(th.dataset.column);
      var descending = th.getAttribute('aria-sort') === 'ascending';
      table.querySelectorAll('th').forEach(function (other) { other.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (x, y) {
        var order = compare(x.cells[column].dataset.sort, y.cells[column].dataset.sort);
        return descending ? -order : order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
`;
