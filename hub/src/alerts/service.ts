import type {
  Alert,
  AlertMuteInput,
  AlertRule,
  AlertRuleInput,
  AlertRuleView,
  AlertSchedule,
  AlertScheduleInput,
  AlertScheduleView,
  AlertState,
  AlertWithHistory,
  RecurringWindow,
  RecurringWindowInput,
} from '@commune-hub/protocol';
import { Scope } from '../auth/scope.ts';
import type { Clock } from '../clock.ts';
import { HubError } from '../errors.ts';
import type { EventBus } from '../events/bus.ts';
import type { Logger } from '../logger.ts';
import type { DeviceRecord, Registry } from '../registry/registry.ts';
import type { MaintenanceStore } from '../uptime/maintenance.ts';
import {
  chosenIdRefused,
  hubChosenId,
  mayChange,
  mustReachAll,
  scopedLookup,
  targetReach,
} from './access.ts';
import { type CriterionSnapshot, snapshotsOf } from './criterion.ts';
import { AlertEngine, type EngineDirectory } from './engine.ts';
import { type AlertRecord, type AlertSink, type DeviceInfo, matchesScope, toAlertView } from './model.ts';
import { isWorkingTime } from './schedule.ts';
import { type AlertStore, muteView, type StoredMute } from './store.ts';
import {
  type ScopeLookup,
  validateMuteInput,
  validateRecurringInput,
  validateRuleInput,
  validateScheduleInput,
} from './validate.ts';

export interface AlertServiceOptions {
  tickMs: number;
  correlationWindowMs: number;
  /** Evaluate at all (the benchmark's "without alerting" side turns it off). */
  enabled: boolean;
  channelExists: (id: string) => boolean;
  uptimeRatio?: (deviceId: string, from: number, to: number) => number | null;
  /**
   * The criteria sets loaded now, to refuse a `criterion_at_risk` rule naming a set or code that does not
   * exist (absent: the criteria part is not running, any set id is accepted).
   */
  criteriaSets?: () => Array<{ id: string; criteria: Array<{ code: string; measured: boolean }> }>;
  /** A device's live state now (the liveness tracker); absent: as the registry last persisted it. */
  liveOf?: (
    deviceId: string,
  ) =>
    | { status: DeviceRecord['live']['status']; since: number; metrics: DeviceRecord['live']['metrics'] }
    | undefined;
}

const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 48) || 'x';

/**
 * Alerting as a component: owns the engine, its tick timer and its tables; listens on the bus
 * (liveness.changed, heartbeat.accepted, device and village changes, criteria.evaluated,
 * alert.ackRequested) and publishes
 * alert.changed and alert.notify. Routes call its methods; nothing else reaches into the engine.
 */
/** Internal callers (the engine, bots, tests) act for the whole hub. */
const ALL = Scope.all();

export class AlertService {
  private engine: AlertEngine;
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly devices = new Map<string, DeviceInfo>();
  private readonly byVillage = new Map<string, DeviceInfo[]>();
  private readonly byParent = new Map<string, DeviceInfo[]>();
  private mutes: StoredMute[] = [];
  private recurring: RecurringWindow[] = [];
  private seq = 0;
  private started = false;

  constructor(
    private readonly clock: Clock,
    private readonly registry: Registry,
    private readonly maintenance: MaintenanceStore,
    private readonly events: EventBus,
    private readonly store: AlertStore,
    private readonly log: Logger,
    private readonly options: AlertServiceOptions,
    private readonly countRejected: (what: string) => void = () => {},
  ) {
    this.engine = this.newEngine();
  }

  /** A fresh engine: at construction, and each time this node takes up evaluation (it may have led before). */
  private newEngine(): AlertEngine {
    const directory: EngineDirectory = {
      device: (id) => this.devices.get(id),
      villageDevices: (v) => this.byVillage.get(v) ?? [],
      children: (p) => this.byParent.get(p) ?? [],
    };
    const sink: AlertSink = {
      changed: (a, previous, at) => this.onChanged(a, previous, at),
      discarded: (a, at, why) => {
        this.store.deleteAlert(a.id);
        this.events.emit('alert.changed', { alert: this.view(a), previous: 'pending', at, discarded: true });
        this.log.debug({ alert: a.id, why }, 'pending alert discarded');
      },
      history: (a, at, event, detail) => this.store.addHistory(a.id, at, event, detail),
      notify: (a, kind, channelIds, at) =>
        this.events.emit('alert.notify', {
          id: `${a.id}:${kind}:${a.notifyCount}`,
          alert: this.view(a),
          kind,
          channelIds,
          at,
        }),
    };
    return new AlertEngine(
      directory,
      sink,
      (d, at) => this.silenceOf(d, at),
      () => this.newId(),
      { windowMs: this.options.correlationWindowMs, minDevices: 3, minFraction: 0.6 },
      this.options.uptimeRatio,
    );
  }

  /** Whether this node evaluates (the leader of a cluster; a sole node always). */
  get running(): boolean {
    return this.started;
  }

  /**
   * Starts evaluating: on a sole node at boot; in a cluster on the node that becomes the leader, which
   * continues from the open alerts, rules and mutes every node shares (HUB_DB=postgres).
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.engine = this.newEngine();
    this.reindex();
    this.mutes = this.store.mutes();
    this.recurring = this.store.recurringWindows();
    this.engine.setSchedules(this.store.schedules());
    this.engine.setRules(this.store.rules());
    this.engine.restore(this.store.openAlerts());
    if (!this.options.enabled) return;
    // Devices' state as the registry last persisted it: an outage that began before a restart still counts.
    // (In a cluster the tracker's view, which follows every node's transitions: the registry's copy of a
    // device another node held is as old as that node's last write-behind.)
    for (const r of this.registry.list()) {
      const live = this.options.liveOf?.(r.id) ?? r.live;
      this.engine.onStatus(r.id, live.status, live.since, live.metrics.powerSource === 'battery');
    }
    const on = this.events.on.bind(this.events);
    this.unsubscribe.push(
      on('liveness.changed', ({ device, transition }) =>
        this.engine.onStatus(
          device.id,
          device.status,
          device.since,
          device.metrics.powerSource === 'battery',
          transition?.at,
        ),
      ),
      on('heartbeat.accepted', ({ device, row, use }) => {
        if (use === 'live') this.engine.onHeartbeat(device.id, row.receivedAt, row.m, row.faults);
      }),
      // The registry changes only through DeviceService, which says so here: the index follows one device
      // at a time (a 10,000-row import costs 10,000 small updates, not 10,000 full re-reads).
      on('device.created', ({ device }) => this.index(device)),
      on('device.updated', ({ device }) => this.index(device)),
      on('device.disabled', ({ device }) => this.index(device)),
      on('village.updated', ({ devices }) => {
        for (const device of devices) this.index(device);
      }),
      // Criteria live re-evaluates the current month after device changes: a criterion about to fail.
      on('criteria.evaluated', ({ setId, evaluation, at }) => {
        let rows: CriterionSnapshot[];
        try {
          rows = snapshotsOf(evaluation);
        } catch (err) {
          this.log.warn({ err, set: setId }, 'criteria evaluation not understood');
          return;
        }
        this.engine.onCriteria(setId, rows, at);
      }),
      on('alert.ackRequested', (e) => {
        try {
          this.acknowledge(e.alertId, e.by, e.note ?? null);
        } catch (err) {
          this.log.warn({ err, alert: e.alertId }, 'acknowledgement refused');
        }
      }),
    );
    this.timer = setInterval(() => this.tick(), this.options.tickMs);
    this.timer.unref?.();
  }

  stop(): void {
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const off of this.unsubscribe.splice(0)) off();
  }

  /** One evaluation now (the timer calls it; tests and benchmarks may too). */
  tick(): void {
    try {
      this.engine.tick(this.clock.now());
    } catch (err) {
      this.log.error({ err }, 'alert evaluation failed');
    }
  }

  private newId(): string {
    this.seq = (this.seq + 1) % 1_000_000;
    return `al-${this.clock.now().toString(36)}-${this.seq.toString(36)}`;
  }

  /** The whole index from the registry, at start. */
  private reindex(): void {
    this.devices.clear();
    this.byVillage.clear();
    this.byParent.clear();
    for (const r of this.registry.list()) this.index(r);
  }

  /** One device created, edited, disabled or moved with its village: its place in the index, nothing else. */
  private index(record: DeviceRecord): void {
    const old = this.devices.get(record.id);
    if (old) {
      this.devices.delete(old.id);
      removeFrom(this.byVillage, old.villageId, old.id);
      if (old.parentId) removeFrom(this.byParent, old.parentId, old.id);
    }
    if (!record.disabled) {
      const d = this.info(record);
      this.devices.set(d.id, d);
      addTo(this.byVillage, d.villageId, d);
      if (d.parentId) addTo(this.byParent, d.parentId, d);
    }
    this.engine.deviceChanged(record.id);
  }

  private info(r: DeviceRecord): DeviceInfo {
    return {
      id: r.id,
      kind: r.kind,
      name: r.name,
      village: r.village,
      villageId: r.villageId,
      communeId: this.registry.places.village(r.villageId)?.communeId ?? null,
      parentId: r.parentId,
      tags: r.tags,
    };
  }

  private silenceOf(d: DeviceInfo, at: number): 'muted' | 'maintenance' | null {
    if (
      this.mutes.some(
        (m) => m.from <= at && at < m.until && (m.deviceId === d.id || m.villageId === d.villageId),
      )
    )
      return 'muted';
    if (this.maintenance.activeAt(d.id, at)) return 'maintenance';
    for (const w of this.recurring) {
      if (!matchesScope(w.scope, d)) continue;
      const asSchedule = {
        hours: w.hours,
        publicHolidays: false,
        daysOff: [],
        workingDays: [],
      } as unknown as AlertSchedule;
      if (isWorkingTime(asSchedule, at)) return 'maintenance';
    }
    return null;
  }

  private onChanged(a: AlertRecord, previous: AlertState | null, at: number): void {
    this.store.saveAlert(a);
    if (previous !== a.state) this.store.addHistory(a.id, at, a.state, a.title);
    if (a.notifyCount > 0 && a.lastNotifiedAt === at && previous === a.state)
      this.store.addHistory(a.id, at, 'notified', a.channelIds.join(', '));
    this.events.emit('alert.changed', { alert: this.view(a), previous, at });
  }

  view(a: AlertRecord): Alert {
    return toAlertView(
      a,
      (id) => this.devices.get(id) ?? (this.registry.get(id) && this.info(this.registry.get(id)!)),
    );
  }

  private get scopeLookup(): ScopeLookup {
    return {
      deviceExists: (id) => this.registry.get(id) != null,
      villageExists: (id) => this.registry.places.village(id) != null,
      communeExists: (id) => this.registry.places.listCommunes().some((c) => c.id === id),
    };
  }

  /** What a caller may name: another commune's ids are refused as if they did not exist. */
  private lookupFor(scope: Scope): ScopeLookup {
    return scopedLookup(this.scopeLookup, scope, (id) => this.registry.get(id));
  }

  private reach(scope: Scope, target: AlertRule['scope']) {
    return targetReach(scope, target, (id) => this.registry.get(id));
  }

  private rejected<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof HubError) this.countRejected(what);
      throw err;
    }
  }

  // ---- rules
  // `scope`: the caller's communes (issue 14). A rule naming another commune's devices, villages or
  // communes is not there for them (404); a hub-wide one (kinds or tags only) is read-only to them.
  // Each answer says whether the caller's communes allow changing it (`editable`, from ./access.ts), so the
  // dashboard offers no control the hub would refuse.
  rules(scope: Scope = ALL): AlertRuleView[] {
    const views: AlertRuleView[] = [];
    for (const r of this.store.rules()) {
      const reach = this.reach(scope, r.scope);
      if (reach !== 'outside') views.push({ ...r, editable: mayChange(scope, reach) });
    }
    return views;
  }
  rule(id: string, scope: Scope = ALL): AlertRuleView {
    const r = this.visibleRule(id, scope);
    return { ...r, editable: mayChange(scope, this.reach(scope, r.scope)) };
  }
  private visibleRule(id: string, scope: Scope): AlertRule {
    const r = this.store.rules().find((x) => x.id === id);
    if (!r || this.reach(scope, r.scope) === 'outside')
      throw new HubError('HUB_ERR_NOT_FOUND', `no alert rule ${id}`);
    return r;
  }
  /** Creates (no id, or a new id) or replaces (`id` given and `replace`). Nothing changes when the input is refused. */
  saveRule(body: unknown, replaceId?: string, scope: Scope = ALL): AlertRuleView {
    const existing = replaceId ? this.visibleRule(replaceId, scope) : undefined;
    if (existing && this.reach(scope, existing.scope) === 'hub') mustReachAll(scope, `rule ${existing.id}`);
    const input: AlertRuleInput = this.rejected('rule', () =>
      validateRuleInput(
        body,
        this.lookupFor(scope),
        (id) => this.store.schedules().some((s) => s.id === id),
        this.options.channelExists,
        this.options.criteriaSets,
      ),
    );
    if (this.reach(scope, input.scope) === 'hub')
      mustReachAll(scope, 'a rule without devices, villages or communes');
    const now = new Date(this.clock.now()).toISOString();
    let id = replaceId ?? input.id ?? slug(input.name);
    if (!replaceId && !scope.isAll) {
      // A commune's user: the hub chooses the id, so no answer depends on another commune's rules.
      if (input.id) {
        this.countRejected('rule');
        throw chosenIdRefused('rule');
      }
      const taken = new Set(this.store.rules().map((r) => r.id));
      id = hubChosenId('rule', (x) => taken.has(x));
    } else if (!replaceId) {
      const taken = new Set(this.store.rules().map((r) => r.id));
      if (input.id && taken.has(input.id))
        throw new HubError('HUB_ERR_EXISTS', `alert rule ${input.id} exists`);
      for (let n = 2; taken.has(id); n++) id = `${slug(input.name)}-${n}`;
    }
    const rule: AlertRule = {
      id,
      name: input.name,
      enabled: input.enabled ?? true,
      severity: input.severity ?? 'warning',
      scope: input.scope,
      condition: input.condition,
      scheduleId: input.scheduleId ?? null,
      outsideSchedule: input.outsideSchedule ?? 'record',
      notify: input.notify,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    this.store.putRule(rule);
    this.engine.setRules(this.store.rules());
    return { ...rule, editable: true };
  }
  deleteRule(id: string, scope: Scope = ALL): void {
    const rule = this.visibleRule(id, scope);
    if (this.reach(scope, rule.scope) === 'hub') mustReachAll(scope, `rule ${id}`);
    if (!this.store.deleteRule(id)) throw new HubError('HUB_ERR_NOT_FOUND', `no alert rule ${id}`);
    this.engine.setRules(this.store.rules());
  }

  // ---- schedules: working hours and holidays any rule may use, so they reach every commune: read by
  // all, changed only by a province-wide admin.
  schedules(scope: Scope = ALL): AlertScheduleView[] {
    return this.store.schedules().map((s) => ({ ...s, editable: scope.isAll }));
  }
  saveSchedule(body: unknown, replaceId?: string, scope: Scope = ALL): AlertScheduleView {
    mustReachAll(scope, 'a schedule');
    const input: AlertScheduleInput = this.rejected('schedule', () => validateScheduleInput(body));
    if (replaceId && !this.store.schedules().some((s) => s.id === replaceId))
      throw new HubError('HUB_ERR_NOT_FOUND', `no schedule ${replaceId}`);
    const schedule: AlertSchedule = {
      id: replaceId ?? input.id ?? slug(input.name),
      name: input.name,
      hours: input.hours,
      publicHolidays: input.publicHolidays ?? true,
      daysOff: input.daysOff ?? [],
      workingDays: input.workingDays ?? [],
      workingDayHours: input.workingDayHours ?? null,
      updatedAt: new Date(this.clock.now()).toISOString(),
    };
    this.store.putSchedule(schedule);
    this.engine.setSchedules(this.store.schedules());
    return { ...schedule, editable: true };
  }
  deleteSchedule(id: string, scope: Scope = ALL): void {
    mustReachAll(scope, 'a schedule');
    const users = this.store.rules().filter((r) => r.scheduleId === id);
    if (users.length > 0)
      throw new HubError(
        'HUB_ERR_VALIDATION',
        `id: schedule ${id} is used by rules ${users.map((r) => r.id).join(', ')}`,
      );
    if (!this.store.deleteSchedule(id)) throw new HubError('HUB_ERR_NOT_FOUND', `no schedule ${id}`);
    this.engine.setSchedules(this.store.schedules());
  }

  // ---- mutes and recurring windows: a mute names one device or village; a window's scope is a rule's.
  private muteVisible(scope: Scope, m: StoredMute): boolean {
    return (
      (m.deviceId === null || scope.allowsDevice(this.registry.get(m.deviceId))) &&
      (m.villageId === null || scope.allowsVillage(m.villageId))
    );
  }
  mutesActive(scope: Scope = ALL): StoredMute[] {
    return this.store.mutes(this.clock.now()).filter((m) => this.muteVisible(scope, m));
  }
  addMute(body: unknown, scope: Scope = ALL): ReturnType<typeof muteView> {
    const input: AlertMuteInput = this.rejected('mute', () => validateMuteInput(body, this.lookupFor(scope)));
    const now = this.clock.now();
    const mute: StoredMute = {
      id: this.newId().replace(/^al-/, 'mute-'),
      deviceId: input.deviceId ?? null,
      villageId: input.villageId ?? null,
      from: now,
      until: now + Math.round(input.hours * 3600_000),
      by: input.by,
      reason: input.reason,
    };
    this.store.addMute(mute);
    this.mutes = this.store.mutes();
    return muteView(mute);
  }
  deleteMute(id: string, scope: Scope = ALL): void {
    const mute = this.store.mutes().find((m) => m.id === id);
    if (!mute || !this.muteVisible(scope, mute)) throw new HubError('HUB_ERR_NOT_FOUND', `no mute ${id}`);
    if (!this.store.deleteMute(id)) throw new HubError('HUB_ERR_NOT_FOUND', `no mute ${id}`);
    this.mutes = this.store.mutes();
  }
  recurringWindows(scope: Scope = ALL): RecurringWindow[] {
    return this.knownRecurring().filter((w) => this.reach(scope, w.scope) !== 'outside');
  }
  /** The windows as this node knows them: the evaluating node's copy, or the shared rows on another node. */
  private knownRecurring(): RecurringWindow[] {
    return this.started ? this.recurring : this.store.recurringWindows();
  }
  /** A window the caller may change: theirs (404 when another commune's), hub-wide ones for province users only. */
  private writableWindow(id: string, scope: Scope): RecurringWindow | undefined {
    const w = this.knownRecurring().find((x) => x.id === id);
    if (!w) return undefined;
    const reach = this.reach(scope, w.scope);
    if (reach === 'outside') throw new HubError('HUB_ERR_NOT_FOUND', `no recurring window ${id}`);
    if (reach === 'hub') mustReachAll(scope, `recurring window ${id}`);
    return w;
  }
  saveRecurringWindow(body: unknown, scope: Scope = ALL): RecurringWindow {
    const input: RecurringWindowInput = this.rejected('recurring', () =>
      validateRecurringInput(body, this.lookupFor(scope)),
    );
    if (this.reach(scope, input.scope) === 'hub')
      mustReachAll(scope, 'a window without devices, villages or communes');
    // Saving under an existing id replaces that window: it must be one the caller may change. A commune's
    // user names an id only to replace one of theirs (an unknown id and another commune's are both 404);
    // their new windows get an id from the hub, so no answer depends on another commune's windows.
    let id = input.id ?? slug(input.name);
    if (scope.isAll) this.writableWindow(id, scope);
    else if (input.id) {
      if (!this.writableWindow(input.id, scope))
        throw new HubError('HUB_ERR_NOT_FOUND', `no recurring window ${input.id}`);
    } else {
      const taken = new Set(this.knownRecurring().map((x) => x.id));
      id = hubChosenId('win', (x) => taken.has(x));
    }
    const w: RecurringWindow = {
      id,
      name: input.name,
      scope: input.scope,
      hours: input.hours,
      note: input.note ?? '',
    };
    this.store.putRecurringWindow(w);
    this.recurring = this.store.recurringWindows();
    return w;
  }
  deleteRecurringWindow(id: string, scope: Scope = ALL): void {
    if (!this.writableWindow(id, scope)) throw new HubError('HUB_ERR_NOT_FOUND', `no recurring window ${id}`);
    if (!this.store.deleteRecurringWindow(id))
      throw new HubError('HUB_ERR_NOT_FOUND', `no recurring window ${id}`);
    this.recurring = this.store.recurringWindows();
  }

  // ---- alerts
  list(q: {
    state?: AlertState;
    from: number;
    to: number;
    deviceId?: string;
    villageId?: string;
    limit: number;
  }): Alert[] {
    return this.store.listAlerts(q).map((a) => this.view(a));
  }
  get(id: string): AlertWithHistory {
    const a = this.store.getAlert(id);
    if (!a) throw new HubError('HUB_ERR_NOT_FOUND', `no alert ${id}`);
    return {
      ...this.view(a),
      history: this.store
        .history(id)
        .map((h) => ({ at: new Date(h.at).toISOString(), event: h.event, detail: h.detail })),
    };
  }
  /**
   * An acknowledgement from the API: applied here when this node evaluates, else handed to the node that
   * does (`forward`) and answered once its record, shared through PostgreSQL, says acknowledged.
   */
  async acknowledgeAnywhere(
    id: string,
    by: string,
    note: string | null,
    forward: AckForwarder | undefined,
    timeoutMs = 10_000,
  ): Promise<Alert> {
    if (this.started || !forward) return this.acknowledge(id, by, note);
    const stored = this.store.getAlert(id);
    if (!stored) throw new HubError('HUB_ERR_NOT_FOUND', `no alert ${id}`);
    if (stored.state === 'acknowledged') return this.view(stored);
    if (stored.state !== 'firing')
      throw new HubError(
        'HUB_ERR_VALIDATION',
        `state: alert ${id} is ${stored.state}, only a firing alert can be acknowledged`,
      );
    await forward({ alertId: id, by, note });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const now = this.store.getAlert(id);
      if (now && now.state !== 'firing') return this.view(now);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new HubError(
      'HUB_ERR_CLUSTER_UNREACHABLE',
      `alert ${id}: the evaluating node did not confirm the acknowledgement`,
    );
  }

  /**
   * Rows other nodes changed (HUB_DB=postgres): the evaluating node takes new rules, schedules, mutes and
   * windows; every other node tells its dashboards about alerts the leader changed.
   */
  followed(changes: ReadonlyMap<string, ReadonlySet<string | number>>): void {
    if (this.started) {
      if (changes.has('alert_rules')) this.engine.setRules(this.store.rules());
      if (changes.has('alert_schedules')) this.engine.setSchedules(this.store.schedules());
      if (changes.has('alert_mutes')) this.mutes = this.store.mutes();
      if (changes.has('alert_recurring_windows')) this.recurring = this.store.recurringWindows();
      return;
    }
    const at = this.clock.now();
    for (const id of changes.get('alert_alerts') ?? []) {
      const a = this.store.getAlert(String(id));
      if (a) this.events.emit('alert.changed', { alert: this.view(a), previous: null, at });
    }
  }

  acknowledge(id: string, by: string, note: string | null): Alert {
    const stored = this.store.getAlert(id);
    if (!stored) throw new HubError('HUB_ERR_NOT_FOUND', `no alert ${id}`);
    if (stored.state === 'acknowledged') return this.view(stored);
    if (stored.state !== 'firing')
      throw new HubError(
        'HUB_ERR_VALIDATION',
        `state: alert ${id} is ${stored.state}, only a firing alert can be acknowledged`,
      );
    const a = this.engine.acknowledge(id, by, note, this.clock.now());
    if (!a) throw new HubError('HUB_ERR_NOT_FOUND', `no open alert ${id}`);
    if (note) this.store.addHistory(id, this.clock.now(), 'note', `${by}: ${note}`);
    return this.view(a);
  }
}

/** How a node that does not evaluate hands an acknowledgement to the one that does (cluster mode). */
export type AckForwarder = (request: { alertId: string; by: string; note: string | null }) => Promise<void>;

function addTo(map: Map<string, DeviceInfo[]>, key: string, d: DeviceInfo): void {
  const list = map.get(key);
  if (list) list.push(d);
  else map.set(key, [d]);
}

function removeFrom(map: Map<string, DeviceInfo[]>, key: string, id: string): void {
  const list = map.get(key);
  if (!list) return;
  const i = list.findIndex((d) => d.id === id);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) map.delete(key);
}
