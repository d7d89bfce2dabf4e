/**
 * The bench still runs: `npm run bench -- --quick` as a child process exits 0 and writes a results JSON
 * with every figure present. Nothing here looks at how fast anything was — the bench is for numbers.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIGURES, type Figures } from '../bench/report.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function runQuickBench(
  args = ['test/bench/run.ts', '--quick'],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bench quick mode', () => {
  it('exits 0 and writes every figure to .bench-results', async () => {
    const run = await runQuickBench();
    expect(run.code, run.stderr.slice(-4000)).toBe(0);
    const file = /^results: (.+\.json)$/m.exec(run.stdout)?.[1];
    expect(file, run.stdout).toBeDefined();
    const result = JSON.parse(readFileSync(file!, 'utf8')) as {
      meta: { mode: string; machine: { cores: number; node: string } };
      figures: Figures;
    };
    expect(result.meta.mode).toBe('quick');
    expect(result.meta.machine.node).toBe(process.version);
    for (const key of FIGURES) {
      const rows = result.figures[key];
      expect(rows, key).toBeInstanceOf(Array);
      expect(rows.length, key).toBeGreaterThan(0);
      for (const row of rows) {
        const values = [row.hub, row.aedes, row.mosquitto].filter((v) => typeof v === 'number');
        // A figure may be explicitly marked unavailable (the uptime endpoint before it lands); never silently empty.
        if (values.length === 0) expect(row.figure, `${key}: ${row.figure}`).toMatch(/not yet available/);
      }
    }
    // The markdown table went to stdout, progress to stderr.
    expect(run.stdout).toMatch(/^\| Figure \|/m);
    expect(run.stderr).toMatch(/\[bench /);
  }, 240_000);
});
