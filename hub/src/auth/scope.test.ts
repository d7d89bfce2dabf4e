import { describe, expect, it } from 'vitest';
import type { Places } from '../registry/places.ts';
import { Scope } from './scope.ts';

/** Three communes: tan-lap merged into hoang-kim; son-tra apart. Villages in each, one with no commune. */
const communes = {
  'hoang-kim': { id: 'hoang-kim', mergedInto: null },
  'tan-lap': { id: 'tan-lap', mergedInto: 'hoang-kim' },
  'son-tra': { id: 'son-tra', mergedInto: null },
} as Record<string, { id: string; mergedInto: string | null }>;
const villages = {
  'thon-1': { communeId: 'hoang-kim' },
  'thon-tl': { communeId: 'tan-lap' },
  'thon-st': { communeId: 'son-tra' },
  'thon-x': { communeId: null },
} as Record<string, { communeId: string | null }>;
const places = {
  commune: (id: string) => communes[id],
  village: (id: string) => villages[id],
} as unknown as Places;

describe('Scope: which villages a user sees', () => {
  it.each([
    ['province', Scope.all(), ['thon-1', 'thon-tl', 'thon-st', 'thon-x', 'unknown']],
    [
      'the merged commune: its own and its former communes',
      Scope.of(['hoang-kim'], places),
      ['thon-1', 'thon-tl'],
    ],
    ['a former commune only', Scope.of(['tan-lap'], places), ['thon-tl']],
    ['two communes', Scope.of(['tan-lap', 'son-tra'], places), ['thon-tl', 'thon-st']],
    ['no commune', Scope.of([], places), []],
  ])('%s', (_name, scope, visible) => {
    const all = ['thon-1', 'thon-tl', 'thon-st', 'thon-x', 'unknown'];
    expect(all.filter((v) => scope.allowsVillage(v))).toEqual(visible);
    expect(scope.allowsDevice(undefined)).toBe(false);
  });
});
