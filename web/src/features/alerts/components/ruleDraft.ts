import type {
  AlertCondition,
  AlertRule,
  AlertRuleInput,
  ConditionKind,
  DeviceKind,
  OutsideSchedule,
  ThresholdOp,
} from '@commune-hub/protocol';

/** The rule form's state (strings, as typed) and its conversion to and from the API's rule. Pure. */
export const DEVICE_KINDS: DeviceKind[] = [
  'loudspeaker',
  'wifi',
  'camera',
  'pc',
  'kiosk',
  'rating',
  'idreader',
  'conference',
  'gateway',
];

export interface Draft {
  id?: string;
  name: string;
  kind: ConditionKind;
  forMin: string;
  transitions: string;
  withinMin: string;
  faults: string;
  metric: string;
  op: ThresholdOp;
  value: string;
  targetPct: string;
  windowHours: string;
  setId: string;
  criterionIds: string;
  minOnline: string;
  margin: string;
  villageIds: string[];
  kinds: DeviceKind[];
  channelIds: string[];
  renotifyEveryMin: string;
  renotifyMax: string;
  escalateAfterMin: string;
  escalateChannelIds: string[];
  scheduleId: string;
  outsideSchedule: OutsideSchedule;
}

export const empty = (): Draft => ({
  name: '',
  kind: 'offline_for',
  forMin: '10',
  transitions: '5',
  withinMin: '30',
  faults: '',
  metric: 'storageFreePct',
  op: '<',
  value: '10',
  targetPct: '95',
  windowHours: '24',
  setId: '',
  criterionIds: '',
  minOnline: '',
  margin: '',
  villageIds: [],
  kinds: [],
  channelIds: [],
  renotifyEveryMin: '',
  renotifyMax: '3',
  escalateAfterMin: '',
  escalateChannelIds: [],
  scheduleId: '',
  outsideSchedule: 'record',
});

export function toDraft(r: AlertRule): Draft {
  const c = r.condition as Record<string, unknown>;
  const s = (v: unknown, d: string) => (v === undefined || v === null ? d : String(v));
  return {
    ...empty(),
    id: r.id,
    name: r.name,
    kind: r.condition.kind,
    forMin: s(c.forMin, ''),
    transitions: s(c.transitions, '5'),
    withinMin: s(c.withinMin, '30'),
    faults: Array.isArray(c.faults) ? c.faults.join(', ') : '',
    metric: s(c.metric, 'storageFreePct'),
    op: (c.op as ThresholdOp) ?? '<',
    value: s(c.value, '10'),
    targetPct: s(c.targetPct, '95'),
    windowHours: s(c.windowHours, '24'),
    setId: s(c.setId, ''),
    criterionIds: Array.isArray(c.criterionIds) ? c.criterionIds.join(', ') : '',
    minOnline: s(c.minOnline, ''),
    margin: s(c.margin, ''),
    villageIds: r.scope.villageIds ?? [],
    kinds: r.scope.kinds ?? [],
    channelIds: r.notify.channelIds,
    renotifyEveryMin: s(r.notify.renotifyEveryMin, ''),
    renotifyMax: s(r.notify.renotifyMax, '3'),
    escalateAfterMin: s(r.notify.escalate?.afterMin, ''),
    escalateChannelIds: r.notify.escalate?.channelIds ?? [],
    scheduleId: r.scheduleId ?? '',
    outsideSchedule: r.outsideSchedule,
  };
}

/** Numbers as typed; an empty or wrong one goes to the hub as is, which names the field. */
const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));

function condition(d: Draft): AlertCondition {
  switch (d.kind) {
    case 'offline_for':
    case 'degraded_for':
      return { kind: d.kind, forMin: num(d.forMin) };
    case 'flapping':
      return { kind: 'flapping', transitions: num(d.transitions), withinMin: num(d.withinMin) };
    case 'device_fault': {
      const faults = d.faults.split(/[,\s]+/).filter(Boolean);
      return {
        kind: 'device_fault',
        ...(faults.length ? { faults } : {}),
        ...(d.forMin ? { forMin: num(d.forMin) } : {}),
      };
    }
    case 'metric_threshold':
      return {
        kind: 'metric_threshold',
        metric: d.metric as never,
        op: d.op,
        value: num(d.value),
        forMin: num(d.forMin),
      };
    case 'uptime_below':
      return { kind: 'uptime_below', targetPct: num(d.targetPct), windowHours: num(d.windowHours) };
    case 'criterion_at_risk': {
      const codes = d.criterionIds.split(/[,\s]+/).filter(Boolean);
      return {
        kind: 'criterion_at_risk',
        setId: d.setId.trim(),
        ...(codes.length ? { criterionIds: codes } : {}),
        ...(d.minOnline ? { minOnline: num(d.minOnline) } : d.margin ? { margin: num(d.margin) } : {}),
        ...(d.forMin ? { forMin: num(d.forMin) } : {}),
      };
    }
  }
}

export function toInput(d: Draft): AlertRuleInput {
  return {
    name: d.name,
    scope: {
      ...(d.villageIds.length ? { villageIds: d.villageIds } : {}),
      ...(d.kinds.length ? { kinds: d.kinds } : {}),
    },
    condition: condition(d),
    scheduleId: d.scheduleId || null,
    outsideSchedule: d.outsideSchedule,
    notify: {
      channelIds: d.channelIds,
      ...(d.renotifyEveryMin
        ? { renotifyEveryMin: num(d.renotifyEveryMin), renotifyMax: num(d.renotifyMax) }
        : {}),
      ...(d.escalateAfterMin && d.escalateChannelIds.length
        ? { escalate: { afterMin: num(d.escalateAfterMin), channelIds: d.escalateChannelIds } }
        : {}),
    },
  };
}
