import type { AlertRule } from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import { empty, toDraft, toInput } from './ruleDraft.ts';

describe('rule form ↔ API rule', () => {
  it.each([
    [
      { kind: 'offline_for', forMin: '10' },
      { kind: 'offline_for', forMin: 10 },
    ],
    [
      { kind: 'flapping', transitions: '5', withinMin: '30' },
      { kind: 'flapping', transitions: 5, withinMin: 30 },
    ],
    [
      { kind: 'device_fault', faults: 'amplifier_fault, disk_full', forMin: '' },
      { kind: 'device_fault', faults: ['amplifier_fault', 'disk_full'] },
    ],
    [
      { kind: 'metric_threshold', metric: 'storageFreePct', op: '<', value: '10', forMin: '30' },
      { kind: 'metric_threshold', metric: 'storageFreePct', op: '<', value: 10, forMin: 30 },
    ],
    [
      { kind: 'uptime_below', targetPct: '95', windowHours: '24' },
      { kind: 'uptime_below', targetPct: 95, windowHours: 24 },
    ],
  ] as const)('%j', (patch, condition) => {
    expect(toInput({ ...empty(), name: 'x', ...patch }).condition).toEqual(condition);
  });

  it('sends an empty duration as null, so the hub names the field instead of guessing', () => {
    const body = JSON.parse(JSON.stringify(toInput({ ...empty(), name: 'x', forMin: '' })));
    expect(body.condition).toEqual({ kind: 'offline_for', forMin: null });
  });

  it('round-trips scope, reminders, escalation and schedule', () => {
    const input = toInput({
      ...empty(),
      name: 'Kiosk ngoài giờ',
      kinds: ['kiosk'],
      villageIds: ['thon-3'],
      channelIds: ['tg'],
      renotifyEveryMin: '15',
      renotifyMax: '4',
      escalateAfterMin: '30',
      escalateChannelIds: ['mail'],
      scheduleId: 'mot-cua',
      outsideSchedule: 'defer',
    });
    const rule = {
      ...input,
      id: 'r1',
      enabled: true,
      severity: 'warning',
      createdAt: '',
      updatedAt: '',
    } as AlertRule;
    expect(toInput(toDraft(rule))).toEqual(input);
    expect(input.notify).toEqual({
      channelIds: ['tg'],
      renotifyEveryMin: 15,
      renotifyMax: 4,
      escalate: { afterMin: 30, channelIds: ['mail'] },
    });
  });
});
