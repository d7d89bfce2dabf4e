import type { TSchema } from '@sinclair/typebox';
import { type ValueError, ValueErrorType } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
// Types only: callers parse with `yaml` themselves, so the protocol adds no runtime dependency.
import type { Document, LineCounter } from 'yaml';

/**
 * Problems in a hand-written data file (a simulator scenario, a criteria set): where, as a JSON pointer and,
 * once located in the source, line:col; and what was expected. One module so that every file the team asks
 * people to write reports its errors the same way.
 */
export interface FileIssue {
  path: string;
  message: string;
  line?: number;
  col?: number;
}

function describeExpected(e: ValueError, format: string): string {
  const s = e.schema as TSchema & { anyOf?: TSchema[] };
  if (e.type === ValueErrorType.Union && s.anyOf?.every((x) => 'const' in x)) {
    return `expected one of ${s.anyOf.map((x) => JSON.stringify(x.const)).join(', ')}`;
  }
  if (e.type === ValueErrorType.ObjectRequiredProperty) return 'required property is missing';
  if (e.type === ValueErrorType.ObjectAdditionalProperties)
    return `unknown property (not in the ${format} format)`;
  if (e.type === ValueErrorType.StringPattern)
    return `expected ${s.description ?? 'a string'} matching ${s.pattern}`;
  return e.message.replace(/^Expected/, 'expected');
}

function shown(value: unknown): string {
  if (value === undefined) return '';
  const text = JSON.stringify(value);
  return `; got ${text && text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}

/**
 * Schema problems, one per path (the first reported). An unknown property is reported at the offending key,
 * not at its object. `format` names the file kind in messages ("scenario", "criteria").
 */
export function schemaIssues(schema: TSchema, value: unknown, format: string): FileIssue[] {
  const seen = new Set<string>();
  const issues: FileIssue[] = [];
  for (const e of Value.Errors(schema, value)) {
    let path = e.path || '/';
    if (e.type === ValueErrorType.ObjectAdditionalProperties && e.value && typeof e.value === 'object') {
      const allowed = Object.keys((e.schema as { properties?: object }).properties ?? {});
      const extra = Object.keys(e.value).find((k) => !allowed.includes(k));
      if (extra) path = `${e.path}/${extra}`;
    }
    if (seen.has(path)) continue;
    seen.add(path);
    const shownValue = e.type === ValueErrorType.ObjectAdditionalProperties ? undefined : e.value;
    issues.push({ path, message: describeExpected(e, format) + shown(shownValue) });
  }
  return issues;
}

/** Adds line:col from the YAML source to each issue; a missing property is located at its nearest parent. */
export function locateIssues<I extends FileIssue>(issues: I[], doc: Document, lines: LineCounter): I[] {
  return issues.map((issue) => {
    const segs = issue.path
      .split('/')
      .filter(Boolean)
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    for (let n = segs.length; n >= 0; n--) {
      const node = doc.getIn(segs.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) {
        const pos = lines.linePos(node.range[0]);
        return { ...issue, line: pos.line, col: pos.col };
      }
    }
    return issue;
  });
}
