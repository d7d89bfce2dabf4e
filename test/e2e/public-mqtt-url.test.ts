import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StartedHub } from '@commune-hub/hub';
import { chromium } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_CA_PATH, agentCommand, brokerUrlForDevices } from '../../web/src/features/manage/index.ts';
import { MANAGE_WORDS } from '../../web/src/i18n/manage.ts';
import { signIn, startTestHub } from '../support/hub.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The built dashboard (`npm test` builds it first); HUB_TEST_WEB_DIR points at another build.
const webDir = process.env.HUB_TEST_WEB_DIR ?? path.join(root, 'web/dist');

/**
 * The agent command shown after adding a device names the broker the device must reach. When MQTT is
 * reached elsewhere than the dashboard (another host, TLS, NAT), HUB_PUBLIC_MQTT_URL says where, and
 * /healthz carries it to the dashboard; without it the command keeps the dashboard host and broker port.
 * An mqtts:// URL adds `--ca` with a placeholder path, and the page says where the commune's CA file comes from.
 */
const hubs: StartedHub[] = [];
afterEach(async () => {
  for (const hub of hubs.splice(0)) await hub.close();
});

const health = async (hub: StartedHub) =>
  (await (await fetch(`${hub.httpUrl}/healthz`)).json()) as { mqttPort?: number; mqttUrl?: string };

describe('HUB_PUBLIC_MQTT_URL on /healthz and in the agent command', () => {
  it('without it: no mqttUrl, and the command uses the dashboard host with the broker port', async () => {
    const hub = await startTestHub();
    hubs.push(hub);
    const h = await health(hub);
    expect(h.mqttUrl).toBeUndefined();
    expect(h.mqttPort).toBe(Number(new URL(hub.mqttUrl).port));
    expect(brokerUrlForDevices(h, 'hub.xa.vn')).toBe(`mqtt://hub.xa.vn:${h.mqttPort}`);
    const command = agentCommand({
      hub: brokerUrlForDevices(h, 'hub.xa.vn'),
      id: 'd1',
      kind: 'wifi',
      secret: 's',
    });
    expect(command).not.toContain('--ca');
  });

  it('with it: /healthz says it and the command uses it', async () => {
    const hub = await startTestHub({ publicMqttUrl: 'mqtts://mqtt.xa-hoangkim.vn:8883' });
    hubs.push(hub);
    const h = await health(hub);
    expect(h.mqttUrl).toBe('mqtts://mqtt.xa-hoangkim.vn:8883');
    expect(brokerUrlForDevices(h, 'hub.xa.vn')).toBe('mqtts://mqtt.xa-hoangkim.vn:8883');
    // An mqtts:// broker: the command names the commune CA's file (the dashboard's hint says where it comes from).
    expect(
      agentCommand({ hub: brokerUrlForDevices(h, 'hub.xa.vn'), id: 'd1', kind: 'wifi', secret: 's' }),
    ).toBe(
      'HUB_AGENT_SECRET=s npm run agent -- --hub mqtts://mqtt.xa-hoangkim.vn:8883 --ca /etc/commune-hub/ca.pem --id d1 --kind wifi',
    );
  });

  it('in Chromium: an mqtts:// URL gives the command with --ca and the hint where the CA file comes from', async () => {
    if (!fs.existsSync(path.join(webDir, 'index.html'))) {
      execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    }
    const hub = await startTestHub({ webDir, publicMqttUrl: 'mqtts://mqtt.xa-hoangkim.vn:8883' });
    hubs.push(hub);
    const browser = await chromium.launch({
      executablePath: execSync('which chromium').toString().trim(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
      await signIn(context, hub);
      const page = await context.newPage();
      await page.goto(`${hub.httpUrl}/quan-ly`);
      const form = page.getByTestId('device-form');
      await form.locator('[name="id"]').fill('hk-cam-9');
      await form.locator('[name="kind"]').selectOption('camera');
      await form.locator('[name="name"]').fill('Camera chợ');
      await form.locator('[name="village"]').fill('Thôn 1');
      await form.getByRole('button', { name: 'Thêm thiết bị' }).click();
      const WAIT = { timeout: 20_000, interval: 50 };
      await expect
        .poll(() => page.getByTestId('agent-command').textContent(), WAIT)
        .toContain('npm run agent');
      const secret = (await page.getByTestId('device-secret').textContent()) ?? '';
      expect(await page.getByTestId('agent-command').textContent()).toBe(
        `HUB_AGENT_SECRET=${secret} npm run agent -- --hub mqtts://mqtt.xa-hoangkim.vn:8883 --ca ${AGENT_CA_PATH} --id hk-cam-9 --kind camera`,
      );
      expect(await page.getByTestId('agent-ca-hint').textContent()).toBe(
        MANAGE_WORDS.vi.secret.caHint(AGENT_CA_PATH),
      );
    } finally {
      await browser.close();
    }
  }, 120_000);
});
