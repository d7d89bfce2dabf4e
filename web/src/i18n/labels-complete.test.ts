import {
  ALERT_CAUSES,
  ALERT_METRICS,
  ALERT_STATES,
  CHANNEL_KINDS,
  CONDITION_KINDS,
  DELIVERY_STATES,
  DEVICE_FAULTS,
  DEVICE_KINDS,
  DEVICE_METRICS,
  DEVICE_STATUSES,
  METRIC_STRING_VALUES,
  OUTSIDE_SCHEDULE,
  PROBE_FAULTS,
  PROBE_METRICS,
  PROBE_TYPES,
  TRANSITION_REASONS,
} from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import {
  CAUSE_LABELS,
  CHANNEL_KIND_LABELS,
  CONDITION_LABELS,
  DELIVERY_STATE_LABELS,
  OUTSIDE_SCHEDULE_LABELS,
  STATE_LABELS,
} from '../features/alerts/index.ts';
import { PROBE_TYPE_LABELS } from '../features/probes/index.ts';
import { PUBLIC_WORDS } from '../features/public-status/index.ts';
import { UPTIME_WORDS } from '../features/uptime/index.ts';
import { VILLAGE_WORDS } from '../features/villages/index.ts';
import { FAULT_LABELS, METRIC_INFO, VALUE_LABELS } from './codes.ts';
import { DICTIONARIES } from './dictionary.ts';
import { faultLabel, formatMetricValue, metricLabel, valueLabel } from './format.ts';
import { MANAGE_WORDS } from './manage.ts';
import { MANAGE_ERROR_WORDS } from './manage-errors.ts';
import { SHELL_WORDS } from './shell.ts';

/** What the "no raw code" scan of the e2e tests looks for: snake_case and camelCase tokens. */
const CODE_LIKE = /[a-z]+_[a-z]+|\b[a-z]+[A-Z][a-zA-Z]*\b/;
const vi = DICTIONARIES.vi;

/** Every leaf of a words object: strings as they are, functions called with sample arguments. */
function leaves(node: unknown, path: string, out: Array<[string, string]>): Array<[string, string]> {
  if (typeof node === 'string') out.push([path, node]);
  else if (typeof node === 'function') {
    const args = Array.from({ length: node.length }, (_, i) => (i % 2 ? 3 : 'Thôn 3'));
    out.push([`${path}()`, String((node as (...a: unknown[]) => unknown)(...args))]);
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) leaves(v, path ? `${path}.${k}` : k, out);
  }
  return out;
}

const keysOf = (words: unknown) => leaves(words, '', []).map(([k]) => k);

describe('every word the dashboard shows has a Vietnamese label, and the English words have the same keys', () => {
  it.each([
    ['dictionary', DICTIONARIES],
    ['shell', SHELL_WORDS],
    ['uptime', UPTIME_WORDS],
    ['villages', VILLAGE_WORDS],
    ['manage (/quan-ly)', MANAGE_WORDS],
    ['manage refusals and import problems', MANAGE_ERROR_WORDS],
    ['public status pages', PUBLIC_WORDS],
  ] as const)('%s: no empty string and no code-like word in Vietnamese', (_name, words) => {
    const viLeaves = leaves(words.vi, '', []);
    expect(viLeaves.length).toBeGreaterThan(5);
    for (const [key, text] of viLeaves) {
      expect(text.trim(), key).not.toBe('');
      if (key !== 'locale') expect(text, key).not.toMatch(CODE_LIKE);
    }
    expect(keysOf(words.en)).toEqual(keysOf(words.vi));
  });
});

describe('every code of the protocol has a Vietnamese label', () => {
  const table: Array<[string, readonly string[], Record<string, unknown>]> = [
    ['device kinds', DEVICE_KINDS, vi.kinds],
    ['device statuses', DEVICE_STATUSES, vi.statuses],
    ['transition reasons', TRANSITION_REASONS, vi.reasons],
    ['component faults', DEVICE_FAULTS, FAULT_LABELS],
    ['probe faults', PROBE_FAULTS, FAULT_LABELS],
    ['suggested metrics', DEVICE_METRICS, METRIC_INFO],
    ['probe metrics', Object.keys(PROBE_METRICS), METRIC_INFO],
    ['alert metrics', ALERT_METRICS, METRIC_INFO],
    ['metric values', Object.values(METRIC_STRING_VALUES).flat(), VALUE_LABELS],
    ['heartbeat health', ['ok', 'degraded', 'fault'], VALUE_LABELS],
    ['alert states', ALERT_STATES, STATE_LABELS],
    ['alert causes', ALERT_CAUSES, CAUSE_LABELS],
    ['alert conditions', CONDITION_KINDS, CONDITION_LABELS],
    ['outside schedule', OUTSIDE_SCHEDULE, OUTSIDE_SCHEDULE_LABELS],
    ['channel kinds', CHANNEL_KINDS, CHANNEL_KIND_LABELS],
    ['delivery states', DELIVERY_STATES, DELIVERY_STATE_LABELS],
    ['probe types', PROBE_TYPES, PROBE_TYPE_LABELS],
  ];
  it.each(table)('%s', (_name, codes, labels) => {
    const missing = codes.filter((c) => !(c in labels));
    expect(missing).toEqual([]);
    for (const c of codes) {
      const label = labels[c];
      const text = typeof label === 'object' && label ? (label as { vi: string }).vi : String(label);
      expect(text.trim(), c).not.toBe('');
      expect(text, c).not.toMatch(CODE_LIKE);
    }
  });
});

describe('formatting never shows a raw code', () => {
  it('labels known codes and writes unknown ones as words', () => {
    expect(faultLabel(vi, 'amplifier_fault')).toBe('Hỏng bộ khuếch đại (loa không phát được)');
    expect(faultLabel(vi, 'fan_stuck')).toBe('Lỗi khác: fan stuck');
    expect(metricLabel(vi, 'storageFreePct')).toBe('Bộ nhớ còn trống');
    expect(metricLabel(vi, 'fanSpeedRpm')).toBe('Chỉ số "fan speed rpm"');
    expect(valueLabel(vi, 'mains')).toBe('Điện lưới');
    expect(valueLabel(vi, 'on_grid')).toBe('on grid');
    expect(formatMetricValue(vi, 'mains', 'powerSource')).toBe('Điện lưới');
  });
  it.each(
    ['amplifier_fault', 'xyz_unknown', 'inCall', 'someNewMetric'].flatMap((c) => [
      [c, faultLabel(vi, c)],
      [c, metricLabel(vi, c)],
      [c, valueLabel(vi, c)],
    ]),
  )('%s → %s', (_code, text) => {
    expect(text).not.toMatch(CODE_LIKE);
  });
});
