import type { PublicGroupSelector } from '@commune-hub/protocol';
import type Database from 'better-sqlite3';

/** A group as stored: `deviceIds` or `selector` says which devices it holds. */
export interface GroupRow {
  slug: string;
  name: string;
  description: string;
  deviceIds: string[] | null;
  selector: PublicGroupSelector | null;
  published: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface ReportRow {
  id: number;
  groupSlug: string;
  groupName: string;
  deviceId: string | null;
  deviceName: string | null;
  text: string;
  at: number;
}

interface GroupDbRow {
  slug: string;
  name: string;
  description: string;
  device_ids_json: string | null;
  selector_json: string | null;
  published: number;
  created_at: number;
  updated_at: number;
}

const toGroup = (r: GroupDbRow): GroupRow => ({
  slug: r.slug,
  name: r.name,
  description: r.description,
  deviceIds: r.device_ids_json ? (JSON.parse(r.device_ids_json) as string[]) : null,
  selector: r.selector_json ? (JSON.parse(r.selector_json) as PublicGroupSelector) : null,
  published: r.published === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * The public status tables of registry.db (made by ./migrations.ts): groups, per-device public tokens,
 * and reports. The handle is the registry's; this repository only prepares its own statements.
 */
export class PublicStatusRepository {
  private readonly selectGroups: Database.Statement;
  private readonly upsertGroup: Database.Statement;
  private readonly deleteGroup: Database.Statement;
  private readonly selectTokens: Database.Statement;
  private readonly insertToken: Database.Statement;
  private readonly insertReport: Database.Statement;
  private readonly selectReports: Database.Statement;

  constructor(db: Database.Database) {
    this.selectGroups = db.prepare('SELECT * FROM public_status_groups ORDER BY name');
    this.upsertGroup = db.prepare(
      `INSERT INTO public_status_groups
         (slug, name, description, device_ids_json, selector_json, published, created_at, updated_at)
       VALUES (@slug, @name, @description, @deviceIds, @selector, @published, @createdAt, @updatedAt)
       ON CONFLICT(slug) DO UPDATE SET name = excluded.name, description = excluded.description,
         device_ids_json = excluded.device_ids_json, selector_json = excluded.selector_json,
         published = excluded.published, updated_at = excluded.updated_at`,
    );
    this.deleteGroup = db.prepare('DELETE FROM public_status_groups WHERE slug = ?');
    this.selectTokens = db.prepare('SELECT device_id AS deviceId, token FROM public_status_tokens');
    this.insertToken = db.prepare(
      'INSERT INTO public_status_tokens (device_id, token, created_at) VALUES (?, ?, ?)',
    );
    this.insertReport = db.prepare(
      `INSERT INTO public_status_reports (group_slug, group_name, device_id, device_name, text, at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.selectReports = db.prepare(
      `SELECT id, group_slug AS groupSlug, group_name AS groupName, device_id AS deviceId,
         device_name AS deviceName, text, at
       FROM public_status_reports WHERE at >= ? AND at < ? ORDER BY at DESC, id DESC LIMIT ?`,
    );
  }

  groups(): GroupRow[] {
    return (this.selectGroups.all() as GroupDbRow[]).map(toGroup);
  }

  saveGroup(g: GroupRow): void {
    this.upsertGroup.run({
      slug: g.slug,
      name: g.name,
      description: g.description,
      deviceIds: g.deviceIds ? JSON.stringify(g.deviceIds) : null,
      selector: g.selector ? JSON.stringify(g.selector) : null,
      published: g.published ? 1 : 0,
      createdAt: g.createdAt,
      updatedAt: g.updatedAt,
    });
  }

  removeGroup(slug: string): boolean {
    return this.deleteGroup.run(slug).changes > 0;
  }

  tokens(): Array<{ deviceId: string; token: string }> {
    return this.selectTokens.all() as Array<{ deviceId: string; token: string }>;
  }

  addToken(deviceId: string, token: string, at: number): void {
    this.insertToken.run(deviceId, token, at);
  }

  addReport(r: Omit<ReportRow, 'id'>): number {
    const info = this.insertReport.run(r.groupSlug, r.groupName, r.deviceId, r.deviceName, r.text, r.at);
    return Number(info.lastInsertRowid);
  }

  reports(from: number, to: number, limit: number): ReportRow[] {
    return this.selectReports.all(from, to, limit) as ReportRow[];
  }
}
