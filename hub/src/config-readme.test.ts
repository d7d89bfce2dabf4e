import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HubConfigSchema } from './config.ts';

/**
 * The README's settings table is what an operator reads; the config schema is what the hub obeys.
 * Every HUB_* setting must be documented, nothing may be documented that the hub does not read, and
 * a default written in the table must be the schema's.
 */
const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');

interface Row {
  vars: string[];
  defaults: string[];
}

/** Rows of the first table under `### Settings`: variables of the first cell, backticked defaults of the second. */
function settingsTable(markdown: string): Row[] {
  const section = markdown.split(/^### Settings\s*$/m)[1];
  if (!section) throw new Error('README.md has no "### Settings" section');
  const rows: Row[] = [];
  for (const line of section.split('\n')) {
    if (rows.length > 0 && !line.startsWith('|')) break;
    if (!line.startsWith('|') || /^\|\s*-/.test(line)) continue;
    const [first = '', second = ''] = line.split('|').slice(1);
    const vars = first.match(/HUB_[A-Z0-9_]+/g) ?? [];
    if (vars.length === 0) continue;
    rows.push({ vars, defaults: [...second.matchAll(/`([^`]*)`/g)].map((m) => m[1]!) });
  }
  return rows;
}

const schemaVars = new Map(
  Object.values(HubConfigSchema.properties).map((p) => {
    const prop = p as unknown as { env: string; default?: unknown };
    return [prop.env, prop.default] as const;
  }),
);

describe('README settings table', () => {
  const rows = settingsTable(readme);
  const documented = rows.flatMap((r) => r.vars);

  it('documents every HUB_* setting of the config schema', () => {
    expect([...schemaVars.keys()].filter((v) => !documented.includes(v))).toEqual([]);
  });

  it('documents no setting the hub does not read, and each once', () => {
    expect(documented.filter((v) => !schemaVars.has(v))).toEqual([]);
    expect(documented.filter((v, i) => documented.indexOf(v) !== i)).toEqual([]);
  });

  it("states the schema's defaults", () => {
    const wrong: string[] = [];
    for (const row of rows) {
      // `8080` / `0.0.0.0` for two variables in one row; rows that explain a default in words are skipped.
      if (row.defaults.length !== row.vars.length) continue;
      row.vars.forEach((v, i) => {
        const want = schemaVars.get(v);
        if (want !== undefined && String(want) !== row.defaults[i]) {
          wrong.push(`${v}: README says ${row.defaults[i]}, schema ${String(want)}`);
        }
      });
    }
    expect(wrong).toEqual([]);
    expect(rows.length).toBeGreaterThan(10);
  });
});
