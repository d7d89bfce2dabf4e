import type { AlertSchedule } from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import { isWorkingTime, nextWorkingStart, validateHours, vietnamHolidays } from './schedule.ts';

const office: AlertSchedule = {
  id: 'office',
  name: 'Giờ hành chính',
  hours: [
    { days: [1, 2, 3, 4, 5], from: '07:30', to: '11:30' },
    { days: [1, 2, 3, 4, 5], from: '13:30', to: '17:00' },
  ],
  publicHolidays: true,
  daysOff: ['2027-02-09'],
  workingDays: ['2027-02-20'],
  workingDayHours: null,
  updatedAt: '',
};
/** Local Hà Nội time → epoch ms. */
const vn = (s: string) => Date.parse(`${s}+07:00`);

describe('Vietnamese holidays from date-holidays', () => {
  it('has Tết 2027 (eve, mùng 1-3) and Giỗ Tổ Hùng Vương 2027 (10/3 âm lịch)', () => {
    const days = vietnamHolidays(2027);
    const dates = days.map((d) => d.date);
    expect(dates).toEqual(
      expect.arrayContaining(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-04-16']),
    );
    expect(days.find((d) => d.date === '2027-04-16')?.name).toMatch(/Hùng Vương/i);
    expect(days.find((d) => d.date === '2027-02-06')?.name).toBe('Tết Nguyên Đán');
  });
});

describe('working time of a schedule', () => {
  it.each([
    ['Wednesday 09:00', '2027-02-10T09:00', true],
    ['Wednesday 12:00 (lunch)', '2027-02-10T12:00', false],
    ['Wednesday 17:00 (end is exclusive)', '2027-02-10T17:00', false],
    ['Saturday 09:00', '2027-02-13T09:00', false],
    ['Tết mùng 1, a Saturday', '2027-02-06T09:00', false],
    ['Tết mùng 3, a Monday', '2027-02-08T09:00', false],
    ['extra day off (data)', '2027-02-09T09:00', false],
    ['make-up working Saturday (ngày làm bù, data)', '2027-02-20T09:00', true],
    ['Giỗ Tổ Hùng Vương, a Friday', '2027-04-16T09:00', false],
    ['Quốc khánh 2/9 2027, a Thursday', '2027-09-02T09:00', false],
  ])('%s', (_, at, working) => {
    expect(isWorkingTime(office, vn(at))).toBe(working);
  });

  it('the next working start skips nights, weekends, Tết and days off', () => {
    expect(nextWorkingStart(office, vn('2027-02-05T20:00'))).toBe(vn('2027-02-10T07:30'));
    expect(nextWorkingStart(office, vn('2027-02-10T12:00'))).toBe(vn('2027-02-10T13:30'));
    expect(nextWorkingStart(office, vn('2027-02-10T09:00'))).toBe(vn('2027-02-10T09:00'));
  });

  it('refuses inverted and overlapping hours, naming the span', () => {
    expect(() => validateHours([{ days: [1], from: '17:00', to: '07:00' }])).toThrow(
      /^hours\[0\]: from 17:00/,
    );
    expect(() =>
      validateHours([
        { days: [1, 3], from: '07:00', to: '12:00' },
        { days: [3], from: '11:00', to: '13:00' },
      ]),
    ).toThrow(/^hours\[1\]: overlaps hours\[0\] on day 3/);
    expect(() =>
      validateHours([
        { days: [1], from: '07:00', to: '12:00' },
        { days: [1], from: '12:00', to: '17:00' },
      ]),
    ).not.toThrow();
  });
});
