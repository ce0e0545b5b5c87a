import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { ROOT } from '../helpers.js';

const UNITS = join(ROOT, 'contrib', 'systemd');

describe('the systemd units in contrib/systemd', () => {
  const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  it('pass systemd-analyze verify with nothing to say', { skip: analyze.status === 0 ? false : 'systemd-analyze is not on this machine' }, () => {
    const units = readdirSync(UNITS)
      .filter((name) => name.endsWith('.service') || name.endsWith('.timer'))
      .map((name) => join(UNITS, name));
    assert.equal(units.length, 4);
    const verify = spawnSync('systemd-analyze', ['verify', '--man=no', ...units], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(verify.status, 0, verify.stderr);
    // It reports a directive it cannot parse on stderr and still exits 0.
    assert.equal(verify.stderr, '');
  });
});
