import { describe, expect, it } from 'vitest';
import { probeErrorText, refusedField } from './errors.ts';

describe('probe refusals in Vietnamese, naming the form field', () => {
  const cases: Array<[string, { status?: number; code?: string; message?: string }, string]> = [
    [
      'port out of range (schema)',
      { status: 400, code: 'HUB_ERR_VALIDATION', message: 'body/port must be <= 65535' },
      'Cổng: phải là số nguyên từ 1 đến 65.535.',
    ],
    [
      'port not a number (schema)',
      { status: 400, code: 'HUB_ERR_VALIDATION', message: 'body/port must be integer' },
      'Cổng: phải là số nguyên từ 1 đến 65.535.',
    ],
    [
      'interval too short',
      { status: 400, code: 'HUB_ERR_VALIDATION', message: 'body/intervalS must be >= 10' },
      'Chu kỳ: phải là số giây nguyên, từ 10 đến 86.400.',
    ],
    [
      'community missing (hub check)',
      {
        status: 400,
        code: 'HUB_ERR_PROBE_CONFIG',
        message: 'probe config field "snmp.community": SNMP v2c needs a community',
      },
      'Community (SNMP): SNMP v2c cần community của thiết bị.',
    ],
    [
      'address missing',
      { status: 400, code: 'HUB_ERR_VALIDATION', message: "body must have required property 'address'" },
      'Địa chỉ IP: cần một địa chỉ IPv4 (ví dụ 192.168.1.64) hoặc tên máy.',
    ],
    [
      'wrong token',
      { status: 401, code: 'HUB_ERR_UNAUTHORIZED', message: 'x' },
      'Sai hoặc thiếu mã quản trị.',
    ],
  ];
  for (const [name, error, text] of cases) {
    it(name, () => expect(probeErrorText(error)).toBe(text));
  }

  it('finds nested schema paths as dotted fields', () => {
    expect(refusedField('body/snmp/vendor must match pattern')).toBe('snmp.vendor');
    expect(refusedField('something else')).toBeNull();
  });
});
