import bs58check from 'bs58check';

import { MinapayError } from '../errors.js';

/**
 * The sender's private key, from the two forms an operator has:
 * - the plain base58 key ("EK..."): 0x5a | 0x01 | scalar (32 bytes,
 *   little-endian), base58check;
 * - the daemon's encrypted key file (MinaProtocol/mina src/lib/secrets/secret_box.ml): JSON with
 *   base58check fields (version byte 0x02), argon2i (pwdiff = [memlimit,
 *   opslimit]) deriving the key of an xsalsa20poly1305 secretbox whose
 *   plaintext is 0x01 | scalar, the same bytes as the plain key after 0x5a.
 *
 * Error messages name the file and the problem, never any byte of the key.
 */
const PRIVATE_KEY_VERSION_BYTE = 0x5a;
const PRIVATE_KEY_PAYLOAD = 34;
const SECRET_BOX_VERSION_BYTE = 0x02;
const SECRET_BOX_PRIMITIVE = 'xsalsa20poly1305';
const PASSWORD_PRIMITIVE = 'argon2i';
const PLAIN_KEY = /^EK[1-9A-HJ-NP-Za-km-z]{50}$/;
/**
 * Bounds on the key file's argon2i cost: libsodium's own minimums, and
 * maximums well above the daemon's (128 MiB, 6 passes) that keep a damaged
 * or hostile file from asking for gigabytes or hours.
 */
const PWDIFF_MEMLIMIT = { min: 8192, max: 1 << 30 };
const PWDIFF_OPSLIMIT = { min: 3, max: 16 };

/** Fields of the daemon's key file (`mina advanced generate-keypair`). */
interface SecretBoxJson {
  readonly box_primitive: string;
  readonly pw_primitive: string;
  readonly nonce: string;
  readonly pwsalt: string;
  readonly pwdiff: readonly [number, number];
  readonly ciphertext: string;
}

export type KeyFileKind = 'plain' | 'encrypted';

/** Which form a key file's text has, without decrypting it. */
export function keyFileKind(text: string, where: string): KeyFileKind {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return 'encrypted';
  if (PLAIN_KEY.test(trimmed)) return 'plain';
  throw keyError(where, 'is neither a base58 private key (EK...) nor a daemon key file (JSON)');
}

/** A plain base58 private key, checked for its checksum and version bytes. */
export function plainPrivateKey(text: string, where: string): string {
  const key = text.trim();
  let payload: Uint8Array;
  try {
    payload = bs58check.decode(key);
  } catch {
    throw keyError(where, 'holds a private key with a bad base58check checksum');
  }
  if (payload.length !== PRIVATE_KEY_PAYLOAD || payload[0] !== PRIVATE_KEY_VERSION_BYTE || payload[1] !== 0x01) {
    throw keyError(where, 'does not hold a Mina private key (wrong length or version bytes)');
  }
  return key;
}

/** Decrypts the daemon's key file with its password; a wrong password is its own error. */
export async function decryptKeyFile(text: string, password: string, where: string): Promise<string> {
  const box = secretBox(text, where);
  // Loaded only here: most runs read a plain key or none, and libsodium is a large module to start.
  const { default: sodium } = await import('libsodium-wrappers-sumo');
  await sodium.ready;
  const [memLimit, opsLimit] = box.pwdiff;
  const salt = boxField(box.pwsalt, 'pwsalt', where);
  if (salt.length !== sodium.crypto_pwhash_SALTBYTES) throw keyError(where, `has a pwsalt of ${salt.length} bytes, not ${sodium.crypto_pwhash_SALTBYTES}`);
  const secret = sodium.crypto_pwhash(sodium.crypto_secretbox_KEYBYTES, password, salt, opsLimit, memLimit, sodium.crypto_pwhash_ALG_ARGON2I13);
  let plaintext: Uint8Array;
  try {
    plaintext = sodium.crypto_secretbox_open_easy(boxField(box.ciphertext, 'ciphertext', where), boxField(box.nonce, 'nonce', where), secret);
  } catch {
    throw new MinapayError('KEY_PASSWORD_WRONG', `${where}: cannot decrypt the key file: wrong password (MINA_PRIVKEY_PASS) or a damaged file`);
  } finally {
    sodium.memzero(secret);
  }
  const encoded = bs58check.encode(Uint8Array.from([PRIVATE_KEY_VERSION_BYTE, ...plaintext]));
  plaintext.fill(0);
  return plainPrivateKey(encoded, where);
}

function secretBox(text: string, where: string): SecretBoxJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw keyError(where, 'is not valid JSON');
  }
  const box = parsed as Partial<SecretBoxJson> | null;
  if (box === null || typeof box !== 'object') throw keyError(where, 'is not a key file object');
  if (box.box_primitive !== SECRET_BOX_PRIMITIVE || box.pw_primitive !== PASSWORD_PRIMITIVE) {
    throw keyError(
      where,
      `uses ${String(box.box_primitive)}/${String(box.pw_primitive)}; minapay reads ${SECRET_BOX_PRIMITIVE}/${PASSWORD_PRIMITIVE} key files`,
    );
  }
  const pwdiff = box.pwdiff;
  if (!Array.isArray(pwdiff) || pwdiff.length !== 2 || !pwdiff.every((n) => Number.isSafeInteger(n))) {
    throw keyError(where, 'has no pwdiff [memlimit, opslimit]');
  }
  const [memLimit, opsLimit] = pwdiff as [number, number];
  if (memLimit < PWDIFF_MEMLIMIT.min || memLimit > PWDIFF_MEMLIMIT.max || opsLimit < PWDIFF_OPSLIMIT.min || opsLimit > PWDIFF_OPSLIMIT.max) {
    throw keyError(
      where,
      `has pwdiff [${memLimit}, ${opsLimit}]; minapay reads memlimit ${PWDIFF_MEMLIMIT.min} to ${PWDIFF_MEMLIMIT.max} bytes ` +
        `and opslimit ${PWDIFF_OPSLIMIT.min} to ${PWDIFF_OPSLIMIT.max}`,
    );
  }
  for (const field of ['nonce', 'pwsalt', 'ciphertext'] as const) {
    if (typeof box[field] !== 'string') throw keyError(where, `has no ${field}`);
  }
  return box as SecretBoxJson;
}

function boxField(value: string, field: string, where: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = bs58check.decode(value);
  } catch {
    throw keyError(where, `has a ${field} with a bad base58check checksum`);
  }
  if (bytes[0] !== SECRET_BOX_VERSION_BYTE) throw keyError(where, `has a ${field} with the wrong version byte`);
  return bytes.subarray(1);
}

function keyError(where: string, problem: string): MinapayError {
  return new MinapayError('KEY_INVALID', `${where} ${problem}`);
}
