import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Alert, DeliveryAttempt } from '@commune-hub/protocol';
import { afterAll, expect, it, vi } from 'vitest';
import { authHeaders, startTestHub, TEST_TOKEN } from '../support/hub.ts';
import { startBotApi } from '../support/loopback-channels.ts';

/** vi.waitFor with a generous timeout: the machine is shared; nothing here asserts on how long things take. */
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 20 });

// A message that could not be sent before the hub stopped goes out after it starts again: the queue is
// on disk (SQLite), not in memory. Time is the injected clock.
let now = Date.parse('2026-11-30T07:05:00Z');
const clock = { now: () => now };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-delivery-restart-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const alert = {
  id: 'a-900',
  rule: { id: 'r', name: 'Camera mất kết nối' },
  state: 'firing',
  severity: 'warning',
  cause: 'device',
  title: 'Camera chợ thôn 2: mất kết nối',
  condition: 'offline_for',
  villageId: 'thon-2',
  village: 'Thôn 2',
  devices: [
    { id: 'cam-2-1', name: 'Camera chợ thôn 2', kind: 'camera', village: 'Thôn 2', villageId: 'thon-2' },
  ],
  since: new Date(now).toISOString(),
  firedAt: new Date(now).toISOString(),
  ackBy: null,
  ackNote: null,
  ackAt: null,
  resolvedAt: null,
  durationS: null,
  notifyCount: 1,
  escalated: false,
  silenced: false,
  silencedBy: null,
  deferredUntil: null,
  channelIds: ['tg'],
} satisfies Alert;

it('keeps a message that failed before a restart and sends it once afterwards', async () => {
  const telegram = await startBotApi('telegram');
  try {
    telegram.failNext({ status: 500 }, { status: 502 });
    const first = await startTestHub({ dataDir, alertsBotPollMs: 0 }, { clock });
    const res = await fetch(`${first.httpUrl}/api/alerts/channels`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
      body: JSON.stringify({
        id: 'tg',
        name: 'Telegram xã',
        kind: 'telegram',
        config: { botToken: '111111:telegramTOKENabc', chatId: '-1001', apiBaseUrl: telegram.url },
      }),
    });
    expect(res.status).toBe(201);
    first.app.events.emit('alert.notify', { id: 'n1', alert, kind: 'fired', channelIds: ['tg'], at: now });
    await eventually(() => expect(telegram.sent()).toHaveLength(1)); // the 500
    await first.app.alertDelivery.queue.idle();
    await first.close();

    const second = await startTestHub({ dataDir, alertsBotPollMs: 0 }, { clock });
    try {
      now += 10_000; // the first backoff
      await eventually(() => expect(telegram.sent()).toHaveLength(2)); // the 502
      await second.app.alertDelivery.queue.idle(); // its outcome recorded at this clock time
      now += 20_000;
      await eventually(() => expect(telegram.sent()).toHaveLength(3));
      now += 3_600_000;
      second.app.alertDelivery.queue.kick();
      await second.app.alertDelivery.queue.idle();
      expect(telegram.sent()).toHaveLength(3); // sent once, not again
      const attempts = (
        (await (
          await fetch(`${second.httpUrl}/api/alerts/delivery-attempts?channelId=tg&from=0`, {
            headers: authHeaders(second),
          })
        ).json()) as {
          attempts: DeliveryAttempt[];
        }
      ).attempts.reverse();
      expect(attempts.map((a) => [a.ok, a.status])).toEqual([
        [false, 500],
        [false, 502],
        [true, 200],
      ]);
    } finally {
      await second.close();
    }
  } finally {
    await telegram.close();
  }
});
