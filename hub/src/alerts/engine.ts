import type { AlertRule, AlertSchedule, AlertState, DeviceStatus, Metrics } from '@commune-hub/protocol';
import { type ClassifyOptions, classifyVillage, type VillageOutage } from '../correlation/classify.ts';
import {
  type CriterionSnapshot,
  criterionRisk,
  criterionTitle,
  type RiskVerdict,
  watches,
} from './criterion.ts';
import {
  type AlertRecord,
  type AlertSink,
  type DeviceInfo,
  type DeviceLive,
  deviceTitle,
  holdMs,
  matchesScope,
  type SilenceLookup,
  villageTitle,
} from './model.ts';
import { isWorkingTime, nextWorkingStart } from './schedule.ts';

/** The world the engine reads: devices by id and by village. */
export interface EngineDirectory {
  device(id: string): DeviceInfo | undefined;
  villageDevices(villageId: string): DeviceInfo[];
  /** Devices whose registered parent is this device. */
  children(parentId: string): DeviceInfo[];
}

interface Candidate {
  rule: AlertRule;
  deviceId: string;
  since: number;
}

interface CriterionCandidate {
  rule: AlertRule;
  snapshot: CriterionSnapshot;
  verdict: RiskVerdict;
  since: number;
}

const STATUS_RULES = new Set(['offline_for', 'degraded_for']);
/** Alerts of `criterion_at_risk` rules: `criterion|<rule>|<set>|<code>`, one per rule and criterion. */
const CRITERION_KEY = 'criterion|';
const HEARTBEAT_RULES = new Set(['device_fault', 'metric_threshold']);

/**
 * The rule engine. Pure of I/O and timers: inputs are method calls (`onStatus`, `onHeartbeat`, `tick`)
 * carrying hub-clock times, outputs go to the sink. A condition true for a device is a *candidate*;
 * candidates are tracked even while suppressed (parent down, village outage), so suppression never stops
 * monitoring: when the suppressor ends, a still-true candidate fires at once (its hold already elapsed).
 */
export class AlertEngine {
  private rules: AlertRule[] = [];
  private schedules = new Map<string, AlertSchedule>();
  private readonly rulesOf = new Map<string, AlertRule[]>();
  private readonly live = new Map<string, DeviceLive>();
  private readonly candidates = new Map<string, Candidate>();
  /** Open alerts (pending, firing, acknowledged) by key. */
  private readonly open = new Map<string, AlertRecord>();
  private maxFlapWindowMs = 0;
  private uptimeCheckedAt = Number.NEGATIVE_INFINITY;
  /** Devices heard since start: an alert restored from the database on a heartbeat rule waits for one. */
  private readonly heard = new Set<string>();
  /** Village outages that just ended: their devices get the window to come back before alerting alone. */
  private readonly settling = new Map<string, { until: number; deviceIds: string[] }>();
  /** The last live evaluation of each criteria set (since start) and the criteria at risk in it. */
  private readonly criteriaSets = new Map<string, { rows: CriterionSnapshot[]; at: number }>();
  private readonly criterionCandidates = new Map<string, CriterionCandidate>();

  constructor(
    private readonly directory: EngineDirectory,
    private readonly sink: AlertSink,
    private readonly silence: SilenceLookup,
    private readonly newId: () => string,
    private readonly correlation: ClassifyOptions,
    private readonly uptimeRatio: (deviceId: string, from: number, to: number) => number | null = () => null,
  ) {}

  setRules(rules: AlertRule[]): void {
    this.rules = rules.filter((r) => r.enabled);
    this.rulesOf.clear();
    this.maxFlapWindowMs = Math.max(
      0,
      ...this.rules.map((r) => (r.condition.kind === 'flapping' ? r.condition.withinMin * 60_000 : 0)),
    );
    const byId = new Map(this.rules.map((r) => [r.id, r]));
    for (const [key, c] of this.candidates) {
      const rule = byId.get(c.rule.id);
      const d = this.directory.device(c.deviceId);
      if (!rule || !d || !matchesScope(rule.scope, d)) this.candidates.delete(key);
      else c.rule = rule;
    }
    // Conditions of status rules are known now for every device; heartbeat rules learn on the next beat.
    for (const [id, live] of this.live) this.refreshStatus(id, live, live.since);
    // Criterion rules are judged at once against each set's last evaluation.
    for (const setId of this.criteriaSets.keys()) this.refreshCriteria(setId);
  }

  /** A live evaluation of a criteria set over the current period (`criteria.evaluated`). */
  onCriteria(setId: string, rows: CriterionSnapshot[], at: number): void {
    this.criteriaSets.set(setId, { rows, at });
    this.refreshCriteria(setId);
  }

  private refreshCriteria(setId: string): void {
    const evaluated = this.criteriaSets.get(setId);
    if (!evaluated) return;
    const atRisk = new Set<string>();
    for (const rule of this.rules) {
      const c = rule.condition;
      if (c.kind !== 'criterion_at_risk' || c.setId !== setId) continue;
      for (const snapshot of evaluated.rows) {
        if (!watches(c, snapshot)) continue;
        const verdict = criterionRisk(c, snapshot);
        if (!verdict.atRisk) continue;
        const key = `${CRITERION_KEY}${rule.id}|${setId}|${snapshot.code}`;
        atRisk.add(key);
        const existing = this.criterionCandidates.get(key);
        if (existing) Object.assign(existing, { rule, snapshot, verdict });
        else this.criterionCandidates.set(key, { rule, snapshot, verdict, since: evaluated.at });
      }
    }
    for (const [key, cand] of this.criterionCandidates)
      if (cand.snapshot.setId === setId && !atRisk.has(key)) this.criterionCandidates.delete(key);
  }

  setSchedules(schedules: AlertSchedule[]): void {
    this.schedules = new Map(schedules.map((s) => [s.id, s]));
  }

  /** Forget cached rule matches of a device (its village, tags, parent changed). */
  deviceChanged(id: string): void {
    this.rulesOf.delete(id);
  }

  /** Open alerts loaded from the database at start. */
  restore(alerts: AlertRecord[]): void {
    for (const a of alerts) this.open.set(a.key, a);
  }

  openAlerts(): AlertRecord[] {
    return [...this.open.values()];
  }

  rulesFor(id: string): AlertRule[] {
    let list = this.rulesOf.get(id);
    if (!list) {
      const d = this.directory.device(id);
      if (!d) return [];
      list = this.rules.filter((r) => matchesScope(r.scope, d));
      this.rulesOf.set(id, list);
    }
    return list;
  }

  /** A device's status (and battery) as liveness sees it; `transitionAt` set when the status changed. */
  onStatus(id: string, status: DeviceStatus, since: number, onBattery: boolean, transitionAt?: number): void {
    let live = this.live.get(id);
    const known = live != null;
    if (!live) {
      live = { status, since, onBattery, flaps: [] };
      this.live.set(id, live);
    }
    live.onBattery = onBattery;
    // Most calls are a heartbeat that changed nothing but lastSeen: no status rule can change then.
    if (known && transitionAt == null && live.status === status && live.since === since) return;
    if (transitionAt != null && (live.status !== status || live.since !== since)) {
      live.status = status;
      live.since = since;
      if (this.maxFlapWindowMs > 0) {
        live.flaps.push(transitionAt);
        while ((live.flaps[0] ?? Number.POSITIVE_INFINITY) < transitionAt - this.maxFlapWindowMs)
          live.flaps.shift();
      }
    } else {
      live.status = status;
      live.since = since;
    }
    this.refreshStatus(id, live, transitionAt ?? since);
  }

  private refreshStatus(id: string, live: DeviceLive, at: number): void {
    for (const rule of this.rulesFor(id)) {
      const c = rule.condition;
      const key = `${rule.id}|${id}`;
      if (c.kind === 'offline_for') this.setCandidate(key, rule, id, live.status === 'offline', live.since);
      else if (c.kind === 'degraded_for')
        this.setCandidate(key, rule, id, live.status === 'degraded', live.since);
      else if (c.kind === 'flapping') {
        const inWindow = live.flaps.filter((t) => t >= at - c.withinMin * 60_000);
        this.setCandidate(key, rule, id, inWindow.length > c.transitions, inWindow[0] ?? at);
      }
    }
  }

  /** A live heartbeat: faults and metric thresholds. Cheap when no heartbeat rule covers the device. */
  onHeartbeat(id: string, at: number, metrics: Metrics, faults: readonly string[]): void {
    const live = this.live.get(id);
    if (live) live.onBattery = metrics.powerSource === 'battery';
    this.heard.add(id);
    for (const rule of this.rulesFor(id)) {
      const c = rule.condition;
      if (!HEARTBEAT_RULES.has(c.kind)) continue;
      const key = `${rule.id}|${id}`;
      if (c.kind === 'device_fault') {
        const hit = c.faults ? faults.some((f) => c.faults?.includes(f)) : faults.length > 0;
        this.setCandidate(key, rule, id, hit, at);
      } else if (c.kind === 'metric_threshold') {
        const v = metrics[c.metric];
        if (typeof v !== 'number') continue; // not reported: keep what we knew
        const hit =
          c.op === '<'
            ? v < c.value
            : c.op === '<='
              ? v <= c.value
              : c.op === '>'
                ? v > c.value
                : v >= c.value;
        this.setCandidate(key, rule, id, hit, at);
      }
    }
  }

  private setCandidate(key: string, rule: AlertRule, deviceId: string, active: boolean, since: number): void {
    const existing = this.candidates.get(key);
    if (!active) this.candidates.delete(key);
    else if (!existing) this.candidates.set(key, { rule, deviceId, since });
  }

  /** Periodic evaluation: holds elapsed, correlation, suppression, notifications. */
  tick(now: number): void {
    this.evaluateSlidingConditions(now);
    const outages = this.evaluateVillages(now);
    this.evaluateDevices(now, outages);
    this.evaluateCriteria(now);
    for (const alert of this.open.values()) this.notifications(alert, now);
  }

  private evaluateSlidingConditions(now: number): void {
    // Flapping clears as its window slides: only the devices that are flapping now are looked at.
    for (const [key, cand] of this.candidates) {
      const c = cand.rule.condition;
      if (c.kind !== 'flapping') continue;
      const flaps = this.live.get(cand.deviceId)?.flaps ?? [];
      const n = flaps.filter((t) => t >= now - c.withinMin * 60_000).length;
      if (n <= c.transitions) this.candidates.delete(key);
    }
    // Uptime over hours moves slowly and costs a coverage computation per device: once a minute is enough.
    if (now - this.uptimeCheckedAt < 60_000) return;
    this.uptimeCheckedAt = now;
    for (const rule of this.rules) {
      const c = rule.condition;
      if (c.kind === 'uptime_below') {
        for (const id of this.live.keys()) {
          if (!this.rulesFor(id).includes(rule)) continue;
          const ratio = this.uptimeRatio(id, now - c.windowHours * 3600_000, now);
          this.setCandidate(`${rule.id}|${id}`, rule, id, ratio != null && ratio * 100 < c.targetPct, now);
        }
      }
    }
  }

  /** Village outages now, by village id; opens, updates and resolves the correlated alerts. */
  private evaluateVillages(now: number): Map<string, VillageOutage> {
    const villages = new Set<string>();
    for (const c of this.candidates.values()) {
      if (!STATUS_RULES.has(c.rule.condition.kind)) continue;
      const d = this.directory.device(c.deviceId);
      if (d) villages.add(d.villageId);
    }
    for (const a of this.open.values())
      if (a.key.startsWith('village|') && a.villageId) villages.add(a.villageId);

    const outages = new Map<string, VillageOutage>();
    for (const villageId of villages) {
      const key = `village|${villageId}`;
      const existing = this.open.get(key);
      const members = this.directory.villageDevices(villageId);
      const states = members.map((d) => {
        const live = this.live.get(d.id);
        const down = live?.status === 'offline';
        return {
          id: d.id,
          kind: d.kind,
          parentId: d.parentId,
          down,
          downAt: down ? (live?.since ?? null) : null,
          onBattery: live?.status !== 'offline' && (live?.onBattery ?? false),
        };
      });
      const { outage } = classifyVillage(states, {
        ...this.correlation,
        activeSince: existing?.since ?? null,
      });
      if (!outage) {
        if (existing) {
          this.resolve(existing, now, 'hết sự cố diện rộng');
          this.settling.set(villageId, {
            until: now + this.correlation.windowMs,
            deviceIds: existing.deviceIds,
          });
        }
        continue;
      }
      const covered = outage.deviceIds.flatMap((id) =>
        [...this.candidates.values()].filter(
          (c) => c.deviceId === id && STATUS_RULES.has(c.rule.condition.kind),
        ),
      );
      if (covered.length === 0 && !existing) continue;
      outages.set(villageId, outage);
      const rules = [...new Set(covered.map((c) => c.rule))];
      const due = covered.some((c) => now - c.since >= holdMs(c.rule));
      const village = members[0]?.village ?? villageId;
      if (!existing) {
        const alert = this.create(key, now, {
          ruleId: `builtin.${outage.cause}`,
          ruleName: outage.cause === 'power_cut' ? 'Mất điện thôn' : 'Mất mạng thôn',
          severity: 'critical',
          cause: outage.cause,
          title: villageTitle(village, outage.cause),
          condition: outage.cause,
          villageId,
          village,
          deviceIds: outage.deviceIds,
          since: outage.since,
          channelIds: [...new Set(rules.flatMap((r) => r.notify.channelIds))],
        });
        this.sink.history(alert, now, 'correlated', `${outage.evidence}: ${outage.deviceIds.join(', ')}`);
      } else {
        const before = existing.state;
        let changed = false;
        if (existing.cause !== outage.cause) {
          existing.cause = outage.cause;
          existing.ruleId = `builtin.${outage.cause}`;
          existing.title = villageTitle(village, outage.cause);
          existing.condition = outage.cause;
          changed = true;
        }
        if (existing.deviceIds.join() !== outage.deviceIds.join()) {
          existing.deviceIds = outage.deviceIds;
          changed = true;
        }
        const channels = [...new Set([...existing.channelIds, ...rules.flatMap((r) => r.notify.channelIds)])];
        if (channels.length !== existing.channelIds.length) {
          existing.channelIds = channels;
          changed = true;
        }
        if (changed) this.sink.changed(existing, before, now);
      }
      const alert = this.open.get(key);
      if (alert && alert.state === 'pending' && due) this.fire(alert, now);
    }
    return outages;
  }

  private evaluateDevices(now: number, outages: Map<string, VillageOutage>): void {
    for (const [v, s] of this.settling) if (now >= s.until) this.settling.delete(v);
    const seen = new Set<string>();
    for (const [key, c] of this.candidates) {
      const d = this.directory.device(c.deviceId);
      if (!d) continue;
      seen.add(key);
      const existing = this.open.get(key);
      const outage = STATUS_RULES.has(c.rule.condition.kind) ? outages.get(d.villageId) : undefined;
      const parent = d.parentId ? this.live.get(d.parentId) : undefined;
      const settling = this.settling.get(d.villageId);
      // A parent or a village that just came back gets the correlation window for its devices to reconnect.
      const parentBack =
        parent != null && parent.status !== 'offline' && now - parent.since < this.correlation.windowMs;
      const villageBack = settling != null && now < settling.until && settling.deviceIds.includes(d.id);
      const suppressedBy = outage?.deviceIds.includes(d.id)
        ? `village|${d.villageId}`
        : parent?.status === 'offline' || parentBack
          ? `parent ${d.parentId}`
          : villageBack
            ? `village|${d.villageId} (vừa có lại)`
            : null;
      if (suppressedBy) {
        // Zabbix-style dependency: the dependent neither changes state nor notifies. A pending alert of
        // it goes away; one that already fired before the cause stays (it was real on its own).
        if (existing?.state === 'pending') {
          this.open.delete(key);
          this.sink.discarded(existing, now, `suppressed by ${suppressedBy}`);
        }
        continue;
      }
      const children = this.downChildren(d.id);
      const cause = children.length > 0 && c.rule.condition.kind === 'offline_for' ? 'parent_down' : 'device';
      const alert =
        existing ??
        this.create(key, now, {
          ruleId: c.rule.id,
          ruleName: c.rule.name,
          severity: c.rule.severity,
          cause,
          title: deviceTitle(d, c.rule.condition.kind, cause, children.length),
          condition: c.rule.condition.kind,
          villageId: d.villageId,
          village: d.village,
          deviceIds: [d.id, ...children],
          since: c.since,
          channelIds: c.rule.notify.channelIds,
        });
      const deviceIds = [d.id, ...children];
      if (alert.deviceIds.join() !== deviceIds.join() || alert.cause !== cause) {
        alert.deviceIds = deviceIds;
        alert.cause = cause;
        alert.title = deviceTitle(d, c.rule.condition.kind, cause, children.length);
        this.sink.changed(alert, alert.state, now);
      }
      if (alert.state === 'pending' && now - c.since >= holdMs(c.rule)) this.fire(alert, now);
    }
    for (const [key, alert] of this.open) {
      if (key.startsWith('village|') || key.startsWith(CRITERION_KEY) || seen.has(key)) continue;
      // Restored after a restart: a fault or threshold is only known clear once the device spoke again.
      if (HEARTBEAT_RULES.has(alert.condition) && !this.heard.has(alert.deviceIds[0] ?? '')) continue;
      if (alert.state === 'pending') {
        this.open.delete(key);
        this.sink.discarded(alert, now, 'condition cleared before firing');
      } else this.resolve(alert, now, 'điều kiện hết');
    }
  }

  /** Criteria at risk: one alert per rule and criterion, listing the criterion's devices down now. */
  private evaluateCriteria(now: number): void {
    for (const [key, cand] of this.criterionCandidates) {
      const { rule, snapshot, verdict } = cand;
      const title = criterionTitle(snapshot, verdict.why);
      const deviceIds = snapshot.deviceIds.filter((id) => {
        const status = this.live.get(id)?.status;
        return this.directory.device(id) != null && status !== 'online' && status !== 'degraded';
      });
      const existing = this.open.get(key);
      const alert =
        existing ??
        this.create(key, now, {
          ruleId: rule.id,
          ruleName: rule.name,
          severity: rule.severity,
          cause: 'criterion',
          title,
          condition: 'criterion_at_risk',
          villageId: null,
          village: null,
          deviceIds,
          since: cand.since,
          channelIds: rule.notify.channelIds,
        });
      if (existing && (alert.title !== title || alert.deviceIds.join() !== deviceIds.join())) {
        alert.title = title;
        alert.deviceIds = deviceIds;
        this.sink.changed(alert, alert.state, now);
      }
      if (alert.state === 'pending' && now - cand.since >= holdMs(rule)) this.fire(alert, now);
    }
    for (const [key, alert] of this.open) {
      if (!key.startsWith(CRITERION_KEY) || this.criterionCandidates.has(key)) continue;
      const [, ruleId = '', setId = ''] = key.split('|');
      // Restored after a restart: known clear only once its set was evaluated again (or its rule is gone).
      const ruleLive = this.rules.some((r) => r.id === ruleId);
      if (ruleLive && !this.criteriaSets.has(setId)) continue;
      this.resolve(alert, now, 'chỉ tiêu hết nguy cơ');
    }
  }

  private downChildren(parentId: string): string[] {
    return this.directory
      .children(parentId)
      .filter((c) => this.live.get(c.id)?.status === 'offline')
      .map((c) => c.id)
      .sort();
  }

  private create(
    key: string,
    now: number,
    fields: Pick<
      AlertRecord,
      | 'ruleId'
      | 'ruleName'
      | 'severity'
      | 'cause'
      | 'title'
      | 'condition'
      | 'villageId'
      | 'village'
      | 'deviceIds'
      | 'since'
      | 'channelIds'
    >,
  ): AlertRecord {
    const alert: AlertRecord = {
      id: this.newId(),
      key,
      state: 'pending',
      ...fields,
      firedAt: null,
      ackBy: null,
      ackNote: null,
      ackAt: null,
      resolvedAt: null,
      notifyCount: 0,
      renotifyCount: 0,
      lastNotifiedAt: null,
      escalated: false,
      silencedBy: null,
      deferredUntil: null,
      recordOnly: false,
    };
    this.open.set(key, alert);
    this.sink.changed(alert, null, now);
    return alert;
  }

  private fire(alert: AlertRecord, now: number): void {
    alert.state = 'firing';
    alert.firedAt = now;
    const policy = this.policyNow(alert, now);
    if (policy.outside === 'record') {
      // Fired outside the schedule of a rule that only records: kept and shown, never sent.
      alert.recordOnly = true;
      alert.silencedBy = 'outside_schedule';
    }
    this.sink.changed(alert, 'pending', now);
    if (alert.recordOnly) this.sink.history(alert, now, 'silenced', 'outside_schedule (record)');
  }

  private resolve(alert: AlertRecord, now: number, why: string): void {
    const before = alert.state;
    this.open.delete(alert.key);
    if (before === 'pending') {
      this.sink.discarded(alert, now, why);
      return;
    }
    alert.state = 'resolved';
    alert.resolvedAt = now;
    alert.deferredUntil = null;
    this.sink.changed(alert, before, now);
    const rules = this.rulesOfAlert(alert);
    // A correlated alert's candidates are gone once it resolves: no rule left to say no, so it tells.
    if (alert.notifyCount > 0 && (rules.length === 0 || rules.some((r) => r.notify.onResolve !== false)))
      this.sink.notify(alert, 'resolved', alert.channelIds, now);
  }

  acknowledge(id: string, by: string, note: string | null, now: number): AlertRecord | undefined {
    const alert = [...this.open.values()].find((a) => a.id === id);
    if (!alert || alert.state !== 'firing') return alert;
    alert.state = 'acknowledged';
    alert.ackBy = by;
    alert.ackNote = note;
    alert.ackAt = now;
    alert.deferredUntil = null;
    this.sink.changed(alert, 'firing', now);
    return alert;
  }

  /** Rules behind an alert: its own, or for a correlated alert the rules of the candidates it covers. */
  private rulesOfAlert(alert: AlertRecord): AlertRule[] {
    if (!alert.key.startsWith('village|')) {
      const rule = this.rules.find((r) => r.id === alert.ruleId);
      return rule ? [rule] : [];
    }
    const set = new Set<AlertRule>();
    for (const c of this.candidates.values()) if (alert.deviceIds.includes(c.deviceId)) set.add(c.rule);
    return [...set];
  }

  /**
   * Which channels may be told now, and if none, why: per rule, in schedule (or `notify` outside it) →
   * its channels; `defer` → the next working start; `record` → nothing.
   */
  private policyNow(
    alert: AlertRecord,
    now: number,
  ): { channels: string[]; outside: 'record' | 'defer' | null; deferTo: number | null; rules: AlertRule[] } {
    const rules = this.rulesOfAlert(alert);
    const channels = new Set<string>();
    let deferTo: number | null = null;
    let anyDefer = false;
    let anyInSchedule = false;
    for (const rule of rules) {
      const schedule = rule.scheduleId ? this.schedules.get(rule.scheduleId) : undefined;
      if (!schedule || rule.outsideSchedule === 'notify' || isWorkingTime(schedule, now)) {
        anyInSchedule = true;
        for (const ch of rule.notify.channelIds) channels.add(ch);
      } else if (rule.outsideSchedule === 'defer') {
        anyDefer = true;
        const next = nextWorkingStart(schedule, now);
        if (next != null && (deferTo == null || next < deferTo)) deferTo = next;
      }
    }
    const outside = anyInSchedule || rules.length === 0 ? null : anyDefer ? 'defer' : 'record';
    return { channels: [...channels], outside, deferTo, rules };
  }

  private silencedNow(alert: AlertRecord, now: number): 'muted' | 'maintenance' | null {
    const devices = alert.deviceIds.map((id) => this.directory.device(id)).filter((d) => d != null);
    if (devices.length === 0) return null;
    const reasons = devices.map((d) => this.silence(d, now));
    return reasons.every((r) => r != null) ? (reasons[0] ?? null) : null;
  }

  private notifications(alert: AlertRecord, now: number): void {
    if (alert.state !== 'firing' || alert.recordOnly) return;
    const policy = this.policyNow(alert, now);
    const silenced = this.silencedNow(alert, now) ?? (policy.outside ? 'outside_schedule' : null);
    const deferredUntil =
      silenced === 'outside_schedule' && policy.outside === 'defer' ? policy.deferTo : null;
    if (silenced !== alert.silencedBy || deferredUntil !== alert.deferredUntil) {
      alert.silencedBy = silenced;
      alert.deferredUntil = deferredUntil;
      this.sink.changed(alert, alert.state, now);
      if (silenced) this.sink.history(alert, now, deferredUntil ? 'deferred' : 'silenced', silenced);
    }
    if (silenced || policy.channels.length === 0) return;
    const notify = policy.rules.map((r) => r.notify);
    if (alert.notifyCount === 0) {
      this.send(alert, 'fired', policy.channels, now);
      return;
    }
    const renotify = notify.find((n) => n.renotifyEveryMin != null);
    if (
      renotify?.renotifyEveryMin != null &&
      alert.renotifyCount < (renotify.renotifyMax ?? 3) &&
      alert.lastNotifiedAt != null &&
      now - alert.lastNotifiedAt >= renotify.renotifyEveryMin * 60_000
    ) {
      alert.renotifyCount++;
      this.send(alert, 'renotify', policy.channels, now);
    }
    const escalate = notify.find((n) => n.escalate)?.escalate;
    if (
      escalate &&
      !alert.escalated &&
      alert.firedAt != null &&
      now - alert.firedAt >= escalate.afterMin * 60_000
    ) {
      alert.escalated = true;
      this.send(alert, 'escalate', escalate.channelIds, now);
    }
  }

  private send(
    alert: AlertRecord,
    kind: 'fired' | 'renotify' | 'escalate',
    channels: string[],
    now: number,
  ): void {
    alert.notifyCount++;
    alert.lastNotifiedAt = now;
    this.sink.changed(alert, alert.state as AlertState, now);
    this.sink.notify(alert, kind, channels, now);
  }
}
