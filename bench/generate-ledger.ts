/**
 * Writes a synthetic post-Berkeley staking-ledger export for benchmarks:
 * realistic fields (13-field permissions, base58 token ids, nonces, receipt
 * chain hashes, some timed, custom-token and zkApp accounts), valid
 * base58check keys that are points of the Pallas curve (a plan pays them, and
 * a signer cannot sign a payment to any other), and by default 1% of accounts
 * delegating to BENCH_POOL (--pool-share). Deterministic: the same
 * arguments give the same bytes.
 *
 *   node --import tsx bench/generate-ledger.ts --accounts 250000 --format json --out bench/data/l.json
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import bs58check from 'bs58check';

import { MINA_TOKEN_ID } from '../src/ledger/account.js';
import { publicKeyProblem } from '../src/protocol/keys.js';
import { BENCH_POOL } from './pool.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '250000' },
    format: { type: 'string', default: 'json' },
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'pool-share': { type: 'string', default: '0.01' },
  },
});
if (values.out === undefined) throw new Error('--out FILE is required');
const accountCount = Number(values.accounts);
const jsonLines = values.format === 'jsonl';
const poolShare = Number(values['pool-share']);

/** mulberry32: small, fast, deterministic. */
let state = Number(values.seed) >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randomInt = (n: number): number => Math.floor(random() * n);

/** A random key whose x is on the curve: about every other x is, so a few draws suffice. */
function publicKey(): string {
  for (;;) {
    const payload = new Uint8Array(36);
    payload.set([0xcb, 0x01, 0x01]);
    for (let i = 3; i < 35; i++) payload[i] = randomInt(256);
    payload[34] = (payload[34] as number) & 0x3f; // keep x below the field modulus
    payload[35] = randomInt(2);
    const key = bs58check.encode(payload);
    if (publicKeyProblem(key) === null) return key;
  }
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58Text(prefix: string, length: number): string {
  let text = prefix;
  while (text.length < length) text += BASE58[randomInt(58)];
  return text;
}

function minaAmount(maxWhole: number): string {
  const whole = randomInt(maxWhole);
  const fraction = String(randomInt(1_000_000_000)).padStart(9, '0').replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}

const otherPools = Array.from({ length: 300 }, publicKey);
const customTokens = Array.from({ length: 20 }, () => base58Text('x', 50));
const VOTING_FOR = '3NK2tkzqqK5spR2sZ7tujjqPksL45M3UUrcA4WhCkeiPtnugyE2x';

const SIGNATURE_PERMISSIONS = {
  edit_state: 'Signature',
  access: 'None',
  send: 'Signature',
  receive: 'None',
  set_delegate: 'Signature',
  set_permissions: 'Signature',
  set_verification_key: { auth: 'Signature', txn_version: '3' },
  set_zkapp_uri: 'Signature',
  edit_action_state: 'Signature',
  set_token_symbol: 'Signature',
  increment_nonce: 'Signature',
  set_voting_for: 'Signature',
  set_timing: 'Signature',
};

function zkapp(): object {
  return {
    app_state: Array.from({ length: 8 }, () => String(randomInt(1e9))),
    verification_key: { data: base58Text('AgIC', 2800), hash: String(randomInt(1e9)) },
    zkapp_version: '0',
    action_state: Array.from({ length: 5 }, () => String(randomInt(1e9))),
    last_action_slot: '0',
    proved_state: false,
    zkapp_uri: '',
  };
}

/**
 * Whole MINA of a MINA-token balance, at most: some 4,000 on average, of the order of mainnet's average, so that 2M
 * accounts add up to less than the uint64 of nanomina that the protocol's total currency is, which minapay refuses to
 * exceed (docs/protocol.md, "Amounts and nanomina").
 */
const MAX_BALANCE_MINA = 8_000;

function account(index: number): object {
  const pk = publicKey();
  const roll = random();
  const isCustomToken = roll < 0.01;
  const base: Record<string, unknown> = {
    pk,
    balance: minaAmount(isCustomToken ? 1000 : MAX_BALANCE_MINA),
    nonce: String(randomInt(500)),
    receipt_chain_hash: base58Text('2mz', 52),
  };
  if (isCustomToken) {
    base['token'] = customTokens[randomInt(customTokens.length)];
    base['token_symbol'] = 'TKN';
  } else {
    // --pool-share (1%) to the benchmark pool, the rest up to 40% to other pools, 60% left at the default (self).
    const delegation = random();
    if (delegation < poolShare || index === 0) base['delegate'] = BENCH_POOL;
    else if (delegation < 0.4) base['delegate'] = otherPools[randomInt(otherPools.length)];
    else if (random() < 0.5) base['delegate'] = pk;
    base['token'] = MINA_TOKEN_ID;
    base['token_symbol'] = '';
  }
  base['voting_for'] = VOTING_FOR;
  if (!isCustomToken && random() < 0.05) {
    const initial = 1 + randomInt(MAX_BALANCE_MINA);
    base['timing'] = {
      initial_minimum_balance: String(initial),
      cliff_time: String(86_400 + randomInt(600_000)),
      cliff_amount: String(randomInt(initial)),
      vesting_period: '1',
      vesting_increment: minaAmount(2),
    };
  }
  base['permissions'] = SIGNATURE_PERMISSIONS;
  if (random() < 0.005) base['zkapp'] = zkapp();
  return base;
}

const out = createWriteStream(values.out);
async function write(text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}
if (!jsonLines) await write('[\n');
for (let i = 0; i < accountCount; i++) {
  if (jsonLines) await write(`${JSON.stringify(account(i))}\n`);
  else await write(`${i === 0 ? '' : ',\n'}${JSON.stringify(account(i), null, 2)}`);
}
if (!jsonLines) await write('\n]\n');
out.end();
await once(out, 'finish');
