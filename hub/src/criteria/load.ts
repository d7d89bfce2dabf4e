import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  type CriteriaFileIssue,
  CriteriaSetFile,
  type CriterionDef,
  type CriterionRule,
} from '@commune-hub/protocol';
import { schemaIssues as fileSchemaIssues, locateIssues } from '@commune-hub/protocol/file-issues';
import { LineCounter, parseDocument } from 'yaml';

/** A criteria set as loaded: the validated file, where it came from and the hash of its bytes. */
export interface LoadedCriteriaSet {
  file: string;
  sha256: string;
  set: CriteriaSetFile;
}

export type LoadResult = { ok: true; loaded: LoadedCriteriaSet } | { ok: false; issues: CriteriaFileIssue[] };

type Issue = Omit<CriteriaFileIssue, 'file'>;

const EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Schema problems, one per path, reported like the scenario files'. */
function schemaIssues(value: unknown): Issue[] {
  return fileSchemaIssues(CriteriaSetFile, value, 'criteria');
}

function ruleIssues(rule: CriterionRule, at: string, inputs: Set<string>): Issue[] {
  const out: Issue[] = [];
  if (rule.measure === 'ratio') {
    if (rule.denominator === undefined)
      out.push({ path: `${at}/measure`, message: 'a ratio rule needs `denominator` (an input key)' });
    else if (!inputs.has(rule.denominator))
      out.push({
        path: `${at}/denominator`,
        message: `unknown input "${rule.denominator}" (declare it in inputs)`,
      });
  } else if (rule.denominator !== undefined) {
    out.push({ path: `${at}/denominator`, message: 'only a ratio rule has a denominator' });
  }
  if (rule.measure === 'coverage') {
    if (!rule.coverage) out.push({ path: `${at}/measure`, message: 'a coverage rule needs `coverage`' });
    else if (rule.coverage.unit === 'site' && !rule.coverage.locationTypes)
      out.push({ path: `${at}/coverage`, message: 'coverage by site needs `locationTypes` (which sites)' });
  } else if (rule.coverage) {
    out.push({ path: `${at}/coverage`, message: 'only a coverage rule has `coverage`' });
  }
  if (rule.minCount !== undefined && rule.measure !== 'presence')
    out.push({ path: `${at}/minCount`, message: 'only a presence rule has minCount' });
  return out;
}

function criterionIssues(c: CriterionDef, at: string, inputs: Set<string>): Issue[] {
  const out: Issue[] = [];
  const { min, max } = c.target;
  if (c.kind === 'count' || c.kind === 'percentage' || c.kind === 'threshold') {
    if (min === undefined && max === undefined)
      out.push({ path: `${at}/target`, message: `a ${c.kind} target needs min and/or max` });
  }
  if (min !== undefined && max !== undefined && min > max)
    out.push({ path: `${at}/target`, message: `bad target: min ${min} is above max ${max}` });
  if (c.kind === 'percentage') {
    for (const [k, v] of [
      ['min', min],
      ['max', max],
    ] as const) {
      if (v !== undefined && (v < 0 || v > 100))
        out.push({ path: `${at}/target/${k}`, message: `bad target: a percentage is 0–100, got ${v}` });
    }
  }
  if (c.kind === 'count' && min !== undefined && (min < 0 || !Number.isInteger(min)))
    out.push({ path: `${at}/target/min`, message: `bad target: a count is a whole number ≥ 0, got ${min}` });
  if (!c.rule && !c.manual) out.push({ path: at, message: 'a criterion needs a `rule` or `manual`' });
  if (c.rule && c.manual && c.partial === undefined)
    out.push({ path: at, message: 'a criterion with both rule and manual is partial: say why in `partial`' });
  if (c.partial !== undefined && !(c.rule && c.manual))
    out.push({ path: `${at}/partial`, message: 'a partial criterion has both `rule` and `manual`' });
  if (c.rule) out.push(...ruleIssues(c.rule, `${at}/rule`, inputs));
  if (c.rule?.measure === 'ratio' && c.kind !== 'percentage' && !c.manual)
    out.push({ path: `${at}/kind`, message: 'a ratio rule gives a percentage: kind must be percentage' });
  return out;
}

/** What the schema cannot say: references, duplicates, targets that fit the kind, rule shapes. */
export function semanticIssues(file: CriteriaSetFile): Issue[] {
  const out: Issue[] = [];
  const groups = new Set<string>();
  file.groups.forEach((g, i) => {
    if (groups.has(g.code))
      out.push({ path: `/groups/${i}/code`, message: `duplicate group code "${g.code}"` });
    groups.add(g.code);
  });
  const inputs = new Set<string>();
  (file.inputs ?? []).forEach((inp, i) => {
    if (inputs.has(inp.key))
      out.push({ path: `/inputs/${i}/key`, message: `duplicate input key "${inp.key}"` });
    inputs.add(inp.key);
  });
  const codes = new Set<string>();
  file.criteria.forEach((c, i) => {
    const at = `/criteria/${i}`;
    if (codes.has(c.code)) out.push({ path: `${at}/code`, message: `duplicate code "${c.code}"` });
    codes.add(c.code);
    if (!groups.has(c.group)) out.push({ path: `${at}/group`, message: `unknown group "${c.group}"` });
    out.push(...criterionIssues(c, at, inputs));
  });
  return out;
}

/** Parses and validates one criteria file (YAML or JSON). Every problem is listed, with file:line:col. */
export function parseCriteriaFile(file: string, text: string): LoadResult {
  const name = path.basename(file);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { file: name, path: '/', message: e.message.split('\n')[0]!, line: pos.line, col: pos.col };
      }),
    };
  }
  const value = doc.toJS() as unknown;
  let issues = schemaIssues(value);
  if (issues.length === 0) {
    const set = value as CriteriaSetFile;
    issues = semanticIssues(set);
    const stem = name.replace(/\.(ya?ml|json)$/, '');
    if (set.id !== stem)
      issues.push({ path: '/id', message: `id "${set.id}" must equal the file name "${stem}"` });
  }
  if (issues.length > 0)
    return { ok: false, issues: locateIssues(issues, doc, lines).map((i) => ({ file: name, ...i })) };
  const sha256 = createHash('sha256').update(text).digest('hex');
  return { ok: true, loaded: { file, sha256, set: value as CriteriaSetFile } };
}

/** One line per problem: `file:line:col /path: message`. */
export function formatCriteriaIssues(issues: readonly CriteriaFileIssue[]): string {
  return issues
    .map((i) => `${i.line ? `${i.file}:${i.line}:${i.col}` : i.file} ${i.path}: ${i.message}`)
    .join('\n');
}

/** Every criteria file of a folder (sorted by name), each loaded or refused on its own. */
export function loadCriteriaDir(dir: string): {
  loaded: LoadedCriteriaSet[];
  refused: CriteriaFileIssue[][];
} {
  const loaded: LoadedCriteriaSet[] = [];
  const refused: CriteriaFileIssue[][] = [];
  const files = fs
    .readdirSync(dir)
    .filter((f) => EXTENSIONS.includes(path.extname(f)))
    .sort();
  for (const f of files) {
    const full = path.join(dir, f);
    const result = parseCriteriaFile(full, fs.readFileSync(full, 'utf8'));
    if (result.ok) loaded.push(result.loaded);
    else refused.push(result.issues);
  }
  return { loaded, refused };
}
