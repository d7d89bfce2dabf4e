/**
 * Editing a device on /quan-ly beyond name, village and interval: its site (only the chosen village's are
 * offered), its tags and the gateway that relays it, in real Chromium against a real hub with the Hoàng
 * Kim scenario, on a phone. Problems are said in Vietnamese before anything is sent.
 */
import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StartedHub } from '@commune-hub/hub';
import type { HubClient } from '@commune-hub/protocol';
import { loadScenario } from '@commune-hub/simulators';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerScenario } from '../support/criteria-world.ts';
import { hubClient, signIn, startTestHub } from '../support/hub.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webDir = process.env.HUB_TEST_WEB_DIR ?? path.join(root, 'web/dist');
const WAIT = { timeout: 20_000, interval: 50 };
const RAW_CODE = /\b[a-z]+_[a-z_]+\b|\b[a-z]+[A-Z][a-zA-Z]*\b/g;

describe('device edit: site, tags and gateway (Chromium, Hoàng Kim)', () => {
  let hub: StartedHub;
  let api: HubClient;
  let browser: Browser;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(webDir, 'index.html'))) {
      execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    }
    hub = await startTestHub({ webDir });
    api = hubClient(hub);
    await registerScenario(hub, loadScenario('hoang-kim'));
    browser = await chromium.launch({
      executablePath: execSync('which chromium').toString().trim(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  const openManage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    await signIn(context, hub);
    const page = await context.newPage();
    await page.goto(`${hub.httpUrl}/quan-ly`);
    await page.getByTestId('admin-access').waitFor(WAIT);
    return page;
  };

  it("sets a device's site, tags and gateway; moving it offers only the new village's sites; a bad tag is refused in Vietnamese", async () => {
    await api.deviceCreate({
      body: { id: 'hk-gw-01', kind: 'gateway', name: 'Gateway UBND', village: 'thon-3' },
    });
    const cam = (await api.deviceList()).find((d) => d.kind === 'camera' && d.villageId === 'thon-3')!;
    const sites = await api.siteList();
    const siteNames = (villageId: string) =>
      sites
        .filter((s) => s.villageId === villageId)
        .map((s) => s.name)
        .sort();
    const market = sites.find((s) => s.id === 'cho')!;
    expect(cam.site?.id).not.toBe('cho');

    const page = await openManage();
    await page.getByPlaceholder('Tên, mã hoặc thôn…').fill(cam.id);
    const row = page.locator(`[data-device-id="${cam.id}"]`);
    await row.waitFor(WAIT);
    await row.getByRole('button', { name: 'Sửa' }).click();
    const form = row.getByTestId('device-edit');
    // The site list is the device's village's, with "none"; the gateways are the hub's gateways.
    await expect
      .poll(async () => (await form.locator('[name="site"] option').allTextContents()).slice(1).sort(), WAIT)
      .toEqual(siteNames('thon-3'));
    await expect
      .poll(() => form.locator('[name="parent"] option').allTextContents(), WAIT)
      .toEqual(['Không qua gateway (kết nối thẳng)', 'Gateway UBND']);
    await form.locator('[name="site"]').selectOption('cho');
    await form.locator('[name="tags"]').fill('ngoài trời, cổng chợ, ngoài trời');
    await form.locator('[name="parent"]').selectOption('hk-gw-01');
    await form.getByRole('button', { name: 'Lưu' }).click();
    await expect
      .poll(async () => {
        const d = await api.deviceGet({ params: { id: cam.id } });
        return { site: d.site?.id, tags: d.tags, parent: d.parent };
      }, WAIT)
      .toEqual({ site: 'cho', tags: ['ngoài trời', 'cổng chợ'], parent: 'hk-gw-01' });
    await expect
      .poll(() => row.getByTestId('manage-device-extra').textContent(), WAIT)
      .toBe('Nhãn: ngoài trời, cổng chợ · qua gateway Gateway UBND');
    expect(await row.textContent()).toContain(market.name);

    // Moved to Thôn 1: its old site is not there, so none is picked and only Thôn 1's are offered.
    await row.getByRole('button', { name: 'Sửa' }).click();
    await form.locator('[name="village"]').fill('Thôn 1');
    expect(await form.locator('[name="site"]').inputValue()).toBe('');
    expect((await form.locator('[name="site"] option').allTextContents()).slice(1).sort()).toEqual(
      siteNames('thon-1'),
    );
    // A tag longer than 64 characters and an interval of 0: both said, nothing sent.
    await form.locator('[name="tags"]').fill(`ngoài trời, ${'rất dài '.repeat(10)}`);
    await form.locator('[name="intervalS"]').fill('0');
    await form.getByRole('button', { name: 'Lưu' }).click();
    const error = row.getByTestId('manage-error');
    await expect.poll(() => error.textContent(), WAIT).toContain('dài quá 64 ký tự');
    expect(await error.textContent()).toContain('Chu kỳ: phải là số nguyên giây từ 1 đến 86.400.');
    expect([...((await page.locator('body').innerText()).matchAll(RAW_CODE) ?? [])].map((m) => m[0])).toEqual(
      [],
    );
    expect((await api.deviceGet({ params: { id: cam.id } })).villageId).toBe('thon-3');

    // Corrected: moved with a site of its new village, tags kept short, no gateway any more.
    await form.locator('[name="tags"]').fill('ngoài trời');
    await form.locator('[name="intervalS"]').fill('60');
    await form.locator('[name="site"]').selectOption('nvh-1');
    await form.locator('[name="parent"]').selectOption('');
    await form.getByRole('button', { name: 'Lưu' }).click();
    await expect
      .poll(async () => {
        const d = await api.deviceGet({ params: { id: cam.id } });
        return {
          village: d.villageId,
          site: d.site?.id,
          tags: d.tags,
          parent: d.parent,
          intervalS: d.intervalS,
        };
      }, WAIT)
      .toEqual({ village: 'thon-1', site: 'nvh-1', tags: ['ngoài trời'], parent: null, intervalS: 60 });
    await page.close();
  }, 90_000);
});
