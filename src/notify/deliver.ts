import { setTimeout as sleep } from 'node:timers/promises';

import type { PostOutcome } from '../io/http-post.js';
import { describeTarget, type Notification, notificationBody, type NotifyTarget } from './notification.js';

/** How hard a notification is tried: a few attempts, a short wait between them, a bound on each. */
export interface DeliveryPolicy {
  readonly attempts: number;
  readonly retryDelayMs: number;
  readonly timeoutMs: number;
}

export const DEFAULT_DELIVERY: DeliveryPolicy = { attempts: 3, retryDelayMs: 500, timeoutMs: 5_000 };

export interface Delivery {
  readonly event: Notification['event'];
  readonly epoch: number | null;
  /** The target as describeTarget names it: no token. */
  readonly target: string;
  readonly delivered: boolean;
  readonly attempts: number;
  /** The last HTTP status or connection error, when not delivered. */
  readonly problem: string | null;
}

/**
 * Posts a notification, trying again after a connection error, a 429 or a
 * 5xx (waiting longer each time); another 4xx will not change by trying.
 * Resolves to what came of it, never rejects: a notification never fails
 * a payout.
 */
export async function deliver(
  target: NotifyTarget,
  notification: Notification,
  post: (url: URL, body: unknown, timeoutMs: number) => Promise<PostOutcome>,
  policy: DeliveryPolicy = DEFAULT_DELIVERY,
): Promise<Delivery> {
  const body = notificationBody(target, notification);
  let problem = 'not tried';
  for (let attempt = 1; attempt <= policy.attempts; attempt += 1) {
    const outcome = await post(target.url, body, policy.timeoutMs);
    const status = 'status' in outcome ? outcome.status : null;
    if (status !== null && status >= 200 && status < 300) return delivery(target, notification, true, attempt, null);
    problem = status === null ? (outcome as { error: string }).error : `HTTP ${status}`;
    const worthRetrying = status === null || status === 429 || status >= 500;
    if (!worthRetrying || attempt === policy.attempts) return delivery(target, notification, false, attempt, problem);
    await sleep(policy.retryDelayMs * attempt);
  }
  return delivery(target, notification, false, policy.attempts, problem);
}

function delivery(target: NotifyTarget, notification: Notification, delivered: boolean, attempts: number, problem: string | null): Delivery {
  return { event: notification.event, epoch: notification.epoch, target: describeTarget(target), delivered, attempts, problem };
}
