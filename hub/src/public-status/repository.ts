import type { PublicGroupSelector } from '@commune-hub/protocol';
import type Database from 'better-sqlite3';
import type pg from 'pg';

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
  /** SQLite: 0/1; PostgreSQL: a boolean. */
  published: number | boolean;
  created_at: number;
  updated_at: number;
}

const toGroup = (r: GroupDbRow): GroupRow => ({
  slug: r.slug,
  name: r.name,
  description: r.description,
  deviceIds: r.device_ids_json ? (JSON.parse(r.device_ids_json) as string[]) : null,
  selector: r.selector_json ? (JSON.parse(r.selector_json) as PublicGroupSelector) : null,
  published: r.published === 1 || r.published === true,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * The public status tables (made by ./migrations.ts): groups, per-device public tokens, and reports.
 * One async interface, two stores: `SqlitePublicStatusRepository` (the node's `registry.db`) and
 * `PostgresPublicStatusRepository` (HUB_DB=postgres: shared by every node, so every node shows the same
 * groups, the same token per device and every report).
 */
export interface PublicStatusRepository {
  groups(): Promise<GroupRow[]>;
  group(slug: string): Promise<GroupRow | undefined>;
  /** Adds a new group; false when the slug is taken (two nodes may race to create it). */
  insertGroup(g: GroupRow): Promise<boolean>;
  /** Replaces an existing group (its `createdAt` kept). */
  saveGroup(g: GroupRow): Promise<void>;
  removeGroup(slug: string): Promise<boolean>;
  tokens(): Promise<Array<{ deviceId: string; token: string }>>;
  /** The device a public token names, if any. */
  deviceOfToken(token: string): Promise<string | undefined>;
  /**
   * The device's public token: `candidate` if it had none, else the one it has (a token is given once and
   * kept forever, whichever node gave it first).
   */
  ensureToken(deviceId: string, candidate: string, at: number): Promise<string>;
  addReport(r: Omit<ReportRow, 'id'>): Promise<number>;
  /** Reports in [from, to), newest first. */
  reports(from: number, to: number, limit: number): Promise<ReportRow[]>;
}

const groupParams = (g: GroupRow) => [
  g.slug,
  g.name,
  g.description,
  g.deviceIds ? JSON.stringify(g.deviceIds) : null,
  g.selector ? JSON.stringify(g.selector) : null,
  g.published,
  g.createdAt,
  g.updatedAt,
];

const REPORT_COLUMNS = `id, group_slug AS "groupSlug", group_name AS "groupName", device_id AS "deviceId",
  device_name AS "deviceName", text, at`;

/** The public status tables of the node's `registry.db`. The handle is the registry's. */
export class SqlitePublicStatusRepository implements PublicStatusRepository {
  private readonly selectGroups: Database.Statement;
  private readonly selectGroup: Database.Statement;
  private readonly insertGroupStmt: Database.Statement;
  private readonly updateGroup: Database.Statement;
  private readonly deleteGroup: Database.Statement;
  private readonly selectTokens: Database.Statement;
  private readonly selectDevice: Database.Statement;
  private readonly selectToken: Database.Statement;
  private readonly insertToken: Database.Statement;
  private readonly insertReport: Database.Statement;
  private readonly selectReports: Database.Statement;

  constructor(db: Database.Database) {
    this.selectGroups = db.prepare('SELECT * FROM public_status_groups ORDER BY name');
    this.selectGroup = db.prepare('SELECT * FROM public_status_groups WHERE slug = ?');
    this.insertGroupStmt = db.prepare(
      `INSERT INTO public_status_groups
         (slug, name, description, device_ids_json, selector_json, published, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(slug) DO NOTHING`,
    );
    this.updateGroup = db.prepare(
      `UPDATE public_status_groups SET name = ?, description = ?, device_ids_json = ?, selector_json = ?,
         published = ?, updated_at = ? WHERE slug = ?`,
    );
    this.deleteGroup = db.prepare('DELETE FROM public_status_groups WHERE slug = ?');
    this.selectTokens = db.prepare('SELECT device_id AS deviceId, token FROM public_status_tokens');
    this.selectDevice = db.prepare('SELECT device_id AS deviceId FROM public_status_tokens WHERE token = ?');
    this.selectToken = db.prepare('SELECT token FROM public_status_tokens WHERE device_id = ?');
    this.insertToken = db.prepare(
      'INSERT INTO public_status_tokens (device_id, token, created_at) VALUES (?, ?, ?) ON CONFLICT(device_id) DO NOTHING',
    );
    this.insertReport = db.prepare(
      `INSERT INTO public_status_reports (group_slug, group_name, device_id, device_name, text, at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.selectReports = db.prepare(
      `SELECT ${REPORT_COLUMNS}
       FROM public_status_reports WHERE at >= ? AND at < ? ORDER BY at DESC, id DESC LIMIT ?`,
    );
  }

  async groups(): Promise<GroupRow[]> {
    return (this.selectGroups.all() as GroupDbRow[]).map(toGroup);
  }

  async group(slug: string): Promise<GroupRow | undefined> {
    const row = this.selectGroup.get(slug) as GroupDbRow | undefined;
    return row && toGroup(row);
  }

  async insertGroup(g: GroupRow): Promise<boolean> {
    const params = groupParams(g);
    params[5] = g.published ? 1 : 0;
    return this.insertGroupStmt.run(...params).changes > 0;
  }

  async saveGroup(g: GroupRow): Promise<void> {
    const [slug, name, description, ids, selector, , , updatedAt] = groupParams(g);
    this.updateGroup.run(name, description, ids, selector, g.published ? 1 : 0, updatedAt, slug);
  }

  async removeGroup(slug: string): Promise<boolean> {
    return this.deleteGroup.run(slug).changes > 0;
  }

  async tokens(): Promise<Array<{ deviceId: string; token: string }>> {
    return this.selectTokens.all() as Array<{ deviceId: string; token: string }>;
  }

  async deviceOfToken(token: string): Promise<string | undefined> {
    return (this.selectDevice.get(token) as { deviceId: string } | undefined)?.deviceId;
  }

  async ensureToken(deviceId: string, candidate: string, at: number): Promise<string> {
    this.insertToken.run(deviceId, candidate, at);
    return (this.selectToken.get(deviceId) as { token: string }).token;
  }

  async addReport(r: Omit<ReportRow, 'id'>): Promise<number> {
    const info = this.insertReport.run(r.groupSlug, r.groupName, r.deviceId, r.deviceName, r.text, r.at);
    return Number(info.lastInsertRowid);
  }

  async reports(from: number, to: number, limit: number): Promise<ReportRow[]> {
    return this.selectReports.all(from, to, limit) as ReportRow[];
  }
}

/** The public status tables on the PostgreSQL database every node shares (HUB_DB=postgres). */
export class PostgresPublicStatusRepository implements PublicStatusRepository {
  constructor(private readonly pool: pg.Pool) {}

  async groups(): Promise<GroupRow[]> {
    const { rows } = await this.pool.query<GroupDbRow>('SELECT * FROM public_status_groups ORDER BY name');
    return rows.map(toGroup);
  }

  async group(slug: string): Promise<GroupRow | undefined> {
    const { rows } = await this.pool.query<GroupDbRow>('SELECT * FROM public_status_groups WHERE slug = $1', [
      slug,
    ]);
    return rows[0] && toGroup(rows[0]);
  }

  async insertGroup(g: GroupRow): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO public_status_groups
         (slug, name, description, device_ids_json, selector_json, published, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (slug) DO NOTHING`,
      groupParams(g),
    );
    return (rowCount ?? 0) > 0;
  }

  async saveGroup(g: GroupRow): Promise<void> {
    const [slug, name, description, ids, selector, published, , updatedAt] = groupParams(g);
    await this.pool.query(
      `UPDATE public_status_groups SET name = $2, description = $3, device_ids_json = $4, selector_json = $5,
         published = $6, updated_at = $7 WHERE slug = $1`,
      [slug, name, description, ids, selector, published, updatedAt],
    );
  }

  async removeGroup(slug: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM public_status_groups WHERE slug = $1', [slug]);
    return (rowCount ?? 0) > 0;
  }

  async tokens(): Promise<Array<{ deviceId: string; token: string }>> {
    const { rows } = await this.pool.query<{ deviceId: string; token: string }>(
      'SELECT device_id AS "deviceId", token FROM public_status_tokens',
    );
    return rows;
  }

  async deviceOfToken(token: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ device_id: string }>(
      'SELECT device_id FROM public_status_tokens WHERE token = $1',
      [token],
    );
    return rows[0]?.device_id;
  }

  async ensureToken(deviceId: string, candidate: string, at: number): Promise<string> {
    // Two nodes giving the same device a token at once: the first insert wins, the other reads it.
    await this.pool.query(
      `INSERT INTO public_status_tokens (device_id, token, created_at) VALUES ($1, $2, $3)
       ON CONFLICT (device_id) DO NOTHING`,
      [deviceId, candidate, at],
    );
    const { rows } = await this.pool.query<{ token: string }>(
      'SELECT token FROM public_status_tokens WHERE device_id = $1',
      [deviceId],
    );
    return rows[0]!.token;
  }

  async addReport(r: Omit<ReportRow, 'id'>): Promise<number> {
    const { rows } = await this.pool.query<{ id: number }>(
      `INSERT INTO public_status_reports (group_slug, group_name, device_id, device_name, text, at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [r.groupSlug, r.groupName, r.deviceId, r.deviceName, r.text, r.at],
    );
    return rows[0]!.id;
  }

  async reports(from: number, to: number, limit: number): Promise<ReportRow[]> {
    const { rows } = await this.pool.query<ReportRow>(
      `SELECT ${REPORT_COLUMNS}
       FROM public_status_reports WHERE at >= $1 AND at < $2 ORDER BY at DESC, id DESC LIMIT $3`,
      [from, to, limit],
    );
    return rows;
  }
}
