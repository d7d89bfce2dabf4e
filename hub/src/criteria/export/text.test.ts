import { describe, expect, it } from 'vitest';
import {
  attachmentDisposition,
  neutralizeFormula,
  placeAndDate,
  placeName,
  slug,
  vnDateTime,
} from './text.ts';

describe('neutralizeFormula', () => {
  it.each([
    ['=HYPERLINK("http://x","bấm")', '\'=HYPERLINK("http://x","bấm")'],
    ['+cmd', "'+cmd"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\tTab', "'\tTab"],
    ['\rCR', "'\rCR"],
    ['Quyết định 12/QĐ-UBND', 'Quyết định 12/QĐ-UBND'],
    ['', ''],
    ['a=b', 'a=b'],
  ])('%j → %j', (input, expected) => {
    expect(neutralizeFormula(input)).toBe(expected);
  });
});

describe('Vietnamese dates', () => {
  it('writes the place and date line in Vietnam time', () => {
    // 30 Nov 2026 18:00 UTC is already 1 December in Hanoi.
    expect(placeAndDate('Hoàng Kim', Date.UTC(2026, 10, 30, 10))).toBe(
      'Hoàng Kim, ngày 30 tháng 11 năm 2026',
    );
    expect(placeAndDate('Hoàng Kim', Date.UTC(2026, 10, 30, 18))).toBe('Hoàng Kim, ngày 1 tháng 12 năm 2026');
  });

  it('formats times in Asia/Ho_Chi_Minh', () => {
    expect(vnDateTime(Date.UTC(2026, 0, 5, 1, 7))).toBe('05/01/2026 08:07');
    expect(vnDateTime(null)).toBe('');
  });

  it('drops the unit word from a commune name', () => {
    expect(placeName('Xã Hoàng Kim')).toBe('Hoàng Kim');
    expect(placeName('Phường Đông Sơn')).toBe('Đông Sơn');
    expect(placeName('Hoàng Kim')).toBe('Hoàng Kim');
  });
});

describe('file names', () => {
  it('slugs Vietnamese to ASCII', () => {
    expect(slug('Chỉ tiêu Đông Sơn 11/2026')).toBe('chi-tieu-dong-son-11-2026');
  });

  it('gives an ASCII fallback and the exact UTF-8 name (RFC 5987)', () => {
    const header = attachmentDisposition('Phụ lục Hoàng Kim (2026).xlsx');
    expect(header).toBe(
      'attachment; filename="Phu luc Hoang Kim (2026).xlsx"; filename*=UTF-8\'\'Ph%E1%BB%A5%20l%E1%BB%A5c%20Ho%C3%A0ng%20Kim%20%282026%29.xlsx',
    );
    expect(/^[\x20-\x7e]*$/.test(header)).toBe(true);
    expect(attachmentDisposition('a"b;c.docx')).toContain('filename="a_b_c.docx"');
  });
});
