import { MinapayError } from '../errors.js';

/**
 * Notifications of `payout run`: one JSON POST per event and target, in the
 * shape the target's service takes. Discord and Slack incoming webhooks and
 * the Telegram Bot API's sendMessage hold their token in the URL, so a URL
 * is never printed or logged whole: only its scheme and host
 * (`describeTarget`).
 */
export type NotifyEvent = 'planned' | 'sent' | 'final' | 'needs-attention' | 'failed-run';

export type NotifyFormat = 'discord' | 'slack' | 'telegram' | 'json';

export const NOTIFY_FORMATS: readonly NotifyFormat[] = ['discord', 'slack', 'telegram', 'json'];

export interface Notification {
  readonly event: NotifyEvent;
  readonly network: string;
  readonly pool: string | null;
  readonly epoch: number | null;
  /** One line for a person: what happened and what to do. */
  readonly text: string;
  /** Figures for machines (generic JSON only): counts, amounts as nanomina strings. */
  readonly details: Readonly<Record<string, string | number | null>>;
}

export interface NotifyTarget {
  readonly url: URL;
  readonly format: NotifyFormat;
}

/** Discord refuses a message content over 2000 characters. */
const DISCORD_MAX = 2000;

/** The service a URL belongs to, by its host; anything else gets the generic JSON. */
export function formatOfUrl(url: URL): NotifyFormat {
  const host = url.hostname.toLowerCase();
  if (host === 'discord.com' || host === 'discordapp.com' || host.endsWith('.discord.com')) return 'discord';
  if (host === 'hooks.slack.com') return 'slack';
  if (host === 'api.telegram.org') return 'telegram';
  return 'json';
}

/** A notification target from a URL, its format forced or found by host; a Telegram target must name its chat. */
export function notifyTarget(text: string, forced: NotifyFormat | undefined, where: string): NotifyTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The text may hold a token: it is not quoted.
    throw new MinapayError('USAGE', `${where} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new MinapayError('USAGE', `${where} must be an http(s) URL, not ${url.protocol}`);
  const format = forced ?? formatOfUrl(url);
  if (format === 'telegram' && !url.searchParams.has('chat_id'))
    throw new MinapayError('USAGE', `${where}: a Telegram sendMessage URL needs ?chat_id=<chat> (${describeTarget({ url, format })})`);
  return { url, format };
}

/** What a log or message may say of a target: its format, scheme and host, never its path or query (tokens live there). */
export function describeTarget(target: NotifyTarget): string {
  return `${target.format} ${target.url.protocol}//${target.url.host}`;
}

/** The JSON body a target's service takes for a notification. */
export function notificationBody(target: NotifyTarget, notification: Notification): Record<string, unknown> {
  switch (target.format) {
    case 'discord':
      return { content: notification.text.slice(0, DISCORD_MAX) };
    case 'slack':
      return { text: notification.text };
    case 'telegram':
      return { chat_id: target.url.searchParams.get('chat_id'), text: notification.text };
    case 'json':
      return {
        source: 'minapay',
        event: notification.event,
        network: notification.network,
        pool: notification.pool,
        epoch: notification.epoch,
        text: notification.text,
        details: notification.details,
      };
  }
}
