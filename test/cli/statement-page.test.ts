import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';

import Client from 'mina-signer';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

import { ROOT, tempDir } from '../helpers.js';
import { keyFile } from '../payout/key-files.js';
import { fixturePlanArgs } from './fixture-plan.js';
import { runCli } from './run.js';

/** Debian's chromium package: .ci/run installs it (apt-get install -y chromium) when it is missing; no browser is downloaded. */
const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: .ci/run installs Debian's chromium with apt-get install -y chromium`;

describe('the statement page in a real browser', { skip }, () => {
  let browser: BrowserContext | undefined;
  let page: URL;
  const dir = tempDir();
  // The profile is removed only once the browser is closed: removed while it still writes there, the removal fails and
  // the browser, never closed, keeps the test file running until its timeout.
  const profile = mkdtempSync(join(tmpdir(), 'minapay-chromium-'));

  before(async () => {
    process.chdir(ROOT);
    const sender = new Client({ network: 'mainnet' }).genKeys();
    const plan = (await runCli(fixturePlanArgs(dir, {}, '--quiet'))).stdout.trim();
    assert.equal((await runCli(['payout', 'sign', plan, '--key-file', keyFile(`${sender.privateKey}\n`), '--nonce', '3', '--quiet'])).code, 0);
    const written = await runCli(['payout', 'statement', plan, '--dir', join(dir, 'statements'), '--quiet']);
    assert.equal(written.code, 0, written.stderr);
    page = pathToFileURL(written.stdout.trim());
    // A fresh profile each run (launchPersistentContext is how Playwright takes --user-data-dir), closed whatever the tests do.
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: LAUNCH_FLAGS, timeout: 20_000 });
  });
  after(async () => {
    await browser?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  /** Opens the page, collecting console errors, page errors and every request it makes. */
  async function open(viewport = { width: 1100, height: 900 }): Promise<{ tab: Page; problems: string[]; requests: string[] }> {
    const tab = await browser!.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    tab.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    tab.on('request', (request) => requests.push(request.url()));
    await tab.setViewportSize(viewport);
    await tab.goto(page.href, { timeout: 10_000 });
    return { tab, problems, requests };
  }

  const column = (tab: Page, index: number) =>
    tab.$$eval(`#accounts tbody tr td:nth-child(${index + 1})`, (cells) => cells.map((cell) => cell.getAttribute('data-sort') ?? ''));

  it('loads from its file URL fetching nothing else, with no console error, and sorts the table by a heading, both ways', async () => {
    const { tab, problems, requests } = await open();
    assert.deepEqual(requests, [page.href]);
    const payoutColumn = 7;
    await tab.click(`#accounts th[data-column="${payoutColumn}"] button`);
    const ascending = await column(tab, payoutColumn);
    assert.deepEqual(
      ascending,
      [...ascending].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0)),
    );
    assert.equal(await tab.getAttribute(`#accounts th[data-column="${payoutColumn}"]`, 'aria-sort'), 'ascending');
    await tab.click(`#accounts th[data-column="${payoutColumn}"] button`);
    assert.deepEqual(await column(tab, payoutColumn), [...ascending].reverse());
    await tab.click('#accounts th[data-column="0"] button');
    const keys = await column(tab, 0);
    assert.deepEqual(keys, [...keys].sort());
    assert.equal(keys.length, 4);
    assert.deepEqual(problems, []);
    await tab.close();
  });

  it('draws the chart, and its screenshot is a real picture', async () => {
    const { tab, problems } = await open();
    const chart = await tab.$('figure svg');
    const box = await chart!.boundingBox();
    assert.ok(box !== null && box.width > 300 && box.height > 100, `chart box ${JSON.stringify(box)}`);
    assert.equal(await tab.$$eval('figure svg rect.won', (bars) => bars.length), 15);
    assert.equal(await tab.$$eval('figure svg line.expected', (lines) => lines.length), 1);
    const screenshot = join(dir, 'statement-page.png');
    await tab.screenshot({ path: screenshot, fullPage: true });
    assert.ok(statSync(screenshot).size > 30_000, `screenshot of ${statSync(screenshot).size} bytes`);
    assert.deepEqual(problems, []);
    await tab.close();
  });

  it('reads without script, and fits a phone without sideways scrolling of the page', async () => {
    const { tab } = await open({ width: 360, height: 740 });
    assert.equal(await tab.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'), 0);
    const cdp = await browser!.newCDPSession(tab);
    await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
    await tab.reload({ timeout: 10_000 });
    // Sorting is the script's only job: without it, nothing happens on a click, and everything is there to read.
    await tab.click('#accounts th[data-column="7"] button');
    assert.equal(await tab.getAttribute('#accounts th[data-column="7"]', 'aria-sort'), null);
    const rows = await tab.$$eval('#accounts tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    assert.equal(rows.length, 4);
    assert.ok(
      rows.some((row) => row.includes('8.137978319')),
      rows.join('\n'),
    );
    assert.ok(await tab.isVisible('text=Merkle root'));
    await tab.close();
  });
});
