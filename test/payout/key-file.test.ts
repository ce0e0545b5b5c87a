import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import Client from 'mina-signer';

import { decryptKeyFile, keyFileKind, plainPrivateKey } from '../../src/payout/key-file.js';
import { fixture } from '../helpers.js';
import { encryptedKeyFile } from './key-files.js';

const client = new Client({ network: 'mainnet' });
const REFERENCE_KEY = readFileSync(fixture('keys', 'reference-vector.key'), 'utf8');

describe('key files', () => {
  it('decrypts a daemon key file made elsewhere (ChainSafe/mina-rs test wallet, empty password) to its published key', async () => {
    const text = readFileSync(fixture('keys', 'reference-wallet.json'), 'utf8');
    assert.equal(keyFileKind(text, 'wallet'), 'encrypted');
    const key = await decryptKeyFile(text, '', 'wallet');
    assert.equal(client.derivePublicKey(key), 'B62qjEPouxe5E8zPXYkfQqakNYbmS2RF5B6SZatyh1a3kWv8cgV3afh');
  });

  it('round-trips a key through the daemon format, and refuses a wrong password without naming the key', async () => {
    const key = client.genKeys().privateKey;
    const text = await encryptedKeyFile(key, 'correct horse');
    assert.equal(await decryptKeyFile(text, 'correct horse', 'k.json'), key);
    await assert.rejects(
      decryptKeyFile(text, 'wrong', 'k.json'),
      (error: Error & { code: string }) => error.code === 'KEY_PASSWORD_WRONG' && !error.message.includes(key),
    );
  });

  it('reads a plain base58 key, and refuses a damaged one, a public key or other text with KEY_INVALID and no key in the message', () => {
    assert.equal(plainPrivateKey(`${REFERENCE_KEY}\n`, 'k'), REFERENCE_KEY.trim());
    const damaged = `${REFERENCE_KEY.slice(0, 10)}${REFERENCE_KEY[10] === 'a' ? 'b' : 'a'}${REFERENCE_KEY.slice(11)}`.trim();
    for (const text of [damaged, 'B62qiy32p8kAKnny8ZFwoMhYpBppM1DWVCqAPBYNcXnsAHhnfAAuXgg', 'hello']) {
      assert.throws(
        () => plainPrivateKey(text, 'k'),
        (error: Error & { code: string }) => error.code === 'KEY_INVALID' && !error.message.includes(damaged),
      );
    }
  });

  it('names what is wrong with a key file that is not the daemon format', async () => {
    const box = JSON.parse(await encryptedKeyFile(client.genKeys().privateKey, 'p')) as Record<string, unknown>;
    await assert.rejects(decryptKeyFile(JSON.stringify({ ...box, pw_primitive: 'scrypt' }), 'p', 'k.json'), /k\.json uses xsalsa20poly1305\/scrypt/);
    await assert.rejects(decryptKeyFile(JSON.stringify({ ...box, pwdiff: 'x' }), 'p', 'k.json'), /k\.json has no pwdiff/);
    await assert.rejects(decryptKeyFile('{"box', 'p', 'k.json'), /k\.json is not valid JSON/);
  });
});
