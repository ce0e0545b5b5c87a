import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

import { MinapayError } from '../errors.js';
import { decryptKeyFile, keyFileKind, plainPrivateKey } from '../payout/key-file.js';
import type { CliContext } from './context.js';

/** Environment variables that may hold secrets; never command-line arguments. */
export const PRIVATE_KEY_ENV = 'MINAPAY_PRIVATE_KEY';
export const KEY_PASSWORD_ENV = 'MINA_PRIVKEY_PASS';

/** Group and other permission bits: a key file must have none. */
const SHARED_PERMISSIONS = 0o077;

/**
 * The sender's private key, from --key-file or $MINAPAY_PRIVATE_KEY.
 * A key file readable by anyone but its owner is refused before it is read.
 */
export async function senderKey(keyFile: string | undefined, context: CliContext): Promise<string> {
  if (keyFile !== undefined) return keyFromFile(keyFile, context);
  const fromEnv = context.env[PRIVATE_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return plainPrivateKey(fromEnv, `$${PRIVATE_KEY_ENV}`);
  throw new MinapayError('KEY_MISSING', `no sender key: give --key-file FILE (a base58 key or the daemon's key file) or set $${PRIVATE_KEY_ENV}`);
}

async function keyFromFile(path: string, context: CliContext): Promise<string> {
  const stats = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new MinapayError('INPUT_NOT_FOUND', `${path}: cannot open key file (${error.code})`);
  });
  if (!stats.isFile()) throw new MinapayError('KEY_INVALID', `${path}: is not a key file (not a regular file)`);
  if ((stats.mode & SHARED_PERMISSIONS) !== 0) {
    const mode = (stats.mode & 0o777).toString(8);
    throw new MinapayError('KEY_FILE_INSECURE', `${path}: key file is readable by group or others (mode ${mode}); run chmod 600 ${path}`);
  }
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new MinapayError('IO_ERROR', `${path}: cannot read key file (${error.code})`);
  });
  if (keyFileKind(text, path) === 'plain') return plainPrivateKey(text, path);
  return decryptKeyFile(text, await keyPassword(path, context), path);
}

/** $MINA_PRIVKEY_PASS, as the daemon reads it, or a prompt when a person is at the terminal. */
async function keyPassword(path: string, context: CliContext): Promise<string> {
  const fromEnv = context.env[KEY_PASSWORD_ENV];
  if (fromEnv !== undefined) return fromEnv;
  if ((context.stdin as { isTTY?: boolean }).isTTY !== true) {
    throw new MinapayError('KEY_PASSWORD_MISSING', `${path}: the key file is encrypted: set $${KEY_PASSWORD_ENV} or run at a terminal to be asked`);
  }
  return promptHidden(`password for ${path}: `, context);
}

/** Reads one line from the terminal without echoing it. */
async function promptHidden(prompt: string, context: CliContext): Promise<string> {
  context.stderr.write(prompt);
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const reader = createInterface({ input: context.stdin, output: silent, terminal: true });
  try {
    return await new Promise<string>((resolve) => reader.question('', resolve));
  } finally {
    reader.close();
    context.stderr.write('\n');
  }
}
