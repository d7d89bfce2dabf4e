import { readdirSync } from 'node:fs';
import { isValidDeviceId } from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import type { SimError } from '../errors.ts';
import { loadScenario, parseScenario, SCENARIOS_DIR } from '../scenario/load.ts';

const minimal = `
name: t
commune: Xã Thử
seed: 1
villages:
  - { id: thon-1, name: Thôn 1 }
sites:
  - { id: ubnd, village: thon-1, name: UBND, locationType: commune_office }
devices:
  - kind: wifi
    idPrefix: t-wifi
    count: 3
    site: ubnd
    name: Wifi {n}
`;

function errorOf(text: string): SimError {
  try {
    parseScenario(text, 'bad.yaml');
  } catch (err) {
    return err as SimError;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('scenario files', () => {
  it('accepts a minimal scenario and expands its groups', () => {
    const s = parseScenario(minimal, 'ok.yaml');
    expect(s.devices.map((d) => d.id)).toEqual(['t-wifi-01', 't-wifi-02', 't-wifi-03']);
    expect(s.devices[1]).toMatchObject({ name: 'Wifi 02', village: 'Thôn 1', siteId: 'ubnd', intervalS: 30 });
  });

  it('names the file, line, path and what was expected', () => {
    const err = errorOf(minimal.replace('kind: wifi', 'kind: wiffi'));
    expect(err.code).toBe('SIM_ERR_SCENARIO_INVALID');
    expect(err.message).toContain('bad.yaml:10:11 /devices/0/kind');
    expect(err.message).toContain('/devices/0/kind: expected one of "loudspeaker", "wifi"');
    expect(err.message).toContain('got "wiffi"');
  });

  it('reports unknown properties, missing fields and bad references together', () => {
    const err = errorOf(
      minimal
        .replace('locationType: commune_office', 'locationType: office, colour: red')
        .replace('seed: 1\n', ''),
    );
    expect(err.message).toMatch(/\/seed: required property is missing/);
    expect(err.message).toMatch(/\/sites\/0\/colour: unknown property/);
    expect(err.message).toMatch(/\/sites\/0\/locationType: expected one of "commune_office"/);
    const ref = errorOf(minimal.replace('site: ubnd', 'site: nowhere'));
    expect(ref.message).toContain('/devices/0/site: unknown site "nowhere"');
    const ids = errorOf(minimal.replace('t-wifi', 'T-Wifi'));
    expect(ids.message).toMatch(/\/devices\/0\/idPrefix: expected lower-case id/);
  });

  it('rejects faults that do not fit the kind, duplicate and unknown device ids', () => {
    const fault = errorOf(
      `${minimal}failures:\n  degraded:\n    - { fault: amplifier_fault, kind: wifi, mtbfH: 10, mttrH: 1 }\n`,
    );
    expect(fault.message).toContain('fault "amplifier_fault" does not exist on kind "wifi"');
    const dup = errorOf(`${minimal}  - { kind: pc, ids: [t-wifi-02], site: ubnd, name: PC }\n`);
    expect(dup.message).toContain('device id "t-wifi-02" is used twice');
    const unknown = errorOf(`${minimal}failures:\n  neverUp:\n    - { ids: [t-wifi-09] }\n`);
    expect(unknown.message).toMatch(
      /bad\.yaml:\d+:\d+ \/failures\/neverUp\/0\/ids\/0: unknown device id "t-wifi-09"/,
    );
  });

  it('reports YAML syntax errors and missing files clearly', () => {
    expect(errorOf('name: [unclosed').code).toBe('SIM_ERR_SCENARIO_PARSE');
    expect(() => loadScenario('no-such-commune')).toThrow(/scenario "no-such-commune" not found/);
  });

  it('every shipped scenario is valid, with protocol-valid ids', () => {
    const files = readdirSync(SCENARIOS_DIR).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(1);
    for (const f of files) {
      const s = loadScenario(f);
      expect(
        s.devices.every((d) => isValidDeviceId(d.id)),
        f,
      ).toBe(true);
    }
    const hk = loadScenario('hoang-kim');
    const count = (k: string) => hk.devices.filter((d) => d.kind === k).length;
    expect(hk.devices.length).toBeGreaterThanOrEqual(60);
    expect([count('wifi'), count('camera'), count('pc'), count('conference')]).toEqual([14, 25, 21, 1]);
    expect(new Set(hk.devices.filter((d) => d.kind === 'loudspeaker').map((d) => d.villageId)).size).toBe(6);
  });
});
