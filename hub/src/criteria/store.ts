import { createHash } from 'node:crypto';
import type {
  Evaluation,
  ManualEntry,
  ManualEvidence,
  ManualValue,
  ReportContent,
  ReportSummary,
} from '@commune-hub/protocol';
import type Database from 'better-sqlite3';
import { HubError } from '../errors.ts';
import type { PeriodMs } from './period.ts';

/** JSON with object keys sorted at every level and no whitespace: the bytes a report's SHA-256 is taken over. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

interface EntryRow {
  id: number;
  set_id: string;
  type: ManualEntry['type'];
  target: string;
  from_ms: number;
  to_ms: number;
  value_json: string;
  evidence_json: string;
  reason: string | null;
  by: string;
  at_ms: number;
  withdrawn_at_ms: number | null;
  withdrawn_by: string | null;
}

interface ReportRow {
  id: number;
  set_id: string;
  from_ms: number;
  to_ms: number;
  version: number;
  supersedes: number | null;
  superseded_by: number | null;
  submitted_at_ms: number;
  submitted_by: string;
  sha256: string;
  canonical: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

function toEntry(r: EntryRow): ManualEntry {
  return {
    id: r.id,
    setId: r.set_id,
    type: r.type,
    target: r.target,
    from: iso(r.from_ms),
    to: iso(r.to_ms),
    value: JSON.parse(r.value_json) as ManualValue,
    evidence: JSON.parse(r.evidence_json) as ManualEvidence,
    reason: r.reason,
    by: r.by,
    at: iso(r.at_ms),
    withdrawnAt: r.withdrawn_at_ms === null ? null : iso(r.withdrawn_at_ms),
    withdrawnBy: r.withdrawn_by,
  };
}

export interface NewEntry {
  setId: string;
  type: ManualEntry['type'];
  target: string;
  from: number;
  to: number;
  value: ManualValue;
  evidence: ManualEvidence;
  reason: string | null;
  by: string;
  at: number;
}

/** The raw period of a stored report, for the "one current report per period" rule. */
export interface ReportKey {
  setId: string;
  from: number;
  to: number;
}

export class CriteriaStore {
  /** `db` is registry.db, already migrated: the criteria tables are its step 5 (./migrations.ts). */
  constructor(private readonly db: Database.Database) {}

  addEntry(e: NewEntry): ManualEntry {
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO criteria_manual_entries (set_id, type, target, from_ms, to_ms, value_json, evidence_json, reason, by, at_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          e.setId,
          e.type,
          e.target,
          e.from,
          e.to,
          JSON.stringify(e.value),
          canonicalJson(e.evidence),
          e.reason,
          e.by,
          e.at,
        ).lastInsertRowid,
    );
    return this.entry(id)!;
  }

  entry(id: number): ManualEntry | undefined {
    const row = this.db.prepare('SELECT * FROM criteria_manual_entries WHERE id = ?').get(id) as
      | EntryRow
      | undefined;
    return row && toEntry(row);
  }

  withdraw(id: number, by: string, at: number): ManualEntry | undefined {
    this.db
      .prepare(
        'UPDATE criteria_manual_entries SET withdrawn_at_ms = ?, withdrawn_by = ? WHERE id = ? AND withdrawn_at_ms IS NULL',
      )
      .run(at, by, id);
    return this.entry(id);
  }

  /** Every entry (withdrawn too) of a set whose period overlaps [from, to): the audit trail. */
  entriesOverlapping(setId: string, from: number, to: number): ManualEntry[] {
    return (
      this.db
        .prepare(
          'SELECT * FROM criteria_manual_entries WHERE set_id = ? AND from_ms < ? AND to_ms > ? ORDER BY id',
        )
        .all(setId, Math.max(to, from + 1), from) as EntryRow[]
    ).map(toEntry);
  }

  /** Entries in force for [from, to): not withdrawn, and their period contains it. */
  entriesInForce(setId: string, from: number, to: number): ManualEntry[] {
    return (
      this.db
        .prepare(
          'SELECT * FROM criteria_manual_entries WHERE set_id = ? AND from_ms <= ? AND to_ms >= ? AND withdrawn_at_ms IS NULL ORDER BY id',
        )
        .all(setId, from, to) as EntryRow[]
    ).map(toEntry);
  }

  /** The report currently in force for this period (not superseded), if any. */
  currentReport(key: ReportKey): ReportRow | undefined {
    return this.db
      .prepare(
        'SELECT * FROM criteria_reports WHERE set_id = ? AND from_ms = ? AND to_ms = ? AND superseded_by IS NULL',
      )
      .get(key.setId, key.from, key.to) as ReportRow | undefined;
  }

  /**
   * Freezes a report: stores its canonical JSON and hash, and marks the one it corrects as superseded, in
   * one transaction. `build` is given the version and the superseded report and returns the content.
   */
  insertReport(
    key: ReportKey,
    corrects: number | undefined,
    build: (version: number, supersedes: { id: number; sha256: string } | null) => ReportContent,
  ): number {
    return this.db.transaction(() => {
      const current = this.currentReport(key);
      if (current && corrects === undefined) {
        throw new HubError(
          'HUB_ERR_REPORT_EXISTS',
          `report ${current.id} was already submitted for this period (version ${current.version}); submit a correction with "corrects": ${current.id}`,
        );
      }
      if (corrects !== undefined && (!current || current.id !== corrects)) {
        throw new HubError(
          'HUB_ERR_REPORT_EXISTS',
          current
            ? `report ${corrects} is not the current report of this period (report ${current.id} is)`
            : `report ${corrects} is not a report of this period`,
        );
      }
      const content = build(
        current ? current.version + 1 : 1,
        current ? { id: current.id, sha256: current.sha256 } : null,
      );
      const canonical = canonicalJson(content);
      const sha = sha256Hex(canonical);
      if (current)
        this.db.prepare('UPDATE criteria_reports SET superseded_by = -1 WHERE id = ?').run(current.id);
      const id = Number(
        this.db
          .prepare(
            `INSERT INTO criteria_reports (set_id, from_ms, to_ms, version, supersedes, submitted_at_ms, submitted_by, sha256, canonical)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            key.setId,
            key.from,
            key.to,
            content.version,
            current?.id ?? null,
            Date.parse(content.submittedAt),
            content.submittedBy,
            sha,
            canonical,
          ).lastInsertRowid,
      );
      if (current)
        this.db.prepare('UPDATE criteria_reports SET superseded_by = ? WHERE id = ?').run(id, current.id);
      return id;
    })();
  }

  report(id: number): ReportRow | undefined {
    return this.db.prepare('SELECT * FROM criteria_reports WHERE id = ?').get(id) as ReportRow | undefined;
  }

  reports(setId?: string): ReportRow[] {
    return (
      setId === undefined
        ? this.db.prepare('SELECT * FROM criteria_reports ORDER BY id').all()
        : this.db.prepare('SELECT * FROM criteria_reports WHERE set_id = ? ORDER BY id').all(setId)
    ) as ReportRow[];
  }
}

/** The listing view of a stored report, read from its frozen content only. */
export function reportSummary(row: ReportRow): ReportSummary & { content: ReportContent } {
  const content = JSON.parse(row.canonical) as ReportContent;
  const evaluation: Evaluation = content.evaluation;
  return {
    id: row.id,
    setId: row.set_id,
    period: content.period,
    version: row.version,
    supersedes: row.supersedes,
    supersededBy: row.superseded_by,
    submittedAt: content.submittedAt,
    submittedBy: content.submittedBy,
    sha256: row.sha256,
    summary: evaluation.summary,
    content,
  };
}

export type { ReportRow };
/** Periods a report is filed under: the same instants as the evaluation's period. */
export const reportKey = (setId: string, p: PeriodMs): ReportKey => ({ setId, from: p.from, to: p.to });
