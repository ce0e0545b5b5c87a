import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, before, describe, it } from 'node:test';

import Client from 'mina-signer';

import { fixture, ROOT, tempDir } from '../helpers.js';
import { encryptedKeyFile, fixtureKeyFile, keyFile } from '../payout/key-files.js';
import { StandInDaemon } from '../payout/stand-in-daemon.js';
import { killedWithTest, within } from '../processes.js';
import { fixturePlanArgs } from './fixture-plan.js';
import { runCli, type CliResult } from './run.js';

const POOL = 'B62qrMi68WSSWpmb3Yfp7ztzAFx6gUyF26VAzPNgYEoYKRASRj2pqZK';
const A = 'B62qjWCpSvwkVNub2Cmbwg7s15RMK3WpS4zCyGTjacCcLeWx4JHdCf1';
const C = 'B62qnx5hKBFHZFUFjpEXzh2du8wRegCHrp3kL17gY7qxMBFQcBycJM5';
const sender = new Client({ network: 'mainnet' }).genKeys();
const FUNDS = 5_000_000_000_000n;

before(() => process.chdir(ROOT));
let daemon: StandInDaemon;
afterEach(() => daemon?.stop());

async function standIn(
  accounts: Record<string, { balance: bigint; nonce?: bigint }> = { [sender.publicKey]: { balance: FUNDS, nonce: 9n } },
): Promise<StandInDaemon> {
  daemon = await new StandInDaemon({ network: 'mainnet', accounts }).start();
  return daemon;
}

/** `payout plan` of the fixtures into a fresh journal; resolves to the plan's path. */
async function planFixture(extra: string[] = []): Promise<string> {
  const result = await runCli(fixturePlanArgs(tempDir(), {}, '--quiet', ...extra));
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
}

const plainKeyFile = () => keyFile(`${sender.privateKey}\n`);
const failedWith = (result: CliResult, exit: number, code: string, pattern?: RegExp) => {
  assert.equal(result.code, exit, result.stderr);
  assert.match(result.stderr, new RegExp(`\\[${code}\\]\\n$`));
  if (pattern !== undefined) assert.match(result.stderr, pattern);
};

describe('minapay payout sign, send and status', () => {
  it('goes plan -> sign -> send -> status against the daemon, and no output or file ever holds the key', async () => {
    await standIn();
    const plan = await planFixture();
    const password = 'hunter2 but longer';
    const key = keyFile(await encryptedKeyFile(sender.privateKey, password));
    const env = { MINA_PRIVKEY_PASS: password };
    const results: CliResult[] = [];
    const run = async (args: string[]) => {
      const result = await runCli(args, { env, tty: true });
      results.push(result);
      assert.equal(result.code, 0, result.stderr);
      return result;
    };
    const signed = (await run(['payout', 'sign', plan, '--key-file', key, '--graphql', daemon.url, '--memo', 'epoch 18 payout'])).stdout.trim();
    assert.equal(signed, join(dirname(plan), 'signed.json'));
    const sent = await run(['payout', 'send', signed, '--graphql', daemon.url]);
    const journal = dirname(dirname(dirname(dirname(plan))));
    // The pool took them; that is not paid yet.
    const waiting = await runCli(['payout', 'status', '--journal', journal], { env });
    results.push(waiting);
    failedWith(waiting, 75, 'PAYMENTS_PENDING', /epoch 18: 2 in the daemon's pool, not yet seen on chain: run payout send again later/);
    assert.match(waiting.stdout, new RegExp(`${POOL}\\s+18\\s+2\\s+2\\s+2\\s+2\\s+0\\s+0\\s+0\\s+0\\s+0\\s+0\\.000000000\\s+2 in the daemon's pool`));
    assert.equal(sent.stdout, "epoch 18: 2 payments: 0 final, 0 on chain, 2 in the daemon's pool (2 sent now, 0 sent again)\n");
    assert.match(sent.stderr, /^sent nonce 9: 8\.137978319 MINA to B62qjWCp/m);
    assert.deepEqual(
      daemon.pool.map((p) => [p.to, p.amount, p.nonce, p.memo]),
      [
        [A, 8137978319n, 9n, 'epoch 18 payout'],
        [C, 1355877760638n, 10n, 'epoch 18 payout'],
      ],
    );
    daemon.includePool();
    const seen = await run(['payout', 'send', signed, '--graphql', daemon.url]);
    assert.equal(seen.stdout, "epoch 18: 2 payments: 0 final, 2 on chain, 0 in the daemon's pool (0 sent now, 0 sent again)\n");
    const onChain = await runCli(['payout', 'status', '--journal', journal]);
    results.push(onChain);
    failedWith(onChain, 75, 'PAYMENTS_PENDING', /epoch 18: 2 on chain, not yet final: run payout send again later/);
    // 15 blocks above theirs (the default --min-confirmations): paid.
    daemon.addEmptyBlocks(15);
    const final = await run(['payout', 'send', signed, '--graphql', daemon.url]);
    assert.equal(final.stdout, "epoch 18: 2 payments: 2 final, 0 on chain, 0 in the daemon's pool (0 sent now, 0 sent again)\n");
    const status = await run(['payout', 'status', '--journal', journal]);
    assert.match(status.stdout, new RegExp(`${POOL}\\s+18\\s+2\\s+2\\s+2\\s+0\\s+0\\s+2\\s+0\\s+0\\s+0\\s+0\\.000000000\\s+ok`));
    const report = readFileSync(join(dirname(plan), 'report.csv'), 'utf8');
    assert.match(report, new RegExp(`^\\d+,\\w+,\\d+,${A},.*,9,${daemon.included[0]!.hash},final$`, 'm'));
    // The history across epochs shows the same payment.
    const history = await run(['payout', 'report', '--journal', journal, '--delegator', A, '--format', 'json']);
    const rows = JSON.parse(history.stdout) as { epoch: number; nonce: string | null; txHash: string | null; status: string | null }[];
    assert.deepEqual(
      rows.map((row) => [row.epoch, row.nonce, row.txHash, row.status]),
      [[18, '9', daemon.included[0]!.hash, 'final']],
    );
    const files = readdirSync(dirname(plan)).map((name) => readFileSync(join(dirname(plan), name), 'utf8'));
    for (const text of [...results.flatMap((r) => [r.stdout, r.stderr]), ...files]) {
      assert.ok(!text.includes(sender.privateKey), 'the private key leaked');
      assert.ok(!text.includes(password), 'the password leaked');
    }
  });

  it("signs through the CLI exactly the payment asked for (o1js's reference key and payee: 42 nanomina, fee, nonce 200, memo, valid-until)", async () => {
    // o1js's published signatures use a 3-nanomina fee and valid-until 10000, which minapay refuses (below the
    // protocol's minimum fee, long past): test/payout/sign.test.ts checks those vectors on the signing function itself.
    const journal = tempDir();
    const vectorPool = 'B62qiy32p8kAKnny8ZFwoMhYpBppM1DWVCqAPBYNcXnsAHhnfAAuXgg';
    const plan = await runCli([
      'payout',
      'plan',
      '--ledger=fixtures/ledger/reference-vector.json',
      '--blocks=fixtures/blocks/reference-vector.blocks.json',
      `--pool=${vectorPool}`,
      '--era=berkeley',
      // The block pays a 42-nanomina coinbase, so that the one payment is the vector's 42: an era of its own.
      '--coinbase=0.000000042',
      '--epoch=18',
      '--commission=0',
      '--tx-fee=0.001',
      `--journal=${journal}`,
      '--quiet',
    ]);
    const key = fixtureKeyFile('reference-vector.key');
    // Epoch 18 of the Berkeley era ends at global slot 564480 + 19 x 7140 - 1 = 700139.
    const signArgs = ['payout', 'sign', plan.stdout.trim(), '--key-file', key, '--nonce', '200', '--fee', '0.002', '--memo', 'this is a memo'];
    const result = await runCli([...signArgs, '--valid-until', '700140', '--quiet']);
    assert.equal(result.code, 0, result.stderr);
    const [payment] = (
      JSON.parse(readFileSync(result.stdout.trim(), 'utf8')) as {
        payments: { data: Record<string, string>; signature: { field: string; scalar: string }; hash: string }[];
      }
    ).payments;
    const expected = {
      to: 'B62qrcFstkpqXww1EkSGrqMCwCNho86kuqBd4FrAAUsPxNKdiPzAUsy',
      from: vectorPool,
      amount: '42',
      fee: '2000000',
      nonce: '200',
      memo: 'this is a memo',
      validUntil: '700140',
    };
    assert.deepEqual(payment!.data, expected);
    const client = new Client({ network: 'mainnet' });
    const referenceKey = readFileSync(fixture('keys', 'reference-vector.key'), 'utf8').trim();
    assert.deepEqual(payment!.signature, client.signPayment(expected, referenceKey).signature);
    assert.equal(payment!.hash, client.hashPayment({ data: expected, signature: payment!.signature, publicKey: vectorPool }, { berkeley: true }));
  });

  describe('refusals: each its own error and exit code, nothing signed or sent', () => {
    const refusedSign = async (args: (plan: string) => string[], options: { env?: Record<string, string>; prepare?: (plan: string) => void } = {}) => {
      const plan = await planFixture();
      options.prepare?.(plan);
      const result = await runCli(['payout', 'sign', plan, ...args(plan)], { env: options.env ?? {} });
      assert.equal(existsSync(join(dirname(plan), 'signed.json')), false);
      assert.equal(daemon.sendRequests, 0);
      return result;
    };

    it('a plan edited by hand', async () => {
      await standIn();
      const result = await refusedSign(() => ['--key-file', plainKeyFile(), '--graphql', daemon.url], {
        prepare: (plan) => writeFileSync(plan, readFileSync(plan, 'utf8').replace('"amount": "8137978319"', '"amount": "9137978319"')),
      });
      failedWith(result, 65, 'PLAN_INVALID', /does not match its planHash/);
    });

    it('a network mismatch', async () => {
      await standIn();
      failedWith(
        await refusedSign(() => ['--key-file', plainKeyFile(), '--graphql', daemon.url, '--network', 'devnet']),
        64,
        'NETWORK_MISMATCH',
        /the plan is for mainnet, not --network devnet/,
      );
    });

    it('a memo over 32 bytes', async () => {
      await standIn();
      failedWith(
        await refusedSign(() => ['--key-file', plainKeyFile(), '--graphql', daemon.url, '--memo', 'x'.repeat(33)]),
        64,
        'MEMO_TOO_LONG',
        /--memo is 33 bytes/,
      );
    });

    it('a key file readable by group or others', async () => {
      await standIn();
      const loose = keyFile(`${sender.privateKey}\n`, 0o640);
      failedWith(
        await refusedSign(() => ['--key-file', loose, '--graphql', daemon.url]),
        77,
        'KEY_FILE_INSECURE',
        /readable by group or others \(mode 640\); run chmod 600/,
      );
    });

    it('a wrong password, and none at all without a terminal', async () => {
      await standIn();
      const key = keyFile(await encryptedKeyFile(sender.privateKey, 'right'));
      failedWith(await refusedSign(() => ['--key-file', key, '--graphql', daemon.url], { env: { MINA_PRIVKEY_PASS: 'wrong' } }), 77, 'KEY_PASSWORD_WRONG');
      failedWith(await refusedSign(() => ['--key-file', key, '--graphql', daemon.url]), 64, 'KEY_PASSWORD_MISSING', /set \$MINA_PRIVKEY_PASS/);
    });

    it('no key, and a key in the environment that is not one (without echoing it)', async () => {
      await standIn();
      failedWith(await refusedSign(() => ['--graphql', daemon.url]), 64, 'KEY_MISSING');
      const damaged = `${sender.privateKey.slice(0, -1)}${sender.privateKey.endsWith('1') ? '2' : '1'}`;
      const result = await refusedSign(() => ['--graphql', daemon.url], { env: { MINAPAY_PRIVATE_KEY: damaged } });
      failedWith(result, 65, 'KEY_INVALID', /\$MINAPAY_PRIVATE_KEY holds a private key with a bad base58check checksum/);
      assert.ok(!result.stderr.includes(damaged));
    });

    it('a fee below the protocol minimum or over 1 MINA, a valid-until already passed, and nonces past the largest', async () => {
      await standIn();
      const cases: [string[], RegExp][] = [
        [['--fee', '0'], /--fee 0 is below the protocol minimum of 0\.001000000 MINA/],
        [['--fee', '0.0009'], /--fee 0\.0009 is below the protocol minimum/],
        [['--fee', '1000'], /--fee 1000 is over 1\.000000000 MINA per payment/],
        [['--valid-until', '0'], /--valid-until 0 is not after epoch 18's last slot \d+: the payments could never be included/],
      ];
      for (const [flags, message] of cases) {
        failedWith(await refusedSign(() => ['--key-file', plainKeyFile(), '--graphql', daemon.url, ...flags]), 64, 'USAGE', message);
      }
      failedWith(
        await refusedSign(() => ['--key-file', plainKeyFile(), '--nonce', '4294967295']),
        64,
        'USAGE',
        /nonces 4294967295 to 4294967296 for 2 payments pass the largest nonce, 4294967295/,
      );
    });

    it('a key file that is a directory, or that asks argon2i for an absurd cost', async () => {
      await standIn();
      failedWith(await refusedSign(() => ['--key-file', tempDir(), '--graphql', daemon.url]), 65, 'KEY_INVALID', /is not a key file \(not a regular file\)/);
      const box = JSON.parse(await encryptedKeyFile(sender.privateKey, 'p')) as Record<string, unknown>;
      const absurd = keyFile(JSON.stringify({ ...box, pwdiff: [2 ** 52, 2 ** 40] }));
      failedWith(
        await refusedSign(() => ['--key-file', absurd, '--graphql', daemon.url], { env: { MINA_PRIVKEY_PASS: 'p' } }),
        65,
        'KEY_INVALID',
        /has pwdiff \[4503599627370496, 1099511627776\]; minapay reads memlimit 8192 to 1073741824 bytes and opslimit 3 to 16/,
      );
    });

    it('a balance that cannot cover amounts plus fees', async () => {
      await standIn({ [sender.publicKey]: { balance: 1_364_035_738_956n } });
      failedWith(
        await refusedSign(() => ['--key-file', plainKeyFile(), '--graphql', daemon.url]),
        75,
        'INSUFFICIENT_BALANCE',
        /can spend 1364\.035738956 MINA; the 2 payments need 1364\.035738957 MINA/,
      );
    });

    it('a second sign, and --resign once the daemon has any of the signed nonces', async () => {
      await standIn();
      const plan = await planFixture();
      const key = plainKeyFile();
      assert.equal((await runCli(['payout', 'sign', plan, '--key-file', key, '--graphql', daemon.url, '--quiet'])).code, 0);
      const signed = readFileSync(join(dirname(plan), 'signed.json'), 'utf8');
      failedWith(await runCli(['payout', 'sign', plan, '--key-file', key, '--graphql', daemon.url]), 73, 'SIGNED_EXISTS');
      failedWith(await runCli(['payout', 'sign', plan, '--key-file', key, '--nonce', '9', '--resign']), 73, 'RESIGN_REFUSED', /--resign needs --graphql/);
      // Nothing sent yet: re-signing (say, with a memo) is safe.
      assert.equal((await runCli(['payout', 'sign', plan, '--key-file', key, '--graphql', daemon.url, '--resign', '--memo', 'again', '--quiet'])).code, 0);
      assert.notEqual(readFileSync(join(dirname(plan), 'signed.json'), 'utf8'), signed);
      assert.equal((await runCli(['payout', 'send', join(dirname(plan), 'signed.json'), '--graphql', daemon.url])).code, 0);
      failedWith(
        await runCli(['payout', 'sign', plan, '--key-file', key, '--graphql', daemon.url, '--resign']),
        73,
        'RESIGN_REFUSED',
        /next nonce .* is 11, past the first signed nonce 9/,
      );
      failedWith(await runCli(planArgsFor(plan)), 73, 'PLAN_FROZEN');
    });
  });

  it('refuses a second send of the same epoch while one runs (exit 75), and takes over the lock of a killed one', async (t) => {
    await standIn();
    const plan = await planFixture();
    assert.equal((await runCli(['payout', 'sign', plan, '--key-file', plainKeyFile(), '--graphql', daemon.url, '--quiet'])).code, 0);
    const holder = spawn('sleep', ['30']);
    const holderExited = killedWithTest(t, holder);
    const lock = join(dirname(plan), 'epoch.lock');
    writeFileSync(lock, `${holder.pid}\n`);
    failedWith(await runCli(['payout', 'send', join(dirname(plan), 'signed.json'), '--graphql', daemon.url]), 75, 'LOCKED', /already running \(pid \d+\)/);
    assert.equal(daemon.sendRequests, 0);
    holder.kill('SIGKILL');
    await within('the lock holder to exit', 10_000, holderExited);
    assert.equal((await runCli(['payout', 'send', join(dirname(plan), 'signed.json'), '--graphql', daemon.url])).code, 0);
    assert.equal(existsSync(lock), false);
  });

  it('status exits 80 naming a rejected payment, and send --dry-run shows what it would do without sending', async () => {
    await standIn({ [sender.publicKey]: { balance: FUNDS, nonce: 9n } });
    const plan = await planFixture();
    assert.equal((await runCli(['payout', 'sign', plan, '--key-file', plainKeyFile(), '--graphql', daemon.url, '--quiet'])).code, 0);
    const signed = join(dirname(plan), 'signed.json');
    daemon.accounts.get(sender.publicKey)!.balance = 9_000_000_000n;
    const dry = await runCli(['payout', 'send', signed, '--graphql', daemon.url, '--dry-run']);
    assert.match(dry.stdout, /^send\tnonce 9\t8\.137978319 MINA\tB62qjWCp/m);
    assert.equal(daemon.sendRequests, 0);
    failedWith(await runCli(['payout', 'send', signed, '--graphql', daemon.url]), 76, 'PAYMENT_REJECTED', /Insufficient_funds/);
    const journal = dirname(dirname(dirname(dirname(plan))));
    const status = await runCli(['payout', 'status', '--journal', journal, '--epoch', '18']);
    failedWith(status, 80, 'NEEDS_ATTENTION', /epoch 18: 1 rejected/);
    assert.match(status.stdout, /18\s+2\s+2\s+2\s+1\s+0\s+0\s+0\s+1\s+0\s/);
    assert.match(readFileSync(join(dirname(plan), 'report.csv'), 'utf8'), new RegExp(`^\\d+,\\w+,\\d+,${C},.*,10,\\w+,rejected$`, 'm'));
  });

  it('status and report go on past a damaged epoch, naming it, and exit 80', async () => {
    const plan = await planFixture();
    const journal = dirname(dirname(dirname(dirname(plan))));
    const damagedDir = join(dirname(dirname(plan)), 'epoch-19');
    mkdirSync(damagedDir);
    writeFileSync(join(damagedDir, 'plan.json'), readFileSync(plan, 'utf8').replace('"amount": "8137978319"', '"amount": "9137978319"'));
    const status = await runCli(['payout', 'status', '--journal', journal]);
    failedWith(status, 80, 'NEEDS_ATTENTION', /epoch 19: damaged: .*epoch-19\/plan\.json does not match its planHash/);
    assert.match(status.stdout, new RegExp(`${POOL}\\s+18\\s+2\\s+0\\s`));
    assert.match(status.stdout, new RegExp(`${POOL}\\s+19(\\s+-){10}\\s+damaged: PLAN_INVALID`));
    const report = await runCli(['payout', 'report', '--journal', journal, '--format', 'json']);
    failedWith(report, 80, 'NEEDS_ATTENTION', /1 damaged epoch\(s\) left out of the report: epoch 19 of B62q\w+: .*does not match its planHash/);
    assert.deepEqual([...new Set((JSON.parse(report.stdout) as { epoch: number }[]).map((row) => row.epoch))], [18]);
  });

  it('verifies no signature again on reading; send checks the hash of what it has not sent before anything leaves, and the daemon the signature', async () => {
    await standIn();
    const plan = await planFixture();
    assert.equal((await runCli(['payout', 'sign', plan, '--key-file', plainKeyFile(), '--graphql', daemon.url, '--quiet'])).code, 0);
    const signed = join(dirname(plan), 'signed.json');
    const original = readFileSync(signed, 'utf8');
    type Payments = { payments: { data: { memo: string }; signature: { scalar: string } }[] };
    const edit = (change: (document: Payments) => void) => {
      const document = JSON.parse(original) as Payments;
      change(document);
      writeFileSync(signed, JSON.stringify(document));
    };
    edit((document) => (document.payments[1]!.data.memo = 'not what was signed'));
    const status = await runCli(['payout', 'status', '--journal', dirname(dirname(dirname(dirname(plan))))]);
    failedWith(status, 80, 'NEEDS_ATTENTION', /epoch 18: 2 signed but not sent/);
    failedWith(await runCli(['payout', 'send', signed, '--graphql', daemon.url]), 65, 'SIGNED_INVALID', /payment 1 has hash \w+; its payment hashes to \w+/);
    assert.equal(daemon.sendRequests, 0);
    // The hash leaves the signature out: a signature altered after signing is refused by the daemon, and nothing after it is sent.
    edit((document) => (document.payments[1]!.signature.scalar = (BigInt(document.payments[1]!.signature.scalar) + 1n).toString()));
    failedWith(await runCli(['payout', 'send', signed, '--graphql', daemon.url]), 76, 'PAYMENT_REJECTED', /nonce 10\): .*Invalid_signature/);
    assert.deepEqual(
      daemon.pool.map((payment) => payment.nonce),
      [9n],
    );
  });

  it('a nonce the sender used elsewhere: send exits 76 naming the void payment, status exits 80 showing it, report.csv says void', async () => {
    await standIn();
    const plan = await planFixture();
    assert.equal((await runCli(['payout', 'sign', plan, '--key-file', plainKeyFile(), '--graphql', daemon.url, '--quiet'])).code, 0);
    const signed = join(dirname(plan), 'signed.json');
    // The same key pays someone else with nonce 9 through another node: the block arrives before this send.
    const data = { to: POOL, from: sender.publicKey, amount: '1000000000', fee: '10000000', nonce: '9', memo: '', validUntil: '4294967295' };
    daemon.receiveBlock([{ data, signature: new Client({ network: 'mainnet' }).signPayment(data, sender.privateKey).signature }]);
    failedWith(
      await runCli(['payout', 'send', signed, '--graphql', daemon.url]),
      76,
      'NONCE_CONFLICT',
      new RegExp(`the payment to ${A} \\(nonce 9, hash \\w+\\) is void: another transaction took its nonce; minapay never signs a payment again by itself`),
    );
    assert.deepEqual(
      daemon.pool.map((p) => [p.to, p.nonce]),
      [[C, 10n]],
    );
    const status = await runCli(['payout', 'status', '--journal', dirname(dirname(dirname(dirname(plan))))]);
    failedWith(
      status,
      80,
      'NEEDS_ATTENTION',
      /epoch 18: 1 void: another transaction took their nonce \(1 not yet final: pay them anew \(payout sign --unpaid\) once final\)/,
    );
    assert.match(status.stdout, /18\s+2\s+2\s+2\s+1\s+0\s+0\s+0\s+0\s+1\s/);
    assert.match(readFileSync(join(dirname(plan), 'report.csv'), 'utf8'), new RegExp(`^\\d+,\\w+,\\d+,${A},.*,9,\\w+,void$`, 'm'));
  });
});

/** `payout plan` again into the journal of an existing plan. */
function planArgsFor(plan: string): string[] {
  return fixturePlanArgs(dirname(dirname(dirname(dirname(plan)))));
}
