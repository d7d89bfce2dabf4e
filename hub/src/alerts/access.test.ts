import type { AlertScope } from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import { Scope } from '../auth/scope.ts';
import { HubError } from '../errors.ts';
import type { Places } from '../registry/places.ts';
import type { DeviceRecord } from '../registry/registry.ts';
import { chosenIdRefused, hubChosenId, mayChange, targetReach } from './access.ts';

/** Two communes, a village and a kiosk in each. */
const villages: Record<string, { communeId: string }> = {
  'thon-a': { communeId: 'xa-a' },
  'thon-b': { communeId: 'xa-b' },
};
const places = {
  commune: (id: string) => ({ id, mergedInto: null }),
  village: (id: string) => villages[id],
} as unknown as Places;
const devices: Record<string, DeviceRecord> = {
  'a-kiosk': { villageId: 'thon-a' } as DeviceRecord,
  'b-kiosk': { villageId: 'thon-b' } as DeviceRecord,
};
const getDevice = (id: string) => devices[id];
const province = Scope.all();
const communeA = Scope.of(['xa-a'], places);

describe('alert configuration access: what a caller sees and may change (the `editable` of the answers)', () => {
  it.each<[string, Scope, AlertScope, 'hub' | 'inside' | 'outside', boolean]>([
    ['province, hub-wide (kinds only)', province, { kinds: ['kiosk'] }, 'hub', true],
    ['province, one commune', province, { communeIds: ['xa-b'] }, 'inside', true],
    ['commune A, hub-wide (kinds only)', communeA, { kinds: ['kiosk'] }, 'hub', false],
    ['commune A, nothing named', communeA, {}, 'hub', false],
    ['commune A, its village', communeA, { villageIds: ['thon-a'] }, 'inside', true],
    ['commune A, its device', communeA, { deviceIds: ['a-kiosk'] }, 'inside', true],
    ['commune A, its commune', communeA, { communeIds: ['xa-a'] }, 'inside', true],
    [
      "commune A, B's device beside its own",
      communeA,
      { deviceIds: ['a-kiosk', 'b-kiosk'] },
      'outside',
      false,
    ],
    ["commune A, B's commune", communeA, { communeIds: ['xa-b'] }, 'outside', false],
    ['commune A, an unknown device', communeA, { deviceIds: ['nowhere'] }, 'outside', false],
  ])('%s: reach %s, may change %s', (_name, scope, target, reach, editable) => {
    expect(targetReach(scope, target, getDevice)).toBe(reach);
    expect(mayChange(scope, reach)).toBe(editable);
  });

  it("a commune user's new rule or window gets a random id that is not taken", () => {
    const taken = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const id = hubChosenId('rule', (x) => taken.has(x));
      expect(id).toMatch(/^rule-[0-9a-f]{10}$/);
      expect(taken.has(id)).toBe(false);
      taken.add(id);
    }
    // Taken ids are skipped: the first two draws collide, the third is answered.
    let draws = 0;
    const id = hubChosenId('win', () => ++draws < 3);
    expect(draws).toBe(3);
    expect(id).toMatch(/^win-[0-9a-f]{10}$/);
  });

  it('a chosen id is refused with a validation error naming the field, the same for any id', () => {
    const err = chosenIdRefused('rule');
    expect(err).toBeInstanceOf(HubError);
    expect(err.code).toBe('HUB_ERR_VALIDATION');
    expect(err.message).toMatch(/^id: /);
  });
});
