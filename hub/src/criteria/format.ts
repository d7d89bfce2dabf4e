import type {
  Assessment,
  CriterionDef,
  CriterionTarget,
  ManualEntry,
  ManualValue,
} from '@commune-hub/protocol';
import { viDate } from './period.ts';

const numberVi = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });
const dateOnly = (iso: string) => viDate(Date.parse(`${iso}T00:00:00+07:00`));

/** "82,9%" */
export const percentVi = (v: number) => `${numberVi.format(v)}%`;
/** "14 điểm", "1.234 camera" */
export const countVi = (n: number, unit: string) =>
  unit ? `${numberVi.format(n)} ${unit}` : numberVi.format(n);

/**
 * Đạt when the value meets the target: presence needs a value ≥ 1 ("Có"); a count, percentage or threshold
 * its `min` and/or `max`. A target with neither (only text) cannot be assessed by the machine.
 */
export function assess(
  kind: CriterionDef['kind'],
  target: CriterionTarget,
  value: number | null,
): Assessment {
  if (value === null) return 'chua_danh_gia';
  if (target.min === undefined && target.max === undefined) {
    if (kind === 'presence') return value >= 1 ? 'dat' : 'khong_dat';
    return 'chua_danh_gia';
  }
  if (target.min !== undefined && value < target.min) return 'khong_dat';
  if (target.max !== undefined && value > target.max) return 'khong_dat';
  return 'dat';
}

/** "Có" for a met presence; a target worded as a state ("Đáp ứng") reads as that state. */
export function presenceText(target: CriterionTarget, present: boolean): string {
  if (!present) return 'Không';
  return target.text === 'Đạt' || target.text === 'Có' ? 'Có' : target.text;
}

/** A manual value as the result cell, the number it is assessed as, and its assessment. */
export function manualResult(
  c: CriterionDef,
  entry: ManualEntry,
): { result: string; value: number | null; assessment: Assessment } {
  const v: ManualValue = entry.value;
  if (typeof v === 'boolean') {
    return { result: presenceText(c.target, v), value: v ? 1 : 0, assessment: v ? 'dat' : 'khong_dat' };
  }
  if (typeof v === 'number') {
    const asPercent = c.kind === 'percentage' || c.manual?.valueType === 'percent';
    const result = asPercent ? percentVi(v) : countVi(v, c.rule?.resultUnit ?? c.unit);
    return { result, value: v, assessment: assess(c.kind, c.target, v) };
  }
  return { result: v, value: null, assessment: 'chua_danh_gia' };
}

/** "Tài liệu minh chứng" of a manual entry: document number and date, text, link. */
export function entryEvidenceText(entry: ManualEntry): string {
  const e = entry.evidence;
  const parts: string[] = [];
  if (e.docNumber)
    parts.push(
      e.docDate ? `Văn bản số ${e.docNumber} ngày ${dateOnly(e.docDate)}` : `Văn bản số ${e.docNumber}`,
    );
  else if (e.docDate) parts.push(`Văn bản ngày ${dateOnly(e.docDate)}`);
  if (e.text) parts.push(e.text);
  if (e.link) parts.push(e.link);
  return parts.join('; ');
}

/** Checks a manual value against the declared type; returns a message, or null when it fits. */
export function manualValueProblem(valueType: string, value: ManualValue): string | null {
  switch (valueType) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0
        ? null
        : 'expected a number ≥ 0';
    case 'percent':
      return typeof value === 'number' && value >= 0 && value <= 100
        ? null
        : 'expected a percentage between 0 and 100';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'expected true (Có) or false (Không)';
    default:
      return typeof value === 'string' && value.trim() !== '' ? null : 'expected a non-empty text';
  }
}
