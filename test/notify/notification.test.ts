import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';

import { postJson } from '../../src/io/http-post.js';
import { deliver } from '../../src/notify/deliver.js';
import { describeTarget, formatOfUrl, type Notification, notificationBody, notifyTarget } from '../../src/notify/notification.js';

/**
 * Notification shapes for Discord and Slack incoming webhooks, Telegram's
 * sendMessage and generic JSON, chosen by host or forced; delivery to a
 * local HTTP receiver with retries; and no token in anything printed.
 */
const NOTE: Notification = {
  event: 'needs-attention',
  network: 'mainnet',
  pool: 'B62qpool',
  epoch: 42,
  text: 'minapay: mainnet pool B62qpool epoch 42: needs attention: 1 void',
  details: { void: 1 },
};
const FAST = { attempts: 3, retryDelayMs: 1, timeoutMs: 2_000 };

/** A local receiver answering each POST with the next status of `statuses` (then 200), recording what it got. */
async function receiver(t: TestContext, statuses: number[] = []) {
  const got: { path: string; body: unknown }[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      got.push({ path: request.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      response.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { got, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('notifications', () => {
  it("takes each service's shape from the URL's host: Discord and Slack webhooks, Telegram's sendMessage, generic JSON otherwise", () => {
    const shape = (url: string) => notificationBody(notifyTarget(url, undefined, 'test'), NOTE);
    assert.equal(formatOfUrl(new URL('https://discord.com/api/webhooks/1/abc')), 'discord');
    assert.equal(formatOfUrl(new URL('https://discordapp.com/api/webhooks/1/abc')), 'discord');
    assert.equal(formatOfUrl(new URL('https://hooks.slack.com/services/T/B/x')), 'slack');
    assert.equal(formatOfUrl(new URL('https://api.telegram.org/bot123:abc/sendMessage?chat_id=-100')), 'telegram');
    assert.deepEqual(shape('https://discord.com/api/webhooks/1/abc'), { content: NOTE.text });
    assert.deepEqual(shape('https://hooks.slack.com/services/T/B/x'), { text: NOTE.text });
    assert.deepEqual(shape('https://api.telegram.org/bot123:abc/sendMessage?chat_id=-100'), { chat_id: '-100', text: NOTE.text });
    assert.deepEqual(shape('https://ops.example/hook'), {
      source: 'minapay',
      event: 'needs-attention',
      network: 'mainnet',
      pool: 'B62qpool',
      epoch: 42,
      text: NOTE.text,
      details: { void: 1 },
    });
    const long = { ...NOTE, text: 'x'.repeat(2500) };
    assert.equal((notificationBody(notifyTarget('https://discord.com/api/webhooks/1/a', undefined, 't'), long)['content'] as string).length, 2000);
  });

  it('names a target by format, scheme and host only, and refuses a Telegram URL without its chat or a URL that is not http(s), quoting neither', () => {
    const target = notifyTarget('https://api.telegram.org/bot123:SECRET/sendMessage?chat_id=7', undefined, '--notify #1');
    assert.equal(describeTarget(target), 'telegram https://api.telegram.org');
    assert.throws(
      () => notifyTarget('https://api.telegram.org/bot123:SECRET/sendMessage', undefined, '--notify #1'),
      (error: Error) => /needs \?chat_id=/.test(error.message) && !error.message.includes('SECRET'),
    );
    assert.throws(
      () => notifyTarget('ftp://host/SECRET', undefined, '$HOOK'),
      (error: Error) => /must be an http\(s\) URL/.test(error.message) && !error.message.includes('SECRET'),
    );
    assert.throws(
      () => notifyTarget('not a url SECRET', undefined, '$HOOK'),
      (error: Error) => error.message === '$HOOK is not a URL',
    );
  });

  it('delivers each forced shape to a local receiver, trying again after a 5xx or a 429 but not after another 4xx', async (t) => {
    const { got, base } = await receiver(t, [503, 429]);
    const slack = await deliver(notifyTarget(`${base}/slack/T0K3N`, 'slack', 't'), NOTE, postJson, FAST);
    assert.deepEqual([slack.delivered, slack.attempts, slack.target], [true, 3, `slack ${base}`]);
    assert.deepEqual(
      got.map((entry) => entry.body),
      [{ text: NOTE.text }, { text: NOTE.text }, { text: NOTE.text }],
    );
    const telegram = await deliver(notifyTarget(`${base}/bot1:T0K3N/sendMessage?chat_id=5`, 'telegram', 't'), NOTE, postJson, FAST);
    assert.equal(telegram.delivered, true);
    assert.deepEqual(got.at(-1), { path: '/bot1:T0K3N/sendMessage?chat_id=5', body: { chat_id: '5', text: NOTE.text } });
    const rejecting = await receiver(t, [403]);
    const refused = await deliver(notifyTarget(`${rejecting.base}/x`, 'discord', 't'), NOTE, postJson, FAST);
    assert.deepEqual([refused.delivered, refused.attempts, refused.problem], [false, 1, 'HTTP 403']);
  });

  it('a receiver that is down fails after the attempts allowed, without throwing, naming the connection error only', async () => {
    // A port that was just free: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const outcome = await deliver(notifyTarget(`http://127.0.0.1:${port}/hook/T0K3N`, undefined, 't'), NOTE, postJson, FAST);
    assert.deepEqual([outcome.delivered, outcome.attempts, outcome.problem], [false, 3, 'ECONNREFUSED']);
    assert.ok(!JSON.stringify(outcome).includes('T0K3N'));
  });
});
