import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Argv } from 'yargs';

import { MinapayError } from '../errors.js';
import { postJson } from '../io/http-post.js';
import { type Delivery, deliver } from '../notify/deliver.js';
import { NOTIFY_FORMATS, type Notification, type NotifyFormat, notifyTarget, type NotifyTarget } from '../notify/notification.js';
import type { CliContext } from './context.js';
import type { RawArgs } from './options.js';

/** --notify and --notify-format, as `payout run` takes them (or `notify` in the config file). */
export function notifyOptions(yargs: Argv): Argv {
  return yargs
    .option('notify', {
      type: 'string',
      array: true,
      describe: 'POST a JSON notification of each event to this URL (repeatable); env:NAME reads the URL from $NAME, keeping its token out of argv',
    })
    .option('notify-format', { choices: NOTIFY_FORMATS, describe: 'the shape of every notification (default: by host; discord, slack, telegram, else json)' });
}

/**
 * Sends notifications without ever holding up or failing the payout: each
 * is posted in the background as it happens, and `settle` waits for them
 * all (a few attempts each, each bounded), warns on stderr about the ones
 * that failed, and appends every outcome to the journal's notification log.
 * A needs-attention or failed-run notification whose words were delivered
 * before is not sent again: cron runs every few minutes.
 */
export interface Notifier {
  notify(notification: Notification): void;
  settle(): Promise<readonly Delivery[]>;
}

type Logged = Delivery & { readonly key: string };

export async function notifier(args: RawArgs, context: CliContext, logPath: string): Promise<Notifier> {
  const targets = notifyTargets(args, context);
  const delivered = targets.length === 0 ? new Set<string>() : await deliveredBefore(logPath);
  const pending: Promise<Logged>[] = [];
  return {
    notify(notification) {
      const once = notification.event === 'needs-attention' || notification.event === 'failed-run';
      if (once && delivered.has(repeatKey(notification))) return;
      for (const target of targets) pending.push(deliver(target, notification, postJson).then((outcome) => ({ ...outcome, key: repeatKey(notification) })));
    },
    async settle() {
      const outcomes = await Promise.all(pending);
      for (const outcome of outcomes.filter((o) => !o.delivered)) {
        const failed = `the ${outcome.event} notification to ${outcome.target} failed after ${outcome.attempts} attempt(s) (${outcome.problem})`;
        context.stderr.write(`minapay: warning: ${failed}; the payout is not affected\n`);
      }
      await logDeliveries(logPath, outcomes);
      return outcomes;
    },
  };
}

const ENV_PREFIX = 'env:';

function notifyTargets(args: RawArgs, context: CliContext): NotifyTarget[] {
  const given = args['notify'] === undefined ? [] : Array.isArray(args['notify']) ? (args['notify'] as unknown[]) : [args['notify']];
  const format = args['notify-format'] as NotifyFormat | undefined;
  return given.map((value, index) => {
    const text = String(value);
    if (!text.startsWith(ENV_PREFIX)) return notifyTarget(text, format, `--notify #${index + 1}`);
    const name = text.slice(ENV_PREFIX.length);
    const url = context.env[name];
    if (url === undefined || url === '') throw new MinapayError('USAGE', `--notify ${text}: $${name} is not set`);
    return notifyTarget(url, format, `$${name}`);
  });
}

/** What makes two notifications the same words about the same epoch. */
function repeatKey(notification: Notification): string {
  return `${notification.event}\u0000${notification.epoch ?? ''}\u0000${notification.text}`;
}

/** The notifications the log shows delivered, by repeatKey; a missing or damaged log is none. */
async function deliveredBefore(logPath: string): Promise<Set<string>> {
  const text = await readFile(logPath, 'utf8').catch(() => '');
  const keys = new Set<string>();
  for (const line of text.split('\n')) {
    try {
      const record = JSON.parse(line) as { delivered?: unknown; key?: unknown };
      if (record.delivered === true && typeof record.key === 'string') keys.add(record.key);
    } catch {}
  }
  return keys;
}

/** Appends each outcome (never a URL: targets are named by host) to the log; a log that cannot be written is only a warning. */
async function logDeliveries(logPath: string, outcomes: readonly Logged[]): Promise<void> {
  if (outcomes.length === 0) return;
  const at = new Date().toISOString();
  const lines = outcomes.map((outcome) => `${JSON.stringify({ at, ...outcome })}\n`).join('');
  await mkdir(dirname(logPath), { recursive: true })
    .then(() => appendFile(logPath, lines))
    .catch(() => undefined);
}
