import { createHmac } from 'node:crypto';
import type { StartedHub } from '@commune-hub/hub';
import type { Alert, AlertChannel, DeliveryAttempt } from '@commune-hub/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { metric, startTestHub, TEST_TOKEN } from '../support/hub.ts';
import { startBotApi, startSmtp, startWebhookReceiver, startZnsApi } from '../support/loopback-channels.ts';

/** vi.waitFor with a generous timeout: the machine is shared; nothing here asserts on how long things take. */
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 20 });

// Delivery acceptance: a real hub, real SMTP (STARTTLS) and loopback Telegram / Zalo / ZNS servers.
// Alerts come in over the bus contract (`alert.notify`), as the alerts part publishes them.
// Time is the hub's injected clock: backoff and digests advance with it, nobody sleeps.

const T0 = Date.parse('2026-11-30T07:05:00Z'); // 14:05 in Hà Nội
let now = T0;
const clock = { now: () => now };

function alert(id: string, patch: Partial<Alert> = {}): Alert {
  return {
    id,
    rule: { id: 'builtin.power_cut', name: 'Mất điện thôn' },
    state: 'firing',
    severity: 'critical',
    cause: 'power_cut',
    title: 'Thôn 3: mất điện',
    condition: 'power_cut',
    villageId: 'thon-3',
    village: 'Thôn 3',
    devices: [
      {
        id: 'loa-3-1',
        name: 'Loa cụm 1 thôn 3',
        kind: 'loudspeaker',
        village: 'Thôn 3',
        villageId: 'thon-3',
      },
      {
        id: 'wifi-3-1',
        name: 'Wifi nhà văn hoá thôn 3',
        kind: 'wifi',
        village: 'Thôn 3',
        villageId: 'thon-3',
      },
    ],
    since: new Date(T0).toISOString(),
    firedAt: new Date(T0).toISOString(),
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
    channelIds: [],
    ...patch,
  };
}

describe('alert delivery over real SMTP and loopback Telegram / Zalo', () => {
  let hub: StartedHub;
  let telegram: Awaited<ReturnType<typeof startBotApi>>;
  let zalo: Awaited<ReturnType<typeof startBotApi>>;
  let zns: Awaited<ReturnType<typeof startZnsApi>>;
  let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const acks: Array<{ alertId: string; by: string; note?: string; via: string }> = [];

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${hub.httpUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TEST_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const channel = async (id: string) => (await api('GET', `/api/alerts/channels/${id}`)).body as AlertChannel;
  const attempts = async (channelId: string) =>
    (
      (await api('GET', `/api/alerts/delivery-attempts?channelId=${channelId}&from=0`)).body as {
        attempts: DeliveryAttempt[];
      }
    ).attempts.reverse();
  const notify = (
    a: Alert,
    channelIds: string[],
    kind: 'fired' | 'renotify' | 'escalate' | 'resolved' = 'fired',
  ) =>
    hub.app.events.emit('alert.notify', {
      id: `${a.id}:${kind}:${now}`,
      alert: a,
      kind,
      channelIds,
      at: now,
    });

  beforeAll(async () => {
    [telegram, zalo, zns, webhook] = await Promise.all([
      startBotApi('telegram'),
      startBotApi('zalo'),
      startZnsApi('zns-access-token'),
      startWebhookReceiver(),
    ]);
    smtp = await startSmtp({ user: 'canhbao', pass: 'mat-khau-smtp' });
    hub = await startTestHub(
      { publicUrl: 'https://hub.hoangkim.example', alertsZnsEnabled: true, alertsBotPollMs: 50 },
      { clock },
    );
    // Stands in for the alerts part: a-101 and a-102 exist here only as notified, so apply the ack
    // the way the alerts part answers one (alert.changed → acknowledged).
    hub.app.events.on('alert.ackRequested', (r) => {
      acks.push(r);
      if (r.alertId === 'a-101' || r.alertId === 'a-102') {
        hub.app.events.emit('alert.changed', {
          alert: alert(r.alertId, { state: 'acknowledged', ackBy: r.by, ackNote: r.note ?? null }),
          previous: 'firing',
          at: r.at,
        });
      }
    });
  });

  afterAll(async () => {
    await hub?.close();
    await Promise.all([telegram?.close(), zalo?.close(), zns?.close(), webhook?.close(), smtp?.close()]);
  });

  it('refuses a malformed URL, email or chat id, naming the field, and keeps what exists', async () => {
    const good = await api('POST', '/api/alerts/channels', {
      id: 'hook',
      name: 'Webhook xã',
      kind: 'webhook',
      config: { url: `${webhook.url}/hook`, secret: 'khoa-bi-mat' },
    });
    expect(good.status).toBe(201);
    expect(good.body.config.secret).toBe('***');
    const cases: Array<[unknown, string]> = [
      [{ name: 'x', kind: 'webhook', config: { url: 'not a url' } }, 'config.url'],
      [{ name: 'x', kind: 'webhook', config: { url: 'ftp://x.vn/a' } }, 'config.url'],
      [
        {
          name: 'x',
          kind: 'email',
          config: {
            host: 'mail.x.vn',
            port: 587,
            security: 'starttls',
            from: 'hub@x.vn',
            to: ['ok@x.vn', 'khong-phai-email'],
          },
        },
        'config.to[1]',
      ],
      [
        {
          name: 'x',
          kind: 'email',
          config: { host: 'mail.x.vn', port: 587, security: 'starttls', from: 'hub@', to: ['a@x.vn'] },
        },
        'config.from',
      ],
      [
        {
          name: 'x',
          kind: 'telegram',
          config: { botToken: '123456:ABCdefGHIjklMNO', chatId: 'nhóm thôn 3' },
        },
        'config.chatId',
      ],
      [{ name: 'x', kind: 'telegram', config: { botToken: 'no-colon', chatId: '12345' } }, 'config.botToken'],
      [
        { name: 'x', kind: 'zalo_bot', config: { botToken: '123456:ABCdefGHIjklMNO', chatId: 'a b' } },
        'config.chatId',
      ],
      [
        { name: 'x', kind: 'zalo_zns', config: { accessToken: 't', phone: '0987654321', templateId: '123' } },
        'config.phone',
      ],
    ];
    for (const [body, field] of cases) {
      const res = await api('POST', '/api/alerts/channels', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('HUB_ERR_VALIDATION');
      expect(res.body.message).toContain(field);
    }
    expect(await metric(hub, 'hub_alert_channel_rejected_total', { field: 'config.url' })).toBe(2);
    expect(await metric(hub, 'hub_alert_channel_rejected_total', { field: 'config.chatId' })).toBe(2);
    // A refused update leaves the stored channel exactly as it was (secret included).
    const bad = await api('PUT', '/api/alerts/channels/hook', {
      name: 'Webhook xã',
      kind: 'webhook',
      config: { url: 'x' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('config.url');
    const list = (await api('GET', '/api/alerts/channels')).body.channels as AlertChannel[];
    expect(list.map((c) => c.id)).toEqual(['hook']);
    expect(list[0]!.config.url).toBe(`${webhook.url}/hook`);
    // Writes need the admin token.
    const anon = await fetch(`${hub.httpUrl}/api/alerts/channels`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', kind: 'webhook', config: { url: 'http://127.0.0.1/' } }),
    });
    expect(anon.status).toBe(401);
  });

  it('sets up every kind of channel; the test button reaches the real SMTP server over STARTTLS', async () => {
    const mk = async (body: unknown) => {
      const res = await api('POST', '/api/alerts/channels', body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as AlertChannel;
    };
    await mk({
      id: 'mail',
      name: 'Email cán bộ',
      kind: 'email',
      config: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'starttls',
        username: 'canhbao',
        password: 'mat-khau-smtp',
        from: 'Commune Hub <hub@hoangkim.example>',
        to: ['chu-tich@hoangkim.example', 'cong-chuc-cntt@hoangkim.example'],
        caPem: smtp.cert,
      },
    });
    await mk({
      id: 'tg',
      name: 'Telegram nhóm xã',
      kind: 'telegram',
      config: { botToken: '111111:telegramTOKENabc', chatId: '-100200300', apiBaseUrl: telegram.url },
    });
    await mk({
      id: 'zl',
      name: 'Zalo chủ tịch xã',
      kind: 'zalo_bot',
      config: { botToken: '222222:zaloTOKENabcdef', chatId: 'e4ea2cd5189df1c3a88c', apiBaseUrl: zalo.url },
    });
    await mk({
      id: 'zns',
      name: 'ZNS trưởng thôn',
      kind: 'zalo_zns',
      config: {
        accessToken: 'zns-access-token',
        phone: '84987654321',
        templateId: '245678',
        apiBaseUrl: zns.url,
      },
    });
    // A channel nobody answers: port 9 on loopback refuses connections.
    await mk({
      id: 'dead',
      name: 'Webhook hỏng',
      kind: 'webhook',
      config: { url: 'http://127.0.0.1:9/hook' },
    });

    const test = await api('POST', '/api/alerts/channels/mail/test');
    expect(test.status).toBe(202);
    await eventually(() => expect(smtp.received).toHaveLength(1));
    const mail = smtp.received[0]!;
    expect(mail.secure).toBe(true); // upgraded with STARTTLS before AUTH and DATA
    expect(mail.parsed.subject).toBe('[Thử] Kênh cảnh báo "Email cán bộ" hoạt động');
    expect(mail.raw).toMatch(/^Subject: =\?UTF-8\?/im); // encoded-word header, not raw 8-bit
    expect(mail.parsed.text).toContain('Tin nhắn thử từ Commune Hub');
    await eventually(async () => expect((await channel('mail')).health.lastSuccessAt).not.toBeNull());
  });

  it('delivers one alert to every channel, retries Telegram after a 429 and a 500, and loses nothing', async () => {
    telegram.failNext({ status: 429, retryAfterS: 30 }, { status: 500 });
    zalo.failNext({ status: 500 });
    const a1 = alert('a-101');
    const a2 = alert('a-102', {
      title: 'Wifi nhà văn hoá thôn 5: mất kết nối',
      cause: 'device',
      village: 'Thôn 5',
      villageId: 'thon-5',
      devices: [
        {
          id: 'wifi-5-1',
          name: 'Wifi nhà văn hoá thôn 5',
          kind: 'wifi',
          village: 'Thôn 5',
          villageId: 'thon-5',
        },
      ],
    });
    notify(a1, ['tg', 'zl', 'mail', 'hook', 'zns', 'dead']);
    notify(a2, ['tg', 'zl']);

    // Telegram: the 429 is recorded with its retry_after; nothing else goes to that chat meanwhile.
    await eventually(async () => expect((await attempts('tg')).length).toBe(1));
    const [first] = await attempts('tg');
    expect(first).toMatchObject({ ok: false, status: 429 });
    expect(Date.parse(first!.retryAt!) - T0).toBe(30_000);
    // The others were not held up by Telegram's 429 nor by the dead webhook.
    await eventually(() => expect(smtp.received).toHaveLength(2));
    await eventually(() => expect(webhook.calls).toHaveLength(1));
    await eventually(() => expect(zns.calls).toHaveLength(1));
    await eventually(async () => expect((await attempts('zl')).length).toBe(1)); // its 500
    expect(telegram.sent()).toHaveLength(1);

    now += 29_000; // not yet
    hub.app.alertDelivery.queue.kick();
    await hub.app.alertDelivery.queue.idle();
    expect(telegram.sent()).toHaveLength(1);
    now += 1_000;
    await eventually(async () => expect((await attempts('tg')).length).toBe(2)); // the 500
    now += 60_000;
    await eventually(() => expect(telegram.sent()).toHaveLength(4)); // a1 accepted, then a2
    await eventually(() => expect(zalo.sent()).toHaveLength(3));

    // Exactly once each, in order, after the failures.
    const tgTexts = telegram.sent().map((c) => c.body.text as string);
    expect(tgTexts[2]).toContain('Thôn 3: mất điện');
    expect(tgTexts[3]).toContain('Wifi nhà văn hoá thôn 5');
    expect(tgTexts.filter((t) => t.includes('Thôn 3: mất điện'))).toHaveLength(3); // 429, 500, ok
    const accepted = telegram.sent().slice(2);
    expect(accepted[0]!.body.chat_id).toBe('-100200300');
    expect(accepted[0]!.body.reply_markup).toEqual({
      inline_keyboard: [[{ text: '✅ Đã nhận', callback_data: 'ack:a-101' }]],
    });
    const zlTexts = zalo.sent().map((c) => c.body.text as string);
    expect(zlTexts.slice(1).map((t) => t.split('\n')[0])).toEqual([
      '🔴 Thôn 3: mất điện',
      '🔴 Wifi nhà văn hoá thôn 5: mất kết nối',
    ]);
    const tg = await attempts('tg');
    expect(tg.map((a) => [a.ok, a.status])).toEqual([
      [false, 429],
      [false, 500],
      [true, 200],
      [true, 200],
    ]);
    const tgChannel = await channel('tg');
    expect(tgChannel.health).toMatchObject({ failing: false, queued: 0, consecutiveFailures: 0 });
    expect(tgChannel.config.botToken).toBe('***');

    // The message: what, where, since when (Hà Nội time), devices, link; short for a phone preview.
    const text = tgTexts[2]!;
    expect(text).toContain('Từ 14:05 30/11/2026 · 2 thiết bị');
    expect(text).toContain('Gồm: Loa cụm 1 thôn 3, Wifi nhà văn hoá thôn 3');
    expect(text).toContain('https://hub.hoangkim.example/alerts?alert=a-101');
    expect(zlTexts[2]).toContain('https://hub.hoangkim.example/?device=wifi-5-1');
    expect(text.split('\n')[0]!.length).toBeLessThan(60);

    // Email: Vietnamese subject and body, UTF-8 headers, to both officials.
    const mail = smtp.received[1]!;
    expect(mail.parsed.subject).toBe('[Cảnh báo] Thôn 3: mất điện');
    expect(mail.to).toEqual(['chu-tich@hoangkim.example', 'cong-chuc-cntt@hoangkim.example']);
    expect(mail.parsed.text).toContain('🔴 Thôn 3: mất điện');
    expect(mail.parsed.text).toContain('Từ 14:05 30/11/2026');
    expect(mail.raw).toMatch(/Content-Type: text\/plain; charset=utf-8/i);

    // Webhook: JSON body, HMAC-SHA256 signature over the exact bytes.
    const hook = webhook.calls[0]!;
    expect(hook.headers['x-hub-signature-256']).toBe(
      `sha256=${createHmac('sha256', 'khoa-bi-mat').update(hook.raw).digest('hex')}`,
    );
    expect(JSON.parse(hook.raw)).toMatchObject({
      type: 'alert',
      notify: 'fired',
      cause: 'power_cut',
      alert: { id: 'a-101' },
    });

    // ZNS: the documented request shape, template parameters from the alert.
    expect(zns.calls[0]!.headers.access_token).toBe('zns-access-token');
    expect(zns.calls[0]!.body).toMatchObject({
      phone: '84987654321',
      template_id: '245678',
      template_data: { title: 'Thôn 3: mất điện', place: 'Thôn 3', since: '14:05 30/11/2026' },
    });

    // The dead channel is shown failing with its last error, and is still retrying.
    const dead = await channel('dead');
    expect(dead.health.failing).toBe(true);
    expect(dead.health.lastError).toMatch(/connection failed/);
    expect(dead.health.queued).toBe(1);
  });

  it('acknowledges from a Telegram button and a Zalo reply, only from the configured chat', async () => {
    telegram.pushUpdate({
      callback_query: {
        id: 'cb1',
        from: { id: 42, first_name: 'Lan' },
        data: 'ack:a-101',
        message: { message_id: 102, chat: { id: -100200300 } },
      },
    });
    telegram.pushUpdate({
      callback_query: {
        id: 'cb2',
        from: { id: 66, first_name: 'Lạ' },
        data: 'ack:a-101',
        message: { message_id: 1, chat: { id: 999 } },
      },
    });
    zalo.pushUpdate({
      message: {
        chat: { id: 'e4ea2cd5189df1c3a88c', chat_type: 'PRIVATE' },
        text: 'ok a-102 đang cử người đi sửa',
        message_id: 'x1',
        date: now,
        from: { id: 'e4ea2cd5189df1c3a88c', first_name: 'Nguyễn Văn Hùng' },
      },
    });
    await eventually(() => expect(acks).toHaveLength(2));
    expect(acks).toContainEqual({
      alertId: 'a-101',
      by: 'Lan (Telegram)',
      via: 'telegram',
      at: expect.any(Number),
    });
    expect(acks).toContainEqual({
      alertId: 'a-102',
      by: 'Nguyễn Văn Hùng (Zalo)',
      note: 'đang cử người đi sửa',
      via: 'zalo',
      at: expect.any(Number),
    });
    await eventually(() => expect(telegram.calls.some((c) => c.method === 'answerCallbackQuery')).toBe(true));
    // Zalo has no buttons: the bot confirms in words.
    await eventually(() => expect(zalo.sent().at(-1)?.body.text).toContain('đã nhận cảnh báo a-102'));
    const answer = telegram.calls.find(
      (c) => c.method === 'answerCallbackQuery' && c.body.callback_query_id === 'cb1',
    );
    expect(answer?.body.text).toBe('Đã ghi nhận');
    // An id that is not waiting for anyone gets an honest answer, not "noted".
    zalo.pushUpdate({
      message: {
        chat: { id: 'e4ea2cd5189df1c3a88c', chat_type: 'PRIVATE' },
        text: 'ok a-999',
        message_id: 'x2',
        date: now,
        from: { id: 'u', first_name: 'Hùng' },
      },
    });
    await eventually(() =>
      expect(zalo.sent().at(-1)?.body.text).toContain('Không ghi nhận được: cảnh báo a-999'),
    );
  });

  it('escalates to another channel and tells when it is over, with its duration', async () => {
    const zBefore = zalo.sent().length;
    const tBefore = telegram.sent().length;
    const a = alert('a-150', { title: 'Cổng UBND: mất mạng', cause: 'network_cut' });
    notify(a, ['zl'], 'escalate');
    await eventually(() => expect(zalo.sent()).toHaveLength(zBefore + 1));
    expect(zalo.sent().at(-1)!.body.text).toMatch(/^⏫ Chưa ai nhận: Cổng UBND: mất mạng\n/);
    const resolvedAt = new Date(T0 + 3_900_000).toISOString();
    notify({ ...a, state: 'resolved', resolvedAt, durationS: 3900 }, ['tg'], 'resolved');
    await eventually(() => expect(telegram.sent()).toHaveLength(tBefore + 1));
    const text = telegram.sent().at(-1)!.body.text as string;
    expect(text.split('\n')[0]).toBe('✅ Đã hết: Cổng UBND: mất mạng');
    expect(text).toContain('Từ 14:05 30/11/2026, kéo dài 1 giờ 5 phút');
    expect(text).not.toContain('Trả lời');
    expect(telegram.sent().at(-1)!.body.reply_markup).toBeUndefined(); // nothing left to acknowledge
  });

  it('drops queued reminders once the alert is acknowledged, and gathers a digest into one message', async () => {
    // Hold Telegram with a 429 so a reminder is still queued when the ack arrives.
    telegram.failNext({ status: 429, retryAfterS: 600 });
    const before = telegram.sent().length;
    notify(alert('a-103', { title: 'Camera cổng UBND: mất kết nối' }), ['tg']);
    notify(alert('a-103', { title: 'Camera cổng UBND: mất kết nối' }), ['tg'], 'renotify');
    await eventually(() => expect(telegram.sent()).toHaveLength(before + 1));
    await hub.app.alertDelivery.queue.idle(); // the 429 recorded before the clock moves
    hub.app.events.emit('alert.changed', {
      alert: alert('a-103', { state: 'acknowledged', ackBy: 'Lan' }),
      previous: 'firing',
      at: now,
    });
    now += 600_000;
    await eventually(() => expect(telegram.sent()).toHaveLength(before + 2));
    now += 600_000;
    hub.app.alertDelivery.queue.kick();
    await hub.app.alertDelivery.queue.idle();
    expect(telegram.sent()).toHaveLength(before + 2); // the renotify was cancelled, not sent
    const deliveries = (await api('GET', '/api/alerts/deliveries?channelId=tg&from=0')).body
      .deliveries as Array<{ reason: string; state: string }>;
    expect(deliveries.find((d) => d.reason === 'renotify')?.state).toBe('cancelled');

    // Digest: three notifications in 5 minutes become one message.
    const res = await api('POST', '/api/alerts/channels', {
      id: 'digest',
      name: 'Zalo tổng hợp',
      kind: 'zalo_bot',
      digestMinutes: 5,
      config: { botToken: '333333:zaloDIGESTtoken', chatId: 'ab12cd34ef', apiBaseUrl: zalo.url },
    });
    expect(res.status).toBe(201);
    const zBefore = zalo.sent().length;
    notify(alert('a-201', { title: 'Thôn 1: mất điện' }), ['digest']);
    now += 60_000;
    notify(alert('a-202', { title: 'Thôn 2: mất mạng', cause: 'network_cut' }), ['digest']);
    notify(
      alert('a-201', { title: 'Thôn 1: mất điện', state: 'resolved', durationS: 3600 }),
      ['digest'],
      'resolved',
    );
    hub.app.alertDelivery.queue.kick();
    await hub.app.alertDelivery.queue.idle();
    expect(zalo.sent()).toHaveLength(zBefore);
    now += 4 * 60_000;
    await eventually(() => expect(zalo.sent()).toHaveLength(zBefore + 1));
    const digest = zalo.sent().at(-1)!.body.text as string;
    expect(digest.split('\n')[0]).toBe('📋 2 cảnh báo trong 5 phút: 1 đang có, 1 đã hết');
    expect(digest).toContain('🔴 Thôn 2: mất mạng');
    expect(digest).toContain('✅ Thôn 1: mất điện');
  });
});
