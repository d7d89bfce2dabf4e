/**
 * Chromium for dashboard tests (playwright-core, /usr/bin/chromium) and the built dashboard it loads,
 * plus a page watcher that records every Content-Security-Policy violation and uncaught page error.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const WEB_DIR = path.join(root, 'web/dist');

/**
 * web/dist, built now unless a bundle already holds `marker` (a string only the current sources have, such
 * as a data-testid added lately: a dist left from older sources is rebuilt).
 */
export function builtDashboard(marker: string): string {
  const assets = path.join(WEB_DIR, 'assets');
  const current =
    fs.existsSync(assets) &&
    fs
      .readdirSync(assets)
      .some((f) => f.endsWith('.js') && fs.readFileSync(path.join(assets, f), 'utf8').includes(marker));
  if (!current)
    execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  return WEB_DIR;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * Everything on `page` that breaks the CSP or throws: `securitypolicyviolation` events (registered before
 * any script of the page runs), console messages about the policy, and uncaught page errors.
 */
export async function watchPage(page: Page): Promise<{ problems: string[] }> {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame|create)/i.test(m.text())) {
      problems.push(`${page.url()}: console: ${m.text()}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`${page.url()}: page error: ${err.message}`));
  await page.exposeFunction('__cspViolation', (text: string) => problems.push(`${page.url()}: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation: (t: string) => void }).__cspViolation(
        `securitypolicyviolation ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  return { problems };
}
