import { existsSync, readFileSync } from 'node:fs';

import { MinapayError } from '../errors.js';

/** Read when neither --config nor $MINAPAY_CONFIG names a file, if it exists: an operator's working directory. */
export const DEFAULT_CONFIG_FILE = 'minapay.json';
export const CONFIG_ENV = 'MINAPAY_CONFIG';

/**
 * One config file serves every command: a JSON object whose keys are option
 * names as on the command line ("pool", "journal", "min-payout"), read from
 * --config FILE, else $MINAPAY_CONFIG, else ./minapay.json. A command takes
 * the keys it has options for and leaves the others; a key no command has
 * is a typo, refused naming the file and the key. The command line wins.
 */
export interface ConfigFile {
  readonly path: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** The config file of a command line, or null when none is named and ./minapay.json does not exist. */
export function findConfigFile(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ConfigFile | null {
  const named = configArgument(argv) ?? (env[CONFIG_ENV] === undefined || env[CONFIG_ENV] === '' ? undefined : env[CONFIG_ENV]);
  if (named !== undefined) return { path: named, values: readConfigFile(named) };
  return existsSync(DEFAULT_CONFIG_FILE) ? { path: DEFAULT_CONFIG_FILE, values: readConfigFile(DEFAULT_CONFIG_FILE) } : null;
}

/** The value of --config FILE or --config=FILE, the last one given. */
function configArgument(argv: readonly string[]): string | undefined {
  let path: string | undefined;
  argv.forEach((arg, index) => {
    if (arg === '--config') path = argv[index + 1];
    else if (arg.startsWith('--config=')) path = arg.slice('--config='.length);
  });
  return path;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new MinapayError('CONFIG_INVALID', `${path}: cannot read config file (${(error as NodeJS.ErrnoException).code})`);
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new MinapayError('CONFIG_INVALID', `${path}: config is not valid JSON: ${(error as Error).message}`);
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new MinapayError('CONFIG_INVALID', `${path}: config must be a JSON object of option names`);
  }
  return config as Record<string, unknown>;
}

/** The config's values for the options one command has. */
export function configFor(config: ConfigFile, options: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config.values).filter(([key]) => options.has(key)));
}

/** Refuses a key that is an option of no command: a typo would otherwise be silently ignored by all of them. */
export function checkConfigKeys(config: ConfigFile, known: ReadonlySet<string>): void {
  const unknown = Object.keys(config.values).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    const names = unknown.map((key) => JSON.stringify(key)).join(', ');
    throw new MinapayError('CONFIG_INVALID', `${config.path}: ${names} ${unknown.length === 1 ? 'is an option' : 'are options'} of no minapay command`);
  }
}
