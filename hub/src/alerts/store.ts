import type { AlertMute, AlertRule, AlertSchedule, AlertState, RecurringWindow } from '@commune-hub/protocol';
import type Database from 'better-sqlite3';
import type { AlertRecord } from './model.ts';

export interface StoredMute {
  id: string;
  deviceId: string | null;
  villageId: string | null;
  from: number;
  until: number;
  by: string;
  reason: string;
}

export function muteView(m: StoredMute): AlertMute {
  return { ...m, from: new Date(m.from).toISOString(), until: new Date(m.until).toISOString() };
}

/**
 * Alerting's rows in the registry database: rules, schedules, alerts with their history, mutes and
 * recurring maintenance windows (tables made by ./migrations.ts, run by the one migrator when the
 * registry opens). Rules and schedules are stored as their validated JSON; alerts keep queryable columns
 * beside the full record.
 */
export class AlertStore {
  private readonly upsertAlert: Database.Statement;
  private readonly insertHistory: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.upsertAlert = db.prepare(
      `INSERT INTO alert_alerts (id, key, rule_id, state, since, resolved_at, village_id, device_ids, json)
       VALUES (@id, @key, @ruleId, @state, @since, @resolvedAt, @villageId, @deviceIds, @json)
       ON CONFLICT (id) DO UPDATE SET state = excluded.state, resolved_at = excluded.resolved_at,
         device_ids = excluded.device_ids, json = excluded.json`,
    );
    this.insertHistory = db.prepare(
      'INSERT INTO alert_history (alert_id, at, event, detail) VALUES (?, ?, ?, ?)',
    );
  }

  // ---- rules, schedules, recurring windows: JSON documents by id
  private docs<T>(table: string): T[] {
    return (this.db.prepare(`SELECT json FROM ${table} ORDER BY id`).all() as Array<{ json: string }>).map(
      (r) => JSON.parse(r.json) as T,
    );
  }
  private putDoc(table: string, id: string, doc: unknown): void {
    this.db
      .prepare(
        `INSERT INTO ${table} (id, json) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json`,
      )
      .run(id, JSON.stringify(doc));
  }
  private deleteDoc(table: string, id: string): boolean {
    return this.db.prepare(`DELETE FROM ${table} WHERE id = ?`).run(id).changes > 0;
  }

  rules(): AlertRule[] {
    return this.docs<AlertRule>('alert_rules');
  }
  putRule(rule: AlertRule): void {
    this.putDoc('alert_rules', rule.id, rule);
  }
  deleteRule(id: string): boolean {
    return this.deleteDoc('alert_rules', id);
  }
  schedules(): AlertSchedule[] {
    return this.docs<AlertSchedule>('alert_schedules');
  }
  putSchedule(s: AlertSchedule): void {
    this.putDoc('alert_schedules', s.id, s);
  }
  deleteSchedule(id: string): boolean {
    return this.deleteDoc('alert_schedules', id);
  }
  recurringWindows(): RecurringWindow[] {
    return this.docs<RecurringWindow>('alert_recurring_windows');
  }
  putRecurringWindow(w: RecurringWindow): void {
    this.putDoc('alert_recurring_windows', w.id, w);
  }
  deleteRecurringWindow(id: string): boolean {
    return this.deleteDoc('alert_recurring_windows', id);
  }

  // ---- alerts
  saveAlert(a: AlertRecord): void {
    this.upsertAlert.run({
      id: a.id,
      key: a.key,
      ruleId: a.ruleId,
      state: a.state,
      since: a.since,
      resolvedAt: a.resolvedAt,
      villageId: a.villageId,
      deviceIds: `,${a.deviceIds.join(',')},`,
      json: JSON.stringify(a),
    });
  }
  deleteAlert(id: string): void {
    this.db.prepare('DELETE FROM alert_alerts WHERE id = ?').run(id);
    this.db.prepare('DELETE FROM alert_history WHERE alert_id = ?').run(id);
  }
  addHistory(alertId: string, at: number, event: string, detail: string): void {
    this.insertHistory.run(alertId, at, event, detail);
  }
  history(alertId: string): Array<{ at: number; event: string; detail: string }> {
    return this.db
      .prepare('SELECT at, event, detail FROM alert_history WHERE alert_id = ? ORDER BY at, rowid')
      .all(alertId) as Array<{ at: number; event: string; detail: string }>;
  }
  getAlert(id: string): AlertRecord | undefined {
    const row = this.db.prepare('SELECT json FROM alert_alerts WHERE id = ?').get(id) as
      | { json: string }
      | undefined;
    return row ? (JSON.parse(row.json) as AlertRecord) : undefined;
  }
  openAlerts(): AlertRecord[] {
    return (
      this.db.prepare("SELECT json FROM alert_alerts WHERE state != 'resolved'").all() as Array<{
        json: string;
      }>
    ).map((r) => JSON.parse(r.json) as AlertRecord);
  }
  /** Alerts active at some moment of [from, to), newest first. */
  listAlerts(q: {
    state?: AlertState;
    from: number;
    to: number;
    deviceId?: string;
    villageId?: string;
    limit: number;
  }): AlertRecord[] {
    const where = ['since < @to', '(resolved_at IS NULL OR resolved_at >= @from)'];
    if (q.state) where.push('state = @state');
    if (q.villageId) where.push('village_id = @villageId');
    if (q.deviceId) where.push("device_ids LIKE '%,' || @deviceId || ',%'");
    return (
      this.db
        .prepare(
          `SELECT json FROM alert_alerts WHERE ${where.join(' AND ')} ORDER BY since DESC LIMIT @limit`,
        )
        .all({
          ...q,
          state: q.state ?? null,
          deviceId: q.deviceId ?? null,
          villageId: q.villageId ?? null,
        }) as Array<{
        json: string;
      }>
    ).map((r) => JSON.parse(r.json) as AlertRecord);
  }

  // ---- mutes
  mutes(activeAt?: number): StoredMute[] {
    const rows =
      activeAt == null
        ? this.db.prepare('SELECT * FROM alert_mutes ORDER BY from_ms').all()
        : this.db.prepare('SELECT * FROM alert_mutes WHERE until_ms > ? ORDER BY from_ms').all(activeAt);
    return (rows as Array<Record<string, unknown>>).map((r) => ({
      id: String(r.id),
      deviceId: (r.device_id as string | null) ?? null,
      villageId: (r.village_id as string | null) ?? null,
      from: Number(r.from_ms),
      until: Number(r.until_ms),
      by: String(r.by),
      reason: String(r.reason),
    }));
  }
  addMute(m: StoredMute): void {
    this.db
      .prepare(
        'INSERT INTO alert_mutes (id, device_id, village_id, from_ms, until_ms, by, reason) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(m.id, m.deviceId, m.villageId, m.from, m.until, m.by, m.reason);
  }
  deleteMute(id: string): boolean {
    return this.db.prepare('DELETE FROM alert_mutes WHERE id = ?').run(id).changes > 0;
  }
}
