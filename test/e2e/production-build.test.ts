// The production command (issue 15, issue 12 item 0): the built hub runs as one plain `node` process —
// no npm, no tsx — and serves the built dashboard with no setting. Builds hub and agents with esbuild
// (scripts/build.mjs, under a second), the dashboard with vite only if it is not built yet.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const webDir = path.join(root, 'web/dist');
const TOKEN = 'production-build-token-0123456789';

interface Started {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  httpUrl: string;
}

/** `node hub/dist/server.js` with its settings from the environment only, as an operator starts it. */
async function startBuiltHub(extraEnv: Record<string, string>): Promise<Started> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'prod-build-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HUB_DATA_DIR: dataDir,
    HUB_HTTP_HOST: '127.0.0.1',
    HUB_HTTP_PORT: '0',
    HUB_MQTT_HOST: '127.0.0.1',
    HUB_MQTT_PORT: '0',
    HUB_ADMIN_TOKEN: TOKEN,
    HUB_LOG_LEVEL: 'info',
    ...extraEnv,
  };
  const child = spawn(process.execPath, ['hub/dist/server.js'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.once('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const httpUrl = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`hub/dist/server.js exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as Record<string, unknown>;
      lines.push(entry);
      if (entry.msg === 'commune hub listening') resolve(entry.http as string);
    });
  });
  return { child, lines, httpUrl };
}

async function stop(hub: Started | undefined): Promise<number | null> {
  if (!hub || hub.child.exitCode !== null) return hub?.child.exitCode ?? null;
  const exited = new Promise<number | null>((resolve) => hub.child.once('exit', (code) => resolve(code)));
  hub.child.kill('SIGTERM');
  return exited;
}

function childrenOf(pid: number): number[] {
  const tasks = fs.readdirSync(`/proc/${pid}/task`);
  return tasks.flatMap((t) =>
    fs
      .readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number),
  );
}

describe('the built hub (node hub/dist/server.js)', () => {
  let hub: Started | undefined;

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/build.mjs', 'hub', 'agents', '--quiet'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (!fs.existsSync(path.join(webDir, 'index.html'))) {
      execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    }
    hub = await startBuiltHub({});
  }, 180_000);

  afterAll(async () => {
    await stop(hub);
  });

  it('is one node process running compiled JavaScript, no tsx loader, no child process', () => {
    const pid = hub!.child.pid!;
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    expect(cmdline).toEqual([process.execPath, 'hub/dist/server.js']);
    expect(fs.readFileSync(`/proc/${pid}/environ`, 'utf8')).not.toMatch(/tsx/);
    expect(childrenOf(pid)).toEqual([]);
  });

  it('is ASCII only, so V8 holds each source text at one byte per character (scripts/build.mjs asciiOnly)', () => {
    for (const dir of ['hub/dist', 'agents/dist']) {
      for (const file of fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.js'))) {
        const text = fs.readFileSync(path.join(root, dir, file), 'utf8');
        expect(/[\u0080-\uffff]/.test(text), `${dir}/${file}`).toBe(false);
      }
    }
  });

  it('answers /healthz', async () => {
    const res = await fetch(`${hub!.httpUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('serves the built dashboard at / with no HUB_WEB_DIR, as UTF-8', async () => {
    const res = await fetch(`${hub!.httpUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toBe(fs.readFileSync(path.join(webDir, 'index.html'), 'utf8'));
    // A deep link of the dashboard answers the same page (the router runs in the browser).
    const deep = await fetch(`${hub!.httpUrl}/devices/hk-wifi-01`);
    expect(deep.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const script = /src="([^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${hub!.httpUrl}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript; charset=utf-8$/);
  });

  it('reads and writes through its API like the source hub (criteria sets shipped beside the code)', async () => {
    // HUB_ADMIN_TOKEN only creates the first admin (issue 14), as `npm run users -- add` does; its
    // personal API token then reads and writes.
    const admin = await fetch(`${hub!.httpUrl}/api/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        username: 'admin',
        password: 'test-admin-password',
        role: 'admin',
        province: true,
        apiTokenName: 'production-build test',
      }),
    });
    expect(admin.status).toBe(201);
    const token = ((await admin.json()) as { apiToken: { token: string } }).apiToken.token;
    const auth = { authorization: `Bearer ${token}` };
    const created = await fetch(`${hub!.httpUrl}/api/devices`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'pb-wifi-01', kind: 'wifi', name: 'Wifi UBND', village: 'Thôn 1' }),
    });
    expect(created.status).toBe(201);
    const sets = (await (
      await fetch(`${hub!.httpUrl}/api/criteria-sets`, { headers: auth })
    ).json()) as Array<{
      id: string;
    }>;
    expect(sets.map((s) => s.id)).toContain('thanh-hoa-1829-2023');
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await stop(hub)).toBe(0);
  });

  it('says plainly when the dashboard is not built, and still serves the API', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'prod-build-noweb-'));
    const bare = await startBuiltHub({ HUB_WEB_DIR: empty });
    try {
      const warning = bare.lines.find((l) => String(l.msg).startsWith('dashboard not built'));
      expect(warning).toMatchObject({ level: 40, webDir: empty });
      expect((await fetch(`${bare.httpUrl}/healthz`)).status).toBe(200);
    } finally {
      await stop(bare);
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('the built agent (node agents/dist/cli.js)', () => {
  it('runs without tsx and prints its help', () => {
    execFileSync(process.execPath, ['scripts/build.mjs', 'agents', '--quiet'], { cwd: root });
    const out = execFileSync(process.execPath, ['agents/dist/cli.js', '--help'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(out).toMatch(/^commune-agent: /);
    expect(fs.readFileSync(path.join(root, 'agents/dist/cli.js'), 'utf8')).toMatch(
      /^#!\/usr\/bin\/env node\n/,
    );
  });
});
