import { type Static, Type } from '@sinclair/typebox';
import { PlainText } from './text-safety.ts';

/** Where a device stands: the criteria count some kinds by location type (4.5 counts wifi points by place). */
export const LOCATION_TYPES = [
  'commune_office',
  'cultural_house',
  'school',
  'health_station',
  'pagoda',
  'crossroads',
  'market',
  'other',
] as const;
export const LocationType = Type.Union(LOCATION_TYPES.map((l) => Type.Literal(l)));
export type LocationType = Static<typeof LocationType>;

/** Ids of places: lower-case slugs, stable across renames and commune mergers. */
export const PlaceId = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' });
const Label = PlainText({ minLength: 1, maxLength: 200 });

/**
 * A commune-level unit. Since the 2025 reform many communes were merged: a former commune keeps its
 * record with `mergedInto` pointing at the current one, so history can still be grouped by it.
 */
export const Commune = Type.Object({
  id: PlaceId,
  name: Label,
  province: Type.String({ maxLength: 200 }),
  mergedInto: Type.Union([PlaceId, Type.Null()]),
});
export type Commune = Static<typeof Commune>;

export const CommuneCreate = Type.Object(
  {
    id: PlaceId,
    name: Label,
    province: Type.Optional(Type.String({ maxLength: 200 })),
    mergedInto: Type.Optional(Type.Union([PlaceId, Type.Null()])),
  },
  { additionalProperties: false },
);
export type CommuneCreate = Static<typeof CommuneCreate>;

/** A village (thôn / bản / tổ dân phố). Moving it to another commune keeps its id and its devices'. */
export const Village = Type.Object({
  id: PlaceId,
  name: Label,
  communeId: Type.Union([PlaceId, Type.Null()]),
});
export type Village = Static<typeof Village>;

export const VillageCreate = Type.Object(
  { id: Type.Optional(PlaceId), name: Label, communeId: Type.Optional(Type.Union([PlaceId, Type.Null()])) },
  { additionalProperties: false },
);
export type VillageCreate = Static<typeof VillageCreate>;

export const VillageUpdate = Type.Object(
  { name: Type.Optional(Label), communeId: Type.Optional(Type.Union([PlaceId, Type.Null()])) },
  { additionalProperties: false },
);
export type VillageUpdate = Static<typeof VillageUpdate>;

export const Site = Type.Object({
  id: PlaceId,
  name: Label,
  villageId: PlaceId,
  locationType: LocationType,
});
export type Site = Static<typeof Site>;

export const SiteCreate = Type.Object(
  { id: Type.Optional(PlaceId), name: Label, villageId: PlaceId, locationType: LocationType },
  { additionalProperties: false },
);
export type SiteCreate = Static<typeof SiteCreate>;
