import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { fixture, ROOT, tempDir } from '../helpers.js';

/** npm, as the node running the tests ships it. */
const NPM = join(process.execPath, '..', 'npm');

function npm(args: string[], cwd: string): string {
  // npm ci has filled npm's cache with every dependency: the install needs no network.
  return execFileSync(NPM, args, { cwd, encoding: 'utf8', timeout: 50_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('the npm package', () => {
  it('packs the built CLI and nothing it does not need, installs into an empty prefix and runs from its PATH', () => {
    const packed = tempDir();
    // `npm pack` runs the build (prepare), so the tarball holds the dist/ of these sources.
    npm(['pack', '--pack-destination', packed, '--silent'], ROOT);
    const [tarball] = readdirSync(packed).filter((name) => name.endsWith('.tgz'));
    assert.ok(tarball !== undefined, 'npm pack wrote no tarball');
    const files = execFileSync('tar', ['-tzf', join(packed, tarball)], { encoding: 'utf8', timeout: 10_000 })
      .split('\n')
      .filter(Boolean);
    assert.ok(files.includes('package/bin/minapay.js') && files.includes('package/dist/cli/entry.js'), files.join(' '));
    const unneeded = files.filter((file) => /^package\/(src|test|bench|fixtures|assembly|\.ci)\//.test(file));
    assert.deepEqual(unneeded, []);

    const prefix = tempDir();
    npm(['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--silent', join(packed, tarball)], packed);
    const env = { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env['PATH'] ?? ''}` };
    const run = (args: string[]) => spawnSync('minapay', args, { cwd: packed, env, encoding: 'utf8', timeout: 20_000 });
    const help = run(['--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /payout/);
    const stats = run(['ledger', 'stats', fixture('ledger', 'post-berkeley.json'), '--format', 'json']);
    assert.equal(stats.status, 0, stats.stderr);
    assert.equal(stats.stdout, readFileSync(fixture('expected', 'post-berkeley.stats.json'), 'utf8'));
    // The installed bin starts Node with a V8 flag (bin/minapay.js), which a worker thread refuses as an argument: workers still start.
    const key = join(packed, 'producer.key');
    copyFileSync(fixture('keys', 'openmina-vrf.key'), key);
    chmodSync(key, 0o600);
    const epoch = [
      '--era',
      'berkeley',
      '--epoch',
      '0',
      '--seed',
      '2va9BGv9JrLTtrzZttiEMDYw1Zj6a6EHzXjmP9evHDTG3oEquURA',
      '--total-currency',
      '6000000000001000',
    ];
    const checkpoint = join(packed, 'checkpoint.json');
    const slots = run([
      'slots',
      fixture('vrf', 'pool-ledger.json'),
      ...epoch,
      '--key-file',
      key,
      '--slot-range',
      '0-9',
      '--workers',
      '2',
      '--checkpoint',
      checkpoint,
    ]);
    assert.equal(slots.status, 0, slots.stderr);
  });
});
