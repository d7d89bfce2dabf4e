import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StartedHub } from '@commune-hub/hub';
import {
  type Alert,
  type AlertsChanged,
  deviceTopic,
  type Heartbeat,
  STATUS_OFFLINE,
  STATUS_ONLINE,
} from '@commune-hub/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import { type Browser, chromium, type Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authHeaders, getDevice, provision, signIn, startTestHub, TEST_TOKEN } from '../support/hub.ts';
import { startBotApi } from '../support/loopback-channels.ts';

// The alert as an official meets it: a real hub (MQTT, rules, delivery), the built dashboard in a real
// Chromium, a loopback Telegram. A wifi point drops, the rule's hold time passes on the injected clock,
// the banner appears live; acknowledging it in the dashboard stops the re-notifications.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webDir = path.join(root, 'web/dist');
const SHOTS = path.join(root, '.test-results', 'alerts');

/** Generous: the machine is shared; nothing here asserts on how long things take. */
const WAIT = { timeout: 15_000, interval: 20 };

let now = Date.now();
const clock = { now: () => now };

describe('alerts in the dashboard (Chromium)', () => {
  let hub: StartedHub;
  let telegram: Awaited<ReturnType<typeof startBotApi>>;
  let browser: Browser;
  let page: Page;
  let client: MqttClient;
  const changes: Alert[] = [];

  const admin = async (method: string, url: string, body: unknown) => {
    const res = await fetch(`${hub.httpUrl}${url}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return res.json();
  };
  /** Moves the hub's clock and lets the alert engine and the delivery queue see it. */
  const advance = async (ms: number) => {
    now += ms;
    hub.app.alerts.tick();
    hub.app.alertDelivery.queue.kick();
    await hub.app.alertDelivery.queue.idle();
  };

  beforeAll(async () => {
    if (!fs.existsSync(path.join(webDir, 'index.html'))) {
      execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    }
    fs.mkdirSync(SHOTS, { recursive: true });
    telegram = await startBotApi('telegram');
    hub = await startTestHub(
      { webDir, publicUrl: 'https://hub.hoangkim.example', alertsBotPollMs: 100 },
      { clock },
    );
    hub.app.events.on('alert.changed', ({ alert }) => changes.push(alert));
    await admin('POST', '/api/alerts/channels', {
      id: 'tg',
      name: 'Telegram cán bộ xã',
      kind: 'telegram',
      config: { botToken: '111111:telegramTOKENabc', chatId: '-100200300', apiBaseUrl: telegram.url },
    });
    await admin('POST', '/api/alerts/rules', {
      id: 'wifi-offline',
      name: 'Wifi mất kết nối',
      scope: { kinds: ['wifi'] },
      condition: { kind: 'offline_for', forMin: 2 },
      notify: { channelIds: ['tg'], renotifyEveryMin: 10, renotifyMax: 5 },
    });
    const { secret } = await provision(hub, {
      id: 'wifi-5-1',
      kind: 'wifi',
      name: 'Wifi nhà văn hoá thôn 5',
      village: 'Thôn 5',
      intervalS: 600,
    });
    client = await mqtt.connectAsync(hub.mqttUrl, {
      clientId: 'wifi-5-1',
      username: 'wifi-5-1',
      password: secret,
      reconnectPeriod: 0,
      will: {
        topic: deviceTopic('wifi-5-1', 'status'),
        payload: Buffer.from(STATUS_OFFLINE),
        qos: 1,
        retain: true,
      },
    });
    await client.publishAsync(deviceTopic('wifi-5-1', 'status'), STATUS_ONLINE, { qos: 1, retain: true });
    const hb: Heartbeat = { v: 1, ts: now, seq: 1, up: 60, st: 'ok', m: { clients: 3 } };
    await client.publishAsync(deviceTopic('wifi-5-1', 'hb'), JSON.stringify(hb), { qos: 1 });
    await vi.waitFor(async () => expect((await getDevice(hub, 'wifi-5-1')).status).toBe('online'), {
      ...WAIT,
    });

    browser = await chromium.launch({
      executablePath: execSync('which chromium').toString().trim(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    await signIn(page.context(), hub);
    await page.goto(hub.httpUrl);
    await page.waitForSelector('[data-testid="connection"][data-state="live"]');
  });

  afterAll(async () => {
    await browser?.close();
    await client?.endAsync(true).catch(() => {});
    await hub?.close();
    await telegram?.close();
  });

  it('shows the banner live once the wifi point has been down for the rule’s 2 minutes, not before', async () => {
    // Drop the connection without DISCONNECT: the broker publishes the last will.
    client.stream.destroy();
    await expect.poll(async () => (await getDevice(hub, 'wifi-5-1')).status, WAIT).toBe('offline');
    await advance(60_000);
    expect(changes.filter((a) => a.state === 'firing')).toHaveLength(0);
    expect(await page.locator('[data-testid="alert-banner"]').count()).toBe(0);
    expect(telegram.sent()).toHaveLength(0);

    await advance(61_000);
    await expect.poll(() => changes.some((a) => a.state === 'firing'), WAIT).toBe(true);
    // Pushed over socket.io, no reload: the banner names the device and its village.
    await page.waitForSelector('[data-testid="alert-banner"][data-count="1"]', WAIT);
    expect(await page.locator('[data-testid="alert-banner"]').textContent()).toContain('1 cảnh báo đang có');
    await expect.poll(() => telegram.sent().length, WAIT).toBe(1);
    const text = telegram.sent()[0]!.body.text as string;
    expect(text).toContain('https://hub.hoangkim.example/?device=wifi-5-1');
    await page.screenshot({ path: path.join(SHOTS, 'banner-390.png') });
  });

  it('re-notifies while nobody acknowledges, and stops once acknowledged from the dashboard', async () => {
    await advance(10 * 60_000 + 1_000);
    await expect.poll(() => telegram.sent().length, WAIT).toBe(2);
    expect(telegram.sent()[1]!.body.text).toMatch(/^🔁 Nhắc lại:/);

    await page.click('[data-testid="alert-banner-open"]');
    await page.waitForSelector('[data-testid="alerts-page"]');
    expect(new URL(page.url()).pathname).toBe('/alerts');
    expect(new URL(page.url()).searchParams.get('state')).toBe('firing');
    const id = changes.find((a) => a.state === 'firing')!.id;
    await page.click(`[data-testid="ack-${id}"]`);
    await page.fill('[data-testid="ack-by"]', 'Nguyễn Thị Lan');
    await page.fill('[data-testid="ack-note"]', 'Đã gọi nhà mạng');
    await page.screenshot({ path: path.join(SHOTS, 'ack-390.png'), fullPage: true });
    await page.click('[data-testid="ack-submit"]');
    await page.waitForSelector('[data-testid="alert-banner"]', { state: 'detached', timeout: 15_000 });
    await expect.poll(() => changes.at(-1)?.state, WAIT).toBe('acknowledged');
    expect(changes.at(-1)).toMatchObject({ ackBy: 'Nguyễn Thị Lan', ackNote: 'Đã gọi nhà mạng' });

    // Well past several re-notify intervals: Telegram hears nothing more.
    for (let i = 0; i < 4; i++) await advance(10 * 60_000 + 1_000);
    expect(telegram.sent()).toHaveLength(2);

    // The history shows who took it, with the note, in Vietnamese.
    await page.selectOption('[data-testid="filter-state"]', 'acknowledged');
    const item = page.locator(`[data-testid="alert-${id}"]`);
    await item.waitFor();
    expect(await item.getAttribute('data-state')).toBe('acknowledged');
    expect(await item.textContent()).toContain('Nguyễn Thị Lan — “Đã gọi nhà mạng”');
    expect(new URL(page.url()).searchParams.get('state')).toBe('acknowledged');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SHOTS, 'history-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, 'history-1366.png'), fullPage: true });
  });

  it('shows a failing channel with its last error, next to a working one', async () => {
    await admin('POST', '/api/alerts/channels', {
      id: 'dead',
      name: 'Webhook hỏng',
      kind: 'webhook',
      config: { url: 'http://127.0.0.1:9/hook' },
    });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.click('[data-testid="tab-channels"]');
    await page.click('[data-testid="channel-test-dead"]');
    await page.click('[data-testid="channel-test-tg"]');
    const failing = page.locator('[data-testid="channel-dead"] [data-testid="channel-failing"]');
    await failing.waitFor(WAIT);
    expect(await failing.textContent()).toContain('connection failed');
    await page.locator('[data-testid="channel-tg"] .channel-ok').waitFor();
    expect(await page.locator('[data-testid="channel-tg"]').getAttribute('data-failing')).toBe('false');
    // Adding a channel on a phone: a malformed chat id is refused naming the field, then corrected.
    await page.click('[data-testid="channel-add"]');
    await page.fill('[data-testid="channel-name"]', 'Zalo chủ tịch xã');
    await page.selectOption('[data-testid="channel-kind"]', 'zalo_bot');
    await page.fill('[data-testid="channel-botToken"]', '222222:zaloTOKENabcdef');
    await page.fill('[data-testid="channel-chatId"]', 'chủ tịch');
    await page.fill('[data-testid="channel-apiBaseUrl"]', telegram.url);
    await page.click('[data-testid="channel-save"]');
    const error = page.locator('[data-testid="channel-form"] [data-testid="form-error"]');
    await error.waitFor();
    expect(await error.textContent()).toContain('config.chatId');
    await page.fill('[data-testid="channel-chatId"]', 'e4ea2cd5189df1c3a88c');
    await page.click('[data-testid="channel-save"]');
    await page.locator('[data-testid="channel-form"]').waitFor({ state: 'detached' });
    await page.locator('[data-testid="channel-zalo-chu-tich-xa"]').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'channels-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, 'channels-1366.png'), fullPage: true });
  });

  it('acknowledges from the Telegram button: the alerts part applies it and the banner goes', async () => {
    await page.goto(hub.httpUrl);
    await page.waitForSelector('[data-testid="connection"][data-state="live"]');
    const { secret } = await provision(hub, {
      id: 'wifi-5-2',
      kind: 'wifi',
      name: 'Wifi chợ thôn 5',
      village: 'Thôn 5',
      intervalS: 600,
    });
    const second = await mqtt.connectAsync(hub.mqttUrl, {
      clientId: 'wifi-5-2',
      username: 'wifi-5-2',
      password: secret,
      reconnectPeriod: 0,
      will: {
        topic: deviceTopic('wifi-5-2', 'status'),
        payload: Buffer.from(STATUS_OFFLINE),
        qos: 1,
        retain: true,
      },
    });
    await second.publishAsync(deviceTopic('wifi-5-2', 'status'), STATUS_ONLINE, { qos: 1, retain: true });
    const hb: Heartbeat = { v: 1, ts: now, seq: 1, up: 60, st: 'ok', m: { clients: 1 } };
    await second.publishAsync(deviceTopic('wifi-5-2', 'hb'), JSON.stringify(hb), { qos: 1 });
    await vi.waitFor(async () => expect((await getDevice(hub, 'wifi-5-2')).status).toBe('online'), {
      ...WAIT,
    });
    second.stream.destroy();
    await vi.waitFor(async () => expect((await getDevice(hub, 'wifi-5-2')).status).toBe('offline'), {
      ...WAIT,
    });
    const before = telegram.sent().length;
    await advance(2 * 60_000 + 1_000);
    await page.waitForSelector('[data-testid="alert-banner"][data-count="1"]', WAIT);
    await expect.poll(() => telegram.sent().length, WAIT).toBe(before + 1);
    const button = (
      telegram.sent().at(-1)!.body.reply_markup as { inline_keyboard: { callback_data: string }[][] }
    ).inline_keyboard[0]![0]!;
    const alertId = button.callback_data.replace(/^ack:/, '');
    telegram.pushUpdate({
      callback_query: {
        id: 'cb-real',
        from: { id: 7, first_name: 'Trần Văn Nam' },
        data: button.callback_data,
        message: { message_id: 1, chat: { id: -100200300 } },
      },
    });
    await page.waitForSelector('[data-testid="alert-banner"]', { state: 'detached', timeout: 15_000 });
    const acked = changes.filter((a) => a.id === alertId).at(-1)!;
    expect(acked).toMatchObject({ state: 'acknowledged', ackBy: 'Trần Văn Nam (Telegram)' });
    await expect
      .poll(() => telegram.calls.find((c) => c.body.callback_query_id === 'cb-real')?.body.text, WAIT)
      .toBe('Đã ghi nhận');
    for (let i = 0; i < 3; i++) await advance(10 * 60_000 + 1_000);
    expect(telegram.sent()).toHaveLength(before + 1);
  });

  it('mutes a village for a few hours from the alert, with who and why', async () => {
    await page.goto(`${hub.httpUrl}/alerts?state=acknowledged`);
    const id = changes.filter((a) => a.state === 'acknowledged').at(-1)!.id;
    await page.click(`[data-testid="mute-${id}"]`);
    const form = page.locator(`[data-testid="mute-form-${id}"]`);
    await form.locator('select').first().selectOption('village');
    await form.locator('select').nth(1).selectOption('8');
    await form.locator('input').first().fill('Nguyễn Thị Lan');
    await form.locator('input').nth(1).fill('Điện lực cắt điện theo lịch');
    await form.locator('button[type="submit"]').click();
    await form.waitFor({ state: 'detached' });
    const mutes = (await (
      await fetch(`${hub.httpUrl}/api/alerts/mutes`, { headers: authHeaders(hub) })
    ).json()) as Array<Record<string, unknown>>;
    expect(mutes).toHaveLength(1);
    expect(mutes[0]).toMatchObject({
      villageId: 'thon-5',
      deviceId: null,
      by: 'Nguyễn Thị Lan',
      reason: 'Điện lực cắt điện theo lịch',
    });
    expect(Date.parse(mutes[0]!.until as string) - Date.parse(mutes[0]!.from as string)).toBe(8 * 3_600_000);
  });

  it('drops a pending alert from the page once it is discarded (the device came back in time)', async () => {
    // What every dashboard hears over socket.io: the discarded flag must travel with the alert.
    const socket = io(hub.httpUrl, { auth: { token: hub.adminToken }, transports: ['websocket'] });
    const pushed: AlertsChanged[] = [];
    socket.on('alerts:changed', (payload: AlertsChanged) => pushed.push(payload));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const connect = async (secret: string) => {
      const c = await mqtt.connectAsync(hub.mqttUrl, {
        clientId: 'wifi-7-1',
        username: 'wifi-7-1',
        password: secret,
        reconnectPeriod: 0,
        will: { topic: deviceTopic('wifi-7-1', 'status'), payload: Buffer.from(STATUS_OFFLINE), qos: 1 },
      });
      await c.publishAsync(deviceTopic('wifi-7-1', 'status'), STATUS_ONLINE, { qos: 1 });
      const hb: Heartbeat = { v: 1, ts: now, seq: Math.floor(now / 1000), up: 60, st: 'ok', m: {} };
      await c.publishAsync(deviceTopic('wifi-7-1', 'hb'), JSON.stringify(hb), { qos: 1 });
      await expect.poll(async () => (await getDevice(hub, 'wifi-7-1')).status, WAIT).toBe('online');
      return c;
    };
    try {
      const { secret } = await provision(hub, {
        id: 'wifi-7-1',
        kind: 'wifi',
        name: 'Wifi UBND thôn 7',
        village: 'Thôn 7',
        intervalS: 600,
      });
      const first = await connect(secret);
      await page.goto(`${hub.httpUrl}/alerts?state=pending`);
      await page.waitForSelector('[data-testid="alerts-page"]');
      first.stream.destroy();
      await expect.poll(async () => (await getDevice(hub, 'wifi-7-1')).status, WAIT).toBe('offline');
      await advance(1_000);
      await expect
        .poll(() => changes.find((a) => a.state === 'pending' && a.devices[0]?.id === 'wifi-7-1')?.id, WAIT)
        .toBeDefined();
      const id = changes.find((a) => a.state === 'pending' && a.devices[0]?.id === 'wifi-7-1')!.id;
      await page.locator(`[data-testid="alert-${id}"]`).waitFor(WAIT);

      // Back within the rule's 2 minutes: the pending alert never fires and is deleted, not resolved.
      const second = await connect(secret);
      await advance(1_000);
      await expect
        .poll(() => pushed.find((p) => p.alert.id === id && p.discarded)?.alert.state, WAIT)
        .toBe('pending');
      await page.locator(`[data-testid="alert-${id}"]`).waitFor({ state: 'detached', ...WAIT });
      expect(changes.some((a) => a.id === id && a.state === 'firing')).toBe(false);
      await second.endAsync(true);
    } finally {
      socket.close();
    }
  });
});
