import { readFileSync } from 'node:fs';
import yargs, { type Argv } from 'yargs';

import { MinapayError } from '../errors.js';
import { publicKeyProblem } from '../protocol/keys.js';
import { STANDARD_STREAM, type CliContext, type GlobalOptions } from './context.js';
import { EXIT } from './exit-codes.js';
import { handleError } from './handle-error.js';

/** Runs one minapay command line; resolves to the process exit code. */
export async function main(argv: readonly string[], context: CliContext): Promise<number> {
  try {
    await buildCli(argv.map((arg) => (arg === '-' ? STANDARD_STREAM : arg)), context).parseAsync();
    return EXIT.ok;
  } catch (error) {
    return handleError(error, context);
  }
}

type Args = Record<string, unknown>;

function buildCli(argv: readonly string[], context: CliContext): Argv {
  return yargs([...argv])
    .scriptName('minapay')
    .usage('$0 <command>\n\nExact, streaming payouts for Mina staking pools.')
    .option('network', { choices: ['mainnet', 'devnet'], default: 'mainnet', global: true, describe: 'Mina network' })
    .option('output', { type: 'string', global: true, describe: 'write the result to FILE (atomically) instead of stdout' })
    .option('quiet', { type: 'boolean', default: false, global: true, describe: 'no progress or warnings on stderr' })
    .config('config', 'read options from a JSON file whose keys are option names (the command line wins)', readConfigFile)
    .global('config')
    .command('ledger', 'read staking-ledger exports', (ledger) =>
      ledger
        .command(
          'stats <ledger>',
          'totals and the largest delegates of a ledger',
          async (y) => (await import('./commands/ledger-stats.js')).ledgerStatsBuilder(y),
          async (args: Args) => {
            const { runLedgerStats } = await import('./commands/ledger-stats.js');
            await runLedgerStats(
              { ...globalOptions(args), ledger: String(args['ledger']), top: nonNegativeInteger(args['top'], '--top'), format: args['format'] as 'table' | 'json' },
              context,
            );
          },
        )
        .command(
          'delegators <ledger>',
          "the accounts delegating to the pool's keys",
          async (y) => (await import('./commands/ledger-delegators.js')).ledgerDelegatorsBuilder(y),
          async (args: Args) => {
            const { runLedgerDelegators } = await import('./commands/ledger-delegators.js');
            await runLedgerDelegators(
              { ...globalOptions(args), ledger: String(args['ledger']), pool: poolKeys(args['pool']), format: args['format'] as 'table' },
              context,
            );
          },
        )
        .demandCommand(1, 'name a ledger command: stats or delegators'),
    )
    .demandCommand(1, 'name a command')
    .strict()
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new MinapayError('USAGE', message);
    })
    .help()
    .version();
}

function globalOptions(args: Args): GlobalOptions {
  return {
    network: args['network'] as GlobalOptions['network'],
    output: typeof args['output'] === 'string' ? args['output'] : undefined,
    quiet: args['quiet'] === true,
  };
}

function readConfigFile(path: string): object {
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
  return config;
}

/** Pool keys are where money is credited from: each must be a well-formed key. */
function poolKeys(value: unknown): string[] {
  const keys = (Array.isArray(value) ? value : [value]).map(String);
  for (const key of keys) {
    const problem = publicKeyProblem(key);
    if (problem !== null) throw new MinapayError('INVALID_PUBLIC_KEY', `--pool ${key} ${problem}`);
  }
  return [...new Set(keys)];
}

function nonNegativeInteger(value: unknown, flag: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new MinapayError('USAGE', `${flag} must be a whole number, not ${String(value)}`);
  }
  return value;
}
