import { describe, expect, it } from 'vitest';
import { DICTIONARIES } from './dictionary.ts';
import { formatDateTime, formatDuration, formatMetric, formatNumber, formatPercent } from './format.ts';

const vi = DICTIONARIES.vi;
const en = DICTIONARIES.en;

describe('formatDuration never rounds up', () => {
  it.each([
    [0, '0 giây'],
    [0.4, 'dưới 1 giây'],
    [1.3, '1 giây'],
    [59.99, '59 giây'],
    [60, '1 phút'],
    [61.7, '1 phút 1 giây'],
    [3599, '59 phút 59 giây'],
    [8280 + 59, '2 giờ 18 phút'],
    [86400 * 3 + 3600 * 4 + 59, '3 ngày 4 giờ'],
    [86400 * 1500, '1.500 ngày'],
  ])('%s s → %s', (s, text) => {
    expect(formatDuration(vi, s)).toBe(text);
  });
  it('in English too', () => {
    expect(formatDuration(en, 1.3)).toBe('1 s');
  });
});

describe('numbers and units in vi-VN', () => {
  it.each([
    [formatNumber(vi, 1646), '1.646'],
    [formatNumber(vi, 0.3), '0,3'],
    [formatPercent(vi, 0.9723), '97,23 %'],
    [formatPercent(vi, 0.93333333), '93,33 %'],
    [formatPercent(vi, null), '—'],
    [formatMetric(vi, 'battery', 100), 'Pin 100 %'],
    [formatMetric(vi, 'signal', -79), 'Tín hiệu −79 dBm'],
    [formatMetric(vi, 'temperature', 27.4), 'Nhiệt độ 27,4 °C'],
    [formatMetric(vi, 'powerSource', 'mains'), 'Nguồn điện Điện lưới'],
    [formatMetric(vi, 'amplifierOk', true), 'Bộ khuếch đại hoạt động Có'],
    [formatMetric(vi, 'callQuality', 4.2), 'Chất lượng cuộc gọi 4,2/5'],
    [formatMetric(vi, 'sysUpTimeS', 90061), 'Thời gian chạy liên tục 1 ngày 1 giờ'],
  ])('%s', (text, expected) => {
    expect(text).toBe(expected);
  });
});

describe('times are in Asia/Ho_Chi_Minh', () => {
  it('writes a UTC instant in Vietnam time', () => {
    // 00:42 UTC is 07:42 in Vietnam; the suffix appears only when the test machine is elsewhere.
    expect(formatDateTime(vi, '2026-11-30T00:42:05.000Z')).toMatch(/^07:42:05 30\/11\/2026( \(GMT\+7\))?$/);
  });
});
