import type {
  Breakdown,
  CommuneRef,
  CriteriaFileIssue,
  CriteriaReloadResult,
  CriteriaReport,
  CriterionDef,
  Evaluation,
  ManualEntry,
  ManualEntryCreate,
  ReportSubmit,
  ReportSummary,
  ResultCell,
  Trend,
} from '@commune-hub/protocol';
import { ManualValue } from '@commune-hub/protocol';
import { Value } from '@sinclair/typebox/value';
import type { Clock } from '../clock.ts';
import { HubError } from '../errors.ts';
import { graceMsFor } from '../liveness/tracker.ts';
import type { Registry } from '../registry/registry.ts';
import type { CoverageStore } from '../uptime/coverage.ts';
import type { UptimeService } from '../uptime/service.ts';
import { type EvalDevice, type EvalSite, type EvalVillage, evaluateSet } from './evaluate.ts';
import { manualValueProblem } from './format.ts';
import type { LoadedCriteriaSet } from './load.ts';
import { type PeriodMs, resolvePeriod, toPeriod, trailingMonths } from './period.ts';
import type { CriteriaSets } from './sets.ts';
import { type CriteriaStore, reportKey, reportSummary } from './store.ts';

export interface CriteriaDeps {
  clock: Clock;
  registry: Registry;
  uptime: UptimeService;
  coverage: CoverageStore;
  sets: CriteriaSets;
  store: CriteriaStore;
  /** Whether a device is online (or degraded) right now, from the liveness tracker. */
  isOnline: (deviceId: string) => boolean;
  /** Counts refused input by reason (prom-client). */
  countRejected: (reason: string) => void;
  /** Logs and counts files refused at a reload. */
  onRefused?: (refused: CriteriaFileIssue[][]) => void;
}

export interface Scope {
  village?: string;
  formerCommune?: string;
  /** The caller's scope (hub/src/auth/scope.ts): villages outside it, and their devices, are left out of the world. */
  visibleVillage?: (villageId: string) => boolean;
}

/** What the evaluator needs of the registry, places and uptime for one period, gathered once. */
interface World {
  devices: EvalDevice[];
  villages: EvalVillage[];
  sites: EvalSite[];
  commune: CommuneRef | null;
}

export const toCell = (r: Evaluation['rows'][number]): ResultCell => ({
  code: r.code,
  result: r.result,
  assessment: r.assessment,
  value: r.measured?.value ?? null,
  overridden: r.override !== null,
  liveNow: r.liveNow,
});

/**
 * Criteria over the hub's own records: gathers devices, places and per-device uptime for a period, runs
 * the pure evaluator, and keeps manual entries and frozen reports. Knows nothing of HTTP.
 */
export class CriteriaService {
  /** Called after a manual entry changed (live indicators re-evaluate). */
  onChange: () => void = () => {};

  constructor(private readonly deps: CriteriaDeps) {}

  /** Re-reads the criteria folder; refused files keep their previous sets. */
  reload(): CriteriaReloadResult {
    const outcome = this.deps.sets.reload();
    this.deps.onRefused?.(outcome.refused);
    if (outcome.loaded.length > 0) this.onChange();
    return outcome;
  }

  get sets(): CriteriaSets {
    return this.deps.sets;
  }

  set(id: string): LoadedCriteriaSet {
    const loaded = this.deps.sets.get(id);
    if (!loaded) throw new HubError('HUB_ERR_NOT_FOUND', `no criteria set "${id}"`);
    return loaded;
  }

  period(query: { period?: string; from?: string; to?: string }): PeriodMs {
    try {
      return resolvePeriod(query, this.deps.clock.now());
    } catch (err) {
      this.deps.countRejected('bad_period');
      throw err;
    }
  }

  /** Devices with their uptime over the period, villages with their former commune, sites, the commune. */
  world(period: PeriodMs, visibleVillage: (villageId: string) => boolean = () => true): World {
    const { registry, uptime, coverage, isOnline } = this.deps;
    const places = registry.places;
    const communes = new Map(places.listCommunes().map((c) => [c.id, c]));
    const villages: EvalVillage[] = places
      .listVillages()
      .filter((v) => visibleVillage(v.id))
      .map((v) => {
        const c = v.communeId ? communes.get(v.communeId) : undefined;
        return { id: v.id, name: v.name, formerCommuneId: c?.id ?? null, formerCommune: c?.name ?? null };
      });
    const villageById = new Map(villages.map((v) => [v.id, v]));
    const sites = places
      .listSites()
      .filter((s) => visibleVillage(s.villageId))
      .map((s) => ({ id: s.id, name: s.name, villageId: s.villageId, locationType: s.locationType }));
    const siteById = new Map(sites.map((s) => [s.id, s]));
    const window = { start: period.from, end: period.to };
    const running = uptime.hubRunning(period.from, period.to);
    const devices = registry
      .list()
      .filter((r) => visibleVillage(r.villageId))
      .map((r): EvalDevice => {
        const covered = coverage.covered(r.id, period.from, period.to);
        const u = uptime.device(r, window, running, covered);
        const first = covered[0];
        const last = covered[covered.length - 1];
        const v = villageById.get(r.villageId);
        const s = r.siteId ? siteById.get(r.siteId) : undefined;
        return {
          id: r.id,
          name: r.name,
          kind: r.kind,
          villageId: r.villageId,
          village: r.village,
          formerCommuneId: v?.formerCommuneId ?? null,
          formerCommune: v?.formerCommune ?? null,
          siteId: s?.id ?? null,
          site: s?.name ?? null,
          locationType: s?.locationType ?? null,
          tags: r.tags,
          disabled: r.disabled,
          createdAt: r.createdAt,
          up_s: u.up_s,
          down_s: u.down_s,
          unknown_s: u.unknown_s,
          maintenance_s: u.maintenance_s,
          ratio: u.ratio,
          firstSeen: first ? Math.max(period.from, first.start) : null,
          // A heartbeat vouches for [ts, ts + grace): the last one was sent a grace before its cover ends.
          lastSeen: last
            ? Math.min(period.to, Math.max(last.start, last.end - graceMsFor(r.intervalS)))
            : null,
          onlineNow: isOnline(r.id),
        };
      });
    return { devices, villages, sites, commune: this.commune(villages) };
  }

  /** The commune this hub serves: the current (not merged) commune holding most villages, with its former communes. */
  private commune(villages: EvalVillage[]): CommuneRef | null {
    const all = this.deps.registry.places.listCommunes();
    const current = (id: string): string => {
      let c = all.find((x) => x.id === id);
      for (let i = 0; c?.mergedInto && i < 8; i++) c = all.find((x) => x.id === c!.mergedInto) ?? c;
      return c?.id ?? id;
    };
    const votes = new Map<string, number>();
    for (const v of villages)
      if (v.formerCommuneId)
        votes.set(current(v.formerCommuneId), (votes.get(current(v.formerCommuneId)) ?? 0) + 1);
    const top =
      [...votes.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ??
      all.find((c) => !c.mergedInto)?.id;
    const c = all.find((x) => x.id === top);
    if (!c) return null;
    const former = all
      .filter((x) => x.id !== c.id && current(x.id) === c.id)
      .map((x) => ({ id: x.id, name: x.name }));
    return { id: c.id, name: c.name, province: c.province, formerCommunes: former };
  }

  evaluate(setId: string, period: PeriodMs, scope: Scope = {}, world?: World): Evaluation {
    const loaded = this.set(setId);
    const w = world ?? this.world(period, scope.visibleVillage);
    if (scope.village !== undefined && !w.villages.some((v) => v.id === scope.village))
      throw new HubError('HUB_ERR_NOT_FOUND', `no village "${scope.village}"`);
    if (
      scope.formerCommune !== undefined &&
      !w.villages.some((v) => v.formerCommuneId === scope.formerCommune)
    )
      throw new HubError('HUB_ERR_NOT_FOUND', `no village of commune "${scope.formerCommune}"`);
    return evaluateSet({
      loaded,
      period,
      ...w,
      entries: this.deps.store.entriesInForce(setId, period.from, period.to),
      scope: { village: scope.village, formerCommune: scope.formerCommune },
      evaluatedAt: this.deps.clock.now(),
    });
  }

  /** The measured rows per village or per former commune, from one gathering of the period's records. */
  breakdown(
    setId: string,
    period: PeriodMs,
    by: 'village' | 'formerCommune',
    visibleVillage?: (villageId: string) => boolean,
  ): Breakdown {
    this.set(setId);
    const w = this.world(period, visibleVillage);
    const units =
      by === 'village'
        ? w.villages.map((v) => ({
            id: v.id,
            name: v.name,
            formerCommune: v.formerCommune,
            scope: { village: v.id },
          }))
        : [
            ...new Map(
              w.villages.filter((v) => v.formerCommuneId).map((v) => [v.formerCommuneId!, v.formerCommune]),
            ).entries(),
          ].map(([id, name]) => ({
            id,
            name: name ?? id,
            formerCommune: name,
            scope: { formerCommune: id },
          }));
    return {
      setId,
      by,
      period: toPeriod(period),
      units: units.map((u) => ({
        id: u.id,
        name: u.name,
        formerCommune: u.formerCommune,
        cells: this.evaluate(setId, period, u.scope, w)
          .rows.filter((r) => r.measured !== null)
          .map(toCell),
      })),
    };
  }

  trend(setId: string, months: number, to?: string, visibleVillage?: (villageId: string) => boolean): Trend {
    this.set(setId);
    const periods = trailingMonths(months, this.deps.clock.now(), to);
    return {
      setId,
      points: periods.map((p) => ({
        period: toPeriod(p),
        cells: this.evaluate(setId, p, { ...(visibleVillage && { visibleVillage }) })
          .rows.filter((r) => r.measured !== null)
          .map(toCell),
      })),
    };
  }

  // ───────────── manual entries ─────────────

  private refuse(reason: string, message: string): never {
    this.deps.countRejected(reason);
    throw new HubError('HUB_ERR_MANUAL_VALUE', message);
  }

  addEntry(setId: string, body: ManualEntryCreate): ManualEntry {
    const { set } = this.set(setId);
    const period = this.period(body);
    const criterion = (code: string): CriterionDef | undefined => set.criteria.find((c) => c.code === code);
    let valueType: string;
    if (body.type === 'input') {
      const input = set.inputs?.find((i) => i.key === body.target);
      if (!input) this.refuse('unknown_target', `set ${setId} has no input "${body.target}"`);
      valueType = input.valueType;
    } else {
      const c = criterion(body.target);
      if (!c) this.refuse('unknown_target', `set ${setId} has no criterion "${body.target}"`);
      if (body.type === 'value') {
        if (!c.manual)
          this.refuse('not_manual', `criterion ${c.code} is computed: record an override instead`);
        valueType = c.manual.valueType;
      } else {
        if (!c.rule || c.manual)
          this.refuse('not_computed', `criterion ${c.code} is not computed: record a value instead`);
        if (!body.reason?.trim()) this.refuse('override_reason', 'an override needs a reason');
        valueType = c.kind === 'percentage' ? 'percent' : c.kind === 'presence' ? 'boolean' : 'number';
      }
    }
    const problem = Value.Check(ManualValue, body.value)
      ? manualValueProblem(valueType, body.value)
      : 'expected a number, true/false or a text';
    if (problem) this.refuse('wrong_type', `${body.target}: ${problem}, got ${JSON.stringify(body.value)}`);
    const e = body.evidence;
    if (!e.text?.trim() && !e.docNumber?.trim() && !e.link?.trim())
      this.refuse('no_evidence', 'evidence needs a text, a document number or a link');
    const entry = this.deps.store.addEntry({
      setId,
      type: body.type,
      target: body.target,
      from: period.from,
      to: period.to,
      value: body.value,
      evidence: body.evidence,
      reason: body.reason ?? null,
      by: body.by,
      at: this.deps.clock.now(),
    });
    this.onChange();
    return entry;
  }

  entries(setId: string, period: PeriodMs): ManualEntry[] {
    this.set(setId);
    return this.deps.store.entriesOverlapping(setId, period.from, period.to);
  }

  withdrawEntry(setId: string, id: number, by: string): ManualEntry {
    const entry = this.deps.store.entry(id);
    if (!entry || entry.setId !== setId)
      throw new HubError('HUB_ERR_NOT_FOUND', `no manual entry ${id} in set ${setId}`);
    if (entry.withdrawnAt !== null) return entry;
    const withdrawn = this.deps.store.withdraw(id, by, this.deps.clock.now())!;
    this.onChange();
    return withdrawn;
  }

  // ───────────── reports ─────────────

  submit(body: ReportSubmit): CriteriaReport {
    const loaded = this.set(body.setId);
    const period = this.period(body);
    const evaluation = this.evaluate(body.setId, period);
    const manualInputs = this.deps.store.entriesInForce(body.setId, period.from, period.to);
    const now = this.deps.clock.now();
    let id: number;
    try {
      id = this.deps.store.insertReport(
        reportKey(body.setId, period),
        body.corrects,
        (version, supersedes) => ({
          format: 'commune-hub/criteria-report@1',
          setId: loaded.set.id,
          setVersion: loaded.set.version,
          setSha256: loaded.sha256,
          period: toPeriod(period),
          version,
          supersedes,
          submittedAt: new Date(now).toISOString(),
          submittedBy: body.by,
          note: body.note ?? '',
          evaluation,
          manualInputs,
        }),
      );
    } catch (err) {
      if (err instanceof HubError && err.code === 'HUB_ERR_REPORT_EXISTS')
        this.deps.countRejected('report_exists');
      throw err;
    }
    return this.report(id);
  }

  report(id: number): CriteriaReport {
    const row = this.deps.store.report(id);
    if (!row) throw new HubError('HUB_ERR_NOT_FOUND', `no report ${id}`);
    return reportSummary(row);
  }

  /** The exact bytes the report's SHA-256 was computed over. */
  reportCanonical(id: number): { canonical: string; sha256: string } {
    const row = this.deps.store.report(id);
    if (!row) throw new HubError('HUB_ERR_NOT_FOUND', `no report ${id}`);
    return { canonical: row.canonical, sha256: row.sha256 };
  }

  reports(setId?: string): ReportSummary[] {
    return this.deps.store.reports(setId).map((row) => {
      const { content: _content, ...summary } = reportSummary(row);
      return summary;
    });
  }
}
