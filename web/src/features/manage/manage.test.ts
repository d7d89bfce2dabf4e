import { describe, expect, it } from 'vitest';
import {
  AGENT_CA_PATH,
  agentCommand,
  brokerUrlForDevices,
  brokerUsesTls,
  shellQuote,
} from './agentCommand.ts';
import { slugOf } from './components/PublicGroupsPanel.tsx';
import { fieldOf, hubErrorText } from './errors.ts';
import { importProblemText, importRows } from './importRows.ts';

describe('hubErrorText: every HUB_ERR_* code in Vietnamese', () => {
  const cases: Array<[{ code: string; message?: string; status?: number }, string]> = [
    [{ code: 'HUB_ERR_UNAUTHORIZED', status: 401 }, 'Sai hoặc thiếu mã quản trị'],
    [
      { code: 'HUB_ERR_VALIDATION', message: 'body/id must match pattern "^[a-z0-9]"' },
      'Mã thiết bị: phải chỉ gồm',
    ],
    [
      { code: 'HUB_ERR_VALIDATION', message: 'body/intervalS must be <= 86400' },
      'Chu kỳ gửi tín hiệu (giây): phải là số nguyên',
    ],
    [{ code: 'HUB_ERR_VALIDATION', message: 'something else' }, 'Dữ liệu chưa đúng'],
    [{ code: 'HUB_ERR_DEVICE_EXISTS' }, 'Mã thiết bị này đã được dùng'],
    [{ code: 'HUB_ERR_EXISTS' }, 'Đã có một mục'],
    [{ code: 'HUB_ERR_DEVICE_NOT_FOUND' }, 'Không tìm thấy thiết bị'],
    [{ code: 'HUB_ERR_NOT_FOUND' }, 'Không tìm thấy mục này'],
    [{ code: 'HUB_ERR_BAD_TIME_RANGE' }, 'kết thúc phải sau'],
    [{ code: 'HUB_ERR_UNREACHABLE', status: 0 }, 'Không kết nối được máy chủ'],
    [{ code: 'HUB_ERR_INTERNAL', status: 500 }, 'Máy chủ gặp lỗi'],
    [{ code: 'HUB_ERR_HTTP', status: 502 }, 'Chưa thực hiện được'],
  ];
  it.each(cases)('%o', (err, expected) => {
    expect(hubErrorText(err)).toContain(expected);
    expect(hubErrorText(err)).not.toMatch(/HUB_ERR|must|body\//);
  });
  it('finds the field fastify named', () => {
    expect(fieldOf("body must have required property 'name'")).toBe('name');
    expect(fieldOf('body/village must NOT have fewer than 1 characters')).toBe('village');
  });
});

describe('agentCommand', () => {
  it('gives the README form with the secret in the environment', () => {
    expect(
      agentCommand({
        hub: brokerUrlForDevices({ mqttPort: 1883 }, '127.0.0.1'),
        id: 'hk-wifi-15',
        kind: 'wifi',
        secret: 'AbC_d-9',
      }),
    ).toBe(
      'HUB_AGENT_SECRET=AbC_d-9 npm run agent -- --hub mqtt://127.0.0.1:1883 --id hk-wifi-15 --kind wifi',
    );
  });
  it.each([
    ['mqtts://mqtt.xa-hoangkim.vn:8883', ' --ca /etc/commune-hub/ca.pem'],
    ['MQTTS://10.0.0.5:8883', ' --ca /etc/commune-hub/ca.pem'],
    ['wss://hub.xa.vn/mqtt', ' --ca /etc/commune-hub/ca.pem'],
    ['mqtt://10.0.0.5:1883', ''],
    ['ws://hub.xa.vn/mqtt', ''],
  ])('for %s adds the CA option "%s" after --hub', (hub, ca) => {
    expect(brokerUsesTls(hub)).toBe(ca !== '');
    expect(agentCommand({ hub, id: 'hk-cam-1', kind: 'camera', secret: 's3' })).toBe(
      `HUB_AGENT_SECRET=s3 npm run agent -- --hub ${hub}${ca} --id hk-cam-1 --kind camera`,
    );
  });
  it('the CA path is an absolute placeholder that needs no quoting', () => {
    expect(AGENT_CA_PATH).toMatch(/^\/[\w/.-]+\.pem$/);
  });
  it.each([
    ['plain', 'plain'],
    ["it's", `'it'\\''s'`],
    ['a b', "'a b'"],
    ['$(rm)', "'$(rm)'"],
  ])('quotes %s', (input, out) => expect(shellQuote(input)).toBe(out));
  it('brackets an IPv6 host', () => {
    expect(brokerUrlForDevices({ mqttPort: 1883 }, '::1')).toBe('mqtt://[::1]:1883');
  });
  it('uses the dashboard host and the broker port unless the hub says HUB_PUBLIC_MQTT_URL', () => {
    expect(brokerUrlForDevices({ mqttPort: 8883 }, 'hub.xa.vn')).toBe('mqtt://hub.xa.vn:8883');
    expect(brokerUrlForDevices({}, 'hub.xa.vn')).toBe('mqtt://hub.xa.vn:1883');
    expect(
      brokerUrlForDevices({ mqttPort: 1883, mqttUrl: 'mqtts://mqtt.xa-hoangkim.vn:8883/' }, 'hub.xa.vn'),
    ).toBe('mqtts://mqtt.xa-hoangkim.vn:8883');
  });
});

describe('importRows: the dry run row by row', () => {
  const csv =
    '\uFEFFid,kind,name,village\nhk-a,wifi,Wifi A,Thôn 1\n\nhk-b,toaster,B,Thôn 2\nhk-a,wifi,Wifi A2,Thôn 1\n';
  const report = {
    dryRun: true,
    rows: 3,
    errors: [
      { line: 3, id: 'hk-b', message: 'kind: Expected union value' },
      { line: 4, id: 'hk-a', message: 'id hk-a is also on line 2; device hk-a already exists' },
    ],
    warnings: [],
    created: [],
  };
  it('numbers rows as the hub does (blank lines skipped) and says each problem in Vietnamese', () => {
    const { rows, general } = importRows(csv, report);
    expect(general).toEqual([]);
    expect(rows.map((r) => [r.line, r.id, r.errors])).toEqual([
      [2, 'hk-a', []],
      [3, 'hk-b', ['Loại thiết bị: không phải loại thiết bị đã biết']],
      [4, 'hk-a', ['Mã hk-a trùng với dòng 2', 'Mã hk-a đã có thiết bị khác dùng']],
    ]);
  });
  it('puts file-level problems apart', () => {
    const { general } = importRows('id,name\n', {
      ...report,
      errors: [{ line: 1, message: 'missing column(s): kind, village' }],
    });
    expect(general).toEqual(['Thiếu cột: kind, village']);
  });
  it('keeps an unknown problem readable as sent', () => {
    expect(importProblemText('probe_type: bad')).toBe('probe_type: bad');
  });
});

describe('slugOf: a public page address from its name', () => {
  it.each([
    ['Wifi công cộng xã Hoàng Kim', 'wifi-cong-cong-xa-hoang-kim'],
    ['  Camera an ninh — Thôn 3 ', 'camera-an-ninh-thon-3'],
    ['Đường truyền', 'duong-truyen'],
    ['!!!', ''],
    ['a'.repeat(70), 'a'.repeat(64)],
  ])('%s → %s', (name, slug) => expect(slugOf(name)).toBe(slug));
});
