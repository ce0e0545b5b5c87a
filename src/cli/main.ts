import yargs, { type Argv } from 'yargs';

import { isMinapayError, MinapayError } from '../errors.js';
import { CONFIG_ENV, checkConfigKeys, configFor, DEFAULT_CONFIG_FILE, findConfigFile, type ConfigFile } from './config-file.js';
import { STANDARD_STREAM, type CliContext } from './context.js';
import { EXIT } from './exit-codes.js';
import { ERA_OPTION_NAMES } from './era-options.js';
import { handleError } from './handle-error.js';
import type { RawArgs } from './options.js';

/** Runs one minapay command line; resolves to the process exit code. */
export async function main(argv: readonly string[], context: CliContext): Promise<number> {
  try {
    // Bare `minapay` shows what it can do.
    const args = argv.length === 0 ? ['--help'] : argv.map((arg) => (arg === '-' ? STANDARD_STREAM : arg));
    // With a callback, yargs hands over its help and version text instead of printing them: they go to this run's stdout.
    let shown = '';
    await buildCli(args, context, findConfigFile(argv, context.env)).parseAsync(args, {}, (_error, _parsed, output) => {
      shown = output;
    });
    if (shown !== '') context.stdout.write(`${shown}\n`);
    return EXIT.ok;
  } catch (error) {
    return handleError(commandLineFailure(error), context);
  }
}

/**
 * yargs re-raises what it could not parse (an option without its value) as
 * a YError that keeps only the message, and rejects with it: that is a usage
 * error. minapay's errors pass through; anything else stays a bug.
 */
function commandLineFailure(error: unknown): unknown {
  if (isMinapayError(error) || !(error instanceof Error) || error.name !== 'YError') return error;
  return new MinapayError('USAGE', error.message);
}

/** A command's module: its options, and its run on the parsed arguments. */
interface CommandModule {
  builder(yargs: Argv): Argv;
  run(args: RawArgs, context: CliContext): Promise<void>;
}

type Group = 'ledger' | 'payout' | 'statement';

/** One command: its group, usage, one-line description, examples, and its module, imported only when it runs (start-up stays fast). */
interface CommandEntry {
  readonly group: Group | null;
  readonly usage: string;
  readonly describe: string;
  readonly examples: readonly (readonly [command: string, what: string])[];
  readonly load: () => Promise<CommandModule>;
}

/** A pool key in examples: any B62 key of the pool's block producer. */
const POOL = 'B62q...';

const COMMANDS: readonly CommandEntry[] = [
  {
    group: 'ledger',
    usage: 'stats [ledger]',
    describe: 'totals and the largest delegates of a ledger',
    examples: [['$0 ledger stats staking-ledger.json --top 5', 'the five largest delegate keys of an export']],
    load: () => import('./commands/ledger-stats.js'),
  },
  {
    group: 'ledger',
    usage: 'delegators [ledger]',
    describe: "the accounts delegating to the pool's keys",
    examples: [[`$0 ledger delegators staking-ledger.json --pool ${POOL} --format csv`, "the pool's delegators with their stake, as CSV"]],
    load: () => import('./commands/ledger-delegators.js'),
  },
  {
    group: 'ledger',
    usage: 'archive [ledger]',
    describe: 'keep an exported ledger in an archive directory, safely and idempotently (for cron)',
    examples: [
      ['$0 ledger archive --export --graphql http://127.0.0.1:3085/graphql --archive /srv/mina-ledgers', 'both ledgers the daemon holds, named by its tip'],
    ],
    load: () => import('./commands/ledger-archive.js'),
  },
  {
    group: 'ledger',
    usage: 'list',
    describe: 'the ledgers an archive directory holds',
    examples: [['$0 ledger list --archive /srv/mina-ledgers', 'every archived epoch and ledger hash']],
    load: () => import('./commands/ledger-list.js'),
  },
  {
    group: 'ledger',
    usage: 'verify',
    describe: 'rehash every archived ledger against the manifest',
    examples: [['$0 ledger verify --archive /srv/mina-ledgers', 'exit 81 naming any file that changed or went missing']],
    load: () => import('./commands/ledger-verify.js'),
  },
  {
    group: null,
    usage: 'unlock [ledger]',
    describe: 'when timed accounts unlock, what is locked at a slot, who earns supercharged rewards',
    examples: [[`$0 unlock staking-ledger.json --pool ${POOL} --epoch 42`, "the pool's timed delegators at epoch 42's first slot"]],
    load: () => import('./commands/unlock.js'),
  },
  {
    group: null,
    usage: 'blocks',
    describe: "the pool's canonical blocks of an epoch, read from an archive node's database",
    examples: [[`$0 blocks --archive-db postgres://archive@localhost/archive --pool ${POOL} --epoch 42 > blocks.json`, 'a blocks file for payout plan']],
    load: () => import('./commands/blocks.js'),
  },
  {
    group: 'payout',
    usage: 'plan',
    describe: "each delegator's payout for an epoch, written to the journal",
    examples: [
      [`$0 payout plan --ledger ledger.json --blocks blocks.json --pool ${POOL} --epoch 42 --commission 0.05`, 'plan.json and report.csv in the journal'],
    ],
    load: () => import('./commands/payout-plan.js'),
  },
  {
    group: 'payout',
    usage: 'verify <plan>',
    describe: 'recompute a plan from its inputs and check every line, total and hash',
    examples: [['$0 payout verify payouts/mainnet/B62q.../epoch-42/plan.json', 'exit 1 naming the first discrepancy']],
    load: () => import('./commands/payout-verify.js'),
  },
  {
    group: 'payout',
    usage: 'sign <plan>',
    describe: "verify a plan and sign its payments with the sender's key into signed.json",
    examples: [['$0 payout sign .../epoch-42/plan.json --key-file sender.key --graphql http://127.0.0.1:3085/graphql', 'nonces from the daemon']],
    load: () => import('./commands/payout-sign.js'),
  },
  {
    group: 'payout',
    usage: 'send <signed>',
    describe: 'broadcast signed payments to a daemon, exactly once, resuming where a run stopped',
    examples: [['$0 payout send .../epoch-42/signed.json --graphql http://127.0.0.1:3085/graphql', 'send, then run again until all are on chain']],
    load: () => import('./commands/payout-send.js'),
  },
  {
    group: 'payout',
    usage: 'status',
    describe: "each epoch's payments: planned, signed, sent, pending, included, final, unknown, failed, void",
    examples: [['$0 payout status --journal payouts --format json', 'exit 0 when every payment is final, 75 while some wait, 80 when a person is needed']],
    load: () => import('./commands/payout-status.js'),
  },
  {
    group: 'payout',
    usage: 'report',
    describe: "every delegator's payouts across epochs, from the journal",
    examples: [['$0 payout report --delegator B62q... --format json', "one delegator's lines of every epoch"]],
    load: () => import('./commands/payout-report.js'),
  },
  {
    group: 'payout',
    usage: 'run',
    describe: 'for cron: plan, verify, sign, send and follow an epoch to finality from the archives, each step once; safe to kill and run again',
    examples: [['$0 --config /etc/minapay/minapay.json payout run --last-finished', 'exit 0 when every payment is final, 75 not yet, 80 a person is needed']],
    load: () => import('./commands/payout-run.js'),
  },
  {
    group: 'payout',
    usage: 'statement <plan>',
    describe: "every delegator's statement (leaf, Merkle proof, signed root, payment) and the epoch's page",
    examples: [['$0 payout statement .../epoch-42/plan.json --dir /var/www/epoch-42', 'after sign, and again after send: <pk>.json and index.html']],
    load: () => import('./commands/payout-statement.js'),
  },
  {
    group: 'statement',
    usage: 'verify <file>',
    describe: 'recompute the leaf and the root from the path, check the signatures, and say what was altered',
    examples: [['$0 statement verify B62q....json --graphql http://127.0.0.1:3085/graphql', 'exit 1 naming what was altered']],
    load: () => import('./commands/statement-verify.js'),
  },
  {
    group: null,
    usage: 'slots [ledger]',
    describe: "the slots a block producer's delegators win, by the daemon's own VRF; with --blocks or --archive-db, which became blocks",
    examples: [['$0 slots --archive /srv/mina-ledgers --epoch 42 --graphql http://127.0.0.1:3085/graphql --key-file producer.key', "epoch 42's won slots"]],
    load: () => import('./commands/slots.js'),
  },
  {
    group: null,
    usage: 'odds [ledger]',
    describe: 'blocks to expect in an epoch, and how unlucky an epoch was',
    examples: [[`$0 odds staking-ledger.json --pool ${POOL} --method daemon --won 12`, 'the expectation, the spread, and how likely 12 or fewer were']],
    load: () => import('./commands/odds.js'),
  },
];

const GROUPS: Readonly<Record<Group, string>> = {
  ledger: 'read and archive staking-ledger exports',
  payout: "compute, check, sign, send and report an epoch's payouts",
  statement: "check a delegator's payout statement",
};

/** The options every command has, shown after each command's own. */
const GLOBAL_OPTIONS = ['network', 'quiet', 'config', 'help', 'version'];

/** A group's blurb names its commands, so that the top-level help shows all of them. */
function groupDescription(group: Group): string {
  const names = COMMANDS.filter((entry) => entry.group === group).map((entry) => entry.usage.split(' ')[0]);
  return `${GROUPS[group]}: ${names.join(', ')}`;
}

function commandOf(entry: CommandEntry, context: CliContext, config: ConfigFile | null) {
  return {
    command: entry.usage,
    describe: entry.describe,
    builder: async (yargs: Argv) => {
      const built = helpGroups((await entry.load()).builder(yargs));
      for (const [command, what] of entry.examples) built.example(command, what);
      return config === null ? built : withConfig(built, config);
    },
    handler: async (args: RawArgs) => (await entry.load()).run(args, context),
  };
}

/**
 * yargs renders a command's whole help as it starts the command, to show it
 * should the command fail (its usage's cacheHelpMessage): 60 ms of a
 * profiled run, string-width's tables included. minapay never shows help on a
 * failure (`fail` throws a one-line error) and renders `--help` afresh, so
 * the rendering is left out. A yargs without that method is left as it is.
 */
function withoutHelpRendering(yargs: Argv): void {
  type Internals = { getInternalMethods?(): { getUsageInstance?(): { cacheHelpMessage?: () => void } } };
  const usage = (yargs as unknown as Internals).getInternalMethods?.().getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

/** The help lists a command's own options first, then the era's, then the ones every command has. */
function helpGroups(yargs: Argv): Argv {
  const names = [...optionNames(yargs)];
  const era = names.filter((name) => ERA_OPTION_NAMES.includes(name));
  const own = names.filter((name) => !era.includes(name) && !GLOBAL_OPTIONS.includes(name));
  yargs.group(own, 'Options:');
  if (era.length > 0) yargs.group(era, 'Era (the figures of the era the epoch is in):');
  return yargs.group(GLOBAL_OPTIONS, 'Global options:');
}

/** Applies the config's values for the command's options (the command line wins); any key no command has is refused. */
async function withConfig(yargs: Argv, config: ConfigFile): Promise<Argv> {
  const own = optionNames(yargs);
  if (Object.keys(config.values).some((key) => !own.has(key))) checkConfigKeys(config, await allOptionNames());
  return yargs.config(configFor(config, own));
}

/** The options a parser has so far. yargs keeps them in getOptions(), which its own completion reads; its types leave it out. */
function optionNames(yargs: Argv): Set<string> {
  return new Set(Object.keys((yargs as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions().key));
}

/** Every option name of every command, each module's builder run on a blank parser. */
async function allOptionNames(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const entry of COMMANDS) {
    for (const name of optionNames(globalOptions((await entry.load()).builder(yargs([]))))) names.add(name);
  }
  return names;
}

function globalOptions(yargs: Argv): Argv {
  return yargs
    .option('network', { choices: ['mainnet', 'devnet'], default: 'mainnet', global: true, describe: 'Mina network' })
    .option('quiet', { type: 'boolean', default: false, global: true, describe: 'no progress or warnings on stderr' })
    .option('config', {
      type: 'string',
      global: true,
      describe: `a JSON file of option names and values for every command (else $${CONFIG_ENV}, else ./${DEFAULT_CONFIG_FILE}); the command line wins`,
    });
}

function buildCli(argv: readonly string[], context: CliContext, config: ConfigFile | null): Argv {
  const cli = globalOptions(yargs([...argv]))
    .scriptName('minapay')
    .usage('$0 <command>\n\nExact, streaming payouts for Mina staking pools.');
  withoutHelpRendering(cli);
  for (const group of Object.keys(GROUPS) as Group[]) {
    cli.command(group, groupDescription(group), (sub) => {
      for (const entry of COMMANDS.filter((candidate) => candidate.group === group)) sub.command(commandOf(entry, context, config));
      return sub.demandCommand(
        1,
        `name a ${group} command: ${COMMANDS.filter((e) => e.group === group)
          .map((e) => e.usage.split(' ')[0])
          .join(', ')}`,
      );
    });
  }
  for (const entry of COMMANDS.filter((candidate) => candidate.group === null)) cli.command(commandOf(entry, context, config));
  return cli
    .demandCommand(1, 'name a command')
    .recommendCommands()
    .strict()
    .exitProcess(false)
    .fail((message, error) => {
      throw commandLineFailure(error ?? new MinapayError('USAGE', message));
    })
    .help()
    .alias('help', 'h')
    .version();
}
