/**
 * Re-renders the figures and the markdown table of a results file with the current report code:
 * `npx tsx test/bench/rebuild.ts .bench-results/<file>.json` (rewrites `figures` in place).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { buildFigures, markdownTable } from './report.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: tsx test/bench/rebuild.ts <results.json>');
const result = JSON.parse(readFileSync(file, 'utf8'));
const { targets, soak, wire, uptime } = result.raw;
result.figures = buildFigures(targets, soak, wire, uptime);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${markdownTable(result.figures)}\n`);
