/**
 * Registry storage on SQLite vs PostgreSQL (issue 15, HUB_DB), in the same run on the same machine:
 *   import — a CSV of 2,000 devices (10 villages): planImport + applyImport (which hashes 2,000 scrypt secrets
 *            on the thread pool first) + registry.durable(), as POST /api/devices/import does;
 *   write  — the same 2,000 devices with secrets hashed beforehand: the storage's share alone;
 *   boot   — opening the registry and the coverage record with those 2,000 devices and 20,000 coverage
 *            segments (10 outages per device), as a hub restart does (PostgreSQL: migrate check + image read).
 * PostgreSQL 15 from Debian, started on loopback by test/setup/postgres.ts with fsync on (durable).
 * Usage: npx tsx test/bench/registry-db.ts [--runs 3]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { applyImport, planImport } from '../../hub/src/registry/csv-import.ts';
import { Registry } from '../../hub/src/registry/registry.ts';
import { newCredentials } from '../../hub/src/registry/secrets.ts';
import { SqliteCoverageStore } from '../../hub/src/uptime/coverage.ts';
import { ImageCoverageStore } from '../../hub/src/uptime/coverage-image.ts';
import { startPostgres } from '../setup/postgres.ts';

const N = 2000;
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const csv = `id,kind,name,village\n${Array.from({ length: N }, (_, i) => `dev-${i},wifi,Wifi ${i},Thôn ${i % 10}`).join('\n')}\n`;

type Dialect = 'sqlite' | 'postgres';

async function main() {
  const server = await startPostgres({ durable: true });
  let dbCount = 0;
  const newDb = async () => {
    const name = `bench_${dbCount++}`;
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return server.url.replace(/\/[^/]*$/, `/${name}`);
  };
  const open = async (dialect: Dialect, dir: string, url: string | undefined) => {
    const r = new Registry(dir);
    if (dialect === 'postgres') await r.openPostgres({ url: url! });
    else r.open();
    return r;
  };
  const results: Record<Dialect, { import: number[]; write: number[]; boot: number[] }> = {
    sqlite: { import: [], write: [], boot: [] },
    postgres: { import: [], write: [], boot: [] },
  };
  const hashed = await Promise.all(Array.from({ length: N }, () => newCredentials()));
  try {
    for (let run = 0; run < runs; run++) {
      for (const dialect of ['sqlite', 'postgres'] as const) {
        // import through the CSV path
        let dir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-bench-'));
        let url = dialect === 'postgres' ? await newDb() : undefined;
        let registry = await open(dialect, dir, url);
        let t = performance.now();
        const plan = planImport(csv, registry);
        if (plan.errors.length > 0) throw new Error(JSON.stringify(plan.errors.slice(0, 3)));
        await applyImport(plan, registry, Date.now());
        await registry.durable();
        results[dialect].import.push(performance.now() - t);
        console.error(`run ${run} ${dialect} import ${(performance.now() - t).toFixed(0)} ms`);
        await registry.close();
        fs.rmSync(dir, { recursive: true, force: true });

        // the storage's share: secrets hashed beforehand
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-bench-'));
        url = dialect === 'postgres' ? await newDb() : undefined;
        registry = await open(dialect, dir, url);
        t = performance.now();
        registry.transaction(() => {
          for (let i = 0; i < N; i++) {
            registry.create(
              { id: `dev-${i}`, kind: 'wifi', name: `Wifi ${i}`, village: `Thôn ${i % 10}` },
              0,
              hashed[i]!,
            );
          }
        });
        await registry.durable();
        results[dialect].write.push(performance.now() - t);
        console.error(`run ${run} ${dialect} write ${(performance.now() - t).toFixed(0)} ms`);
        // 10 outages per device: 20,000 coverage segments for the boot measurement
        const storage = registry.storage;
        const cov =
          storage.dialect === 'postgres'
            ? new ImageCoverageStore(storage)
            : new SqliteCoverageStore(registry.database);
        for (let i = 0; i < N; i++)
          for (let k = 0; k < 10; k++) cov.addHeartbeat(`dev-${i}`, k * 3_600_000, 75_000);
        await cov.flush();
        await registry.close();

        t = performance.now();
        registry = await open(dialect, dir, url);
        const s = registry.storage;
        const again =
          s.dialect === 'postgres' ? new ImageCoverageStore(s) : new SqliteCoverageStore(registry.database);
        if (registry.size !== N || again.covered('dev-7', 0, 1e12).length !== 10)
          throw new Error('boot read wrong');
        results[dialect].boot.push(performance.now() - t);
        console.error(`run ${run} ${dialect} boot ${(performance.now() - t).toFixed(0)} ms`);
        await registry.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await server.stop();
  }
  const row = (d: Dialect, k: 'import' | 'write' | 'boot') =>
    `${median(results[d][k]).toFixed(0)} ms (runs: ${results[d][k].map((x) => x.toFixed(0)).join(', ')})`;
  console.log(
    `machine: ${os.cpus()[0]?.model}, ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log('| | SQLite (registry.db, WAL) | PostgreSQL 15 (loopback, fsync on) |');
  console.log('|---|---|---|');
  console.log(
    `| CSV import of 2,000 devices (incl. 2,000 scrypt hashes) | ${row('sqlite', 'import')} | ${row('postgres', 'import')} |`,
  );
  console.log(
    `| writing 2,000 devices (secrets hashed beforehand) | ${row('sqlite', 'write')} | ${row('postgres', 'write')} |`,
  );
  console.log(
    `| registry + coverage boot: 2,000 devices, 20,000 segments | ${row('sqlite', 'boot')} | ${row('postgres', 'boot')} |`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
