import { readFileSync } from 'node:fs';
import yargs, { type Argv } from 'yargs';

import { isMinapayError, MinapayError } from '../errors.js';
import { STANDARD_STREAM, type CliContext } from './context.js';
import { EXIT } from './exit-codes.js';
import { handleError } from './handle-error.js';
import type { RawArgs } from './options.js';

/** Runs one minapay command line; resolves to the process exit code. */
export async function main(argv: readonly string[], context: CliContext): Promise<number> {
  const config = new ConfigReader();
  try {
    await buildCli(
      argv.map((arg) => (arg === '-' ? STANDARD_STREAM : arg)),
      context,
      config,
    ).parseAsync();
    return EXIT.ok;
  } catch (error) {
    return handleError(commandLineFailure(error, config.failure), context);
  }
}

/**
 * yargs re-raises what it could not parse (an option without its value, a
 * --config that failed to load) as a YError that keeps only the message, and
 * rejects with it: that is a usage error, and a config file's own error keeps
 * its code. minapay's errors pass through; anything else stays a bug.
 */
function commandLineFailure(error: unknown, configFailure: MinapayError | undefined): unknown {
  if (isMinapayError(error) || !(error instanceof Error) || error.name !== 'YError') return error;
  return configFailure ?? new MinapayError('USAGE', error.message);
}

/** A command's module: its options, and its run on the parsed arguments. */
interface CommandModule {
  builder(yargs: Argv): Argv;
  run(args: RawArgs, context: CliContext): Promise<void>;
}

/** Registers a command whose module is imported only when it runs (start-up stays fast). */
function lazyCommand(command: string, describe: string, load: () => Promise<CommandModule>, context: CliContext) {
  return {
    command,
    describe,
    builder: async (yargs: Argv) => (await load()).builder(yargs),
    handler: async (args: RawArgs) => (await load()).run(args, context),
  };
}

function buildCli(argv: readonly string[], context: CliContext, config: ConfigReader): Argv {
  return yargs([...argv])
    .scriptName('minapay')
    .usage('$0 <command>\n\nExact, streaming payouts for Mina staking pools.')
    .option('network', { choices: ['mainnet', 'devnet'], default: 'mainnet', global: true, describe: 'Mina network' })
    .option('output', { type: 'string', global: true, describe: 'write the result to FILE (atomically) instead of stdout' })
    .option('quiet', { type: 'boolean', default: false, global: true, describe: 'no progress or warnings on stderr' })
    .config('config', 'read options from a JSON file whose keys are option names (the command line wins)', (path: string) => config.read(path))
    .global('config')
    .command('ledger', 'read and archive staking-ledger exports', (ledger) =>
      ledger
        .command(lazyCommand('stats [ledger]', 'totals and the largest delegates of a ledger', () => import('./commands/ledger-stats.js'), context))
        .command(lazyCommand('delegators [ledger]', "the accounts delegating to the pool's keys", () => import('./commands/ledger-delegators.js'), context))
        .command(
          lazyCommand(
            'archive [ledger]',
            'keep an exported ledger in an archive directory, safely and idempotently (for cron)',
            () => import('./commands/ledger-archive.js'),
            context,
          ),
        )
        .command(lazyCommand('list', 'the ledgers an archive directory holds', () => import('./commands/ledger-list.js'), context))
        .command(lazyCommand('verify', 'rehash every archived ledger against the manifest', () => import('./commands/ledger-verify.js'), context))
        .demandCommand(1, 'name a ledger command: stats, delegators, archive, list or verify'),
    )
    .command(
      lazyCommand(
        'unlock [ledger]',
        'when timed accounts unlock, what is locked at a slot, who earns supercharged rewards',
        () => import('./commands/unlock.js'),
        context,
      ),
    )
    .command(
      lazyCommand('blocks', "the pool's canonical blocks of an epoch, read from an archive node's database", () => import('./commands/blocks.js'), context),
    )
    .command('payout', "compute, check and report an epoch's payouts", (payout) =>
      payout
        .command(lazyCommand('plan', "each delegator's payout for an epoch, written to the journal", () => import('./commands/payout-plan.js'), context))
        .command(
          lazyCommand(
            'verify <plan>',
            'recompute a plan from its inputs and check every line, total and hash',
            () => import('./commands/payout-verify.js'),
            context,
          ),
        )
        .command(
          lazyCommand(
            'sign <plan>',
            "verify a plan and sign its payments with the sender's key into signed.json",
            () => import('./commands/payout-sign.js'),
            context,
          ),
        )
        .command(
          lazyCommand(
            'send <signed>',
            'broadcast signed payments to a daemon, exactly once, resuming where a run stopped',
            () => import('./commands/payout-send.js'),
            context,
          ),
        )
        .command(
          lazyCommand(
            'status',
            "each epoch's payments: planned, signed, sent, accepted, included, unknown, failed, void",
            () => import('./commands/payout-status.js'),
            context,
          ),
        )
        .command(lazyCommand('report', "every delegator's payouts across epochs, from the journal", () => import('./commands/payout-report.js'), context))
        .demandCommand(1, 'name a payout command: plan, verify, sign, send, status or report'),
    )
    .command(
      lazyCommand(
        'slots [ledger]',
        "the slots a block producer's delegators win, by the daemon's own VRF; with --blocks or --archive-db, which became blocks",
        () => import('./commands/slots.js'),
        context,
      ),
    )
    .command(lazyCommand('odds [ledger]', 'blocks to expect in an epoch, and how unlucky an epoch was', () => import('./commands/odds.js'), context))
    .demandCommand(1, 'name a command')
    .strict()
    .exitProcess(false)
    .fail((message, error) => {
      throw commandLineFailure(error ?? new MinapayError('USAGE', message), config.failure);
    })
    .help()
    .version();
}

/** Reads --config files, and keeps the error of one that failed for commandLineFailure. */
class ConfigReader {
  failure: MinapayError | undefined;

  read(path: string): object {
    try {
      return readConfigFile(path);
    } catch (error) {
      this.failure = error as MinapayError;
      throw error;
    }
  }
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
