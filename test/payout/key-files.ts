import { chmodSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import bs58check from 'bs58check';
import sodium from 'libsodium-wrappers-sumo';

import { fixture, tempDir } from '../helpers.js';

/** Argon2i's smallest limits: key files for tests decrypt in milliseconds. */
const FAST_PWDIFF: [number, number] = [8192, 3];

const base58 = (bytes: Uint8Array) => bs58check.encode(Uint8Array.from([0x02, ...bytes]));

/** A daemon-format key file of `privateKey`, encrypted with `password` the way the daemon does it. */
export async function encryptedKeyFile(privateKey: string, password: string): Promise<string> {
  await sodium.ready;
  const plaintext = bs58check.decode(privateKey).subarray(1);
  const salt = sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES);
  const nonce = sodium.randombytes_buf(sodium.crypto_secretbox_NONCEBYTES);
  const key = sodium.crypto_pwhash(sodium.crypto_secretbox_KEYBYTES, password, salt, FAST_PWDIFF[1], FAST_PWDIFF[0], sodium.crypto_pwhash_ALG_ARGON2I13);
  const ciphertext = sodium.crypto_secretbox_easy(plaintext, nonce, key);
  return JSON.stringify({
    box_primitive: 'xsalsa20poly1305',
    pw_primitive: 'argon2i',
    nonce: base58(nonce),
    pwsalt: base58(salt),
    pwdiff: FAST_PWDIFF,
    ciphertext: base58(ciphertext),
  });
}

/** Writes a key file of mode 600 (or `mode`) in a fresh directory. */
export function keyFile(content: string, mode = 0o600): string {
  const path = join(tempDir(), 'sender.key');
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
  return path;
}

/** A checked-in key file (fixtures/keys), copied to mode 600 since git keeps 644. */
export function fixtureKeyFile(name: string): string {
  const path = join(tempDir(), name);
  copyFileSync(fixture('keys', name), path);
  chmodSync(path, 0o600);
  return path;
}
