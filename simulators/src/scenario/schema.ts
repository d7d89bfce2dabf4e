import { DEVICE_KINDS, DeviceId, LocationType } from '@commune-hub/protocol';
import { type Static, Type } from '@sinclair/typebox';

/**
 * The scenario file format (YAML). A scenario describes a commune's villages, sites and device groups,
 * and the failure models that make its history interesting. It is data: the simulator turns it into a
 * deterministic timeline from `seed`.
 */

/** Component faults a device can report while still up (st: 'degraded'), and the kinds that have them. */
export const COMPONENT_FAULTS = {
  amplifier_fault: ['loudspeaker'],
  stream_lost: ['camera'],
  disk_full: ['camera', 'pc', 'kiosk', 'rating', 'idreader'],
  printer_jam: ['pc', 'kiosk'],
} as const;
export type ComponentFault = keyof typeof COMPONENT_FAULTS;

const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'lower-case id' });
const Label = Type.String({ minLength: 1, maxLength: 200 });
const Kind = Type.Union(DEVICE_KINDS.map((k) => Type.Literal(k)));
const Positive = Type.Number({ exclusiveMinimum: 0 });
const NonNegative = Type.Number({ minimum: 0 });
const Range = Type.Tuple([NonNegative, NonNegative], { description: '[min, max]' });

/** Which devices a failure model applies to; all given fields must match; `count` picks that many (seeded). */
export const Selector = Type.Object(
  {
    ids: Type.Optional(Type.Array(DeviceId, { minItems: 1 })),
    kind: Type.Optional(Kind),
    village: Type.Optional(Slug),
    site: Type.Optional(Slug),
    count: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type Selector = Static<typeof Selector>;

export const DeviceGroup = Type.Object(
  {
    kind: Kind,
    /** Ids are `${idPrefix}-01` … (two digits at least) unless `ids` lists them. */
    idPrefix: Type.Optional(Slug),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
    ids: Type.Optional(Type.Array(DeviceId, { minItems: 1 })),
    /** Placement: one site, sites round-robin, one village, or villages round-robin ('all' = every village). */
    site: Type.Optional(Slug),
    sites: Type.Optional(Type.Array(Slug, { minItems: 1 })),
    village: Type.Optional(Slug),
    villages: Type.Optional(Type.Union([Type.Literal('all'), Type.Array(Slug, { minItems: 1 })])),
    /** Name template: {n} number, {site} site name, {village} village name. */
    name: Label,
    intervalS: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400 })),
    model: Type.Optional(Type.String({ maxLength: 128 })),
    firmware: Type.Optional(Type.String({ maxLength: 128 })),
    /** Parameters of the kind's metric model, e.g. {clientsPeak: 40, rssiDbm: -72}. */
    metrics: Type.Optional(Type.Record(Type.String(), Type.Number())),
  },
  { additionalProperties: false },
);
export type DeviceGroup = Static<typeof DeviceGroup>;

export const OutageModel = Type.Object(
  {
    kind: Kind,
    mtbfH: Positive,
    mttrMin: Positive,
    /** How an outage looks on the wire in live mode: socket dropped (last will), silence, or either (seeded). */
    mode: Type.Optional(
      Type.Union([Type.Literal('disconnect'), Type.Literal('silent'), Type.Literal('mixed')]),
    ),
  },
  { additionalProperties: false },
);

export const PowerCutModel = Type.Object(
  {
    villages: Type.Union([Type.Literal('all'), Type.Array(Slug, { minItems: 1 })]),
    mtbfH: Positive,
    mttrMin: Positive,
    /** Loudspeaker clusters run this long on battery (degraded) before they go down too. */
    batteryMin: Type.Optional(NonNegative),
  },
  { additionalProperties: false },
);

export const FlappingModel = Type.Object(
  {
    select: Selector,
    episodeEveryH: Positive,
    episodeMin: Positive,
    downS: Range,
    upS: Range,
  },
  { additionalProperties: false },
);

export const DegradedModel = Type.Object(
  {
    fault: Type.Union(Object.keys(COMPONENT_FAULTS).map((f) => Type.Literal(f))),
    kind: Type.Optional(Kind),
    select: Type.Optional(Selector),
    mtbfH: Positive,
    mttrH: Positive,
  },
  { additionalProperties: false },
);

export const ClockDriftModel = Type.Object(
  {
    select: Selector,
    /** Constant offset of the device clock, drawn per device from [min, max] seconds (may be negative). */
    offsetS: Type.Tuple([Type.Number(), Type.Number()]),
    /** Extra drift in parts per million of elapsed time. */
    ppm: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
);

export const MaintenanceWindow = Type.Object(
  {
    select: Selector,
    /** Absolute start (ISO 8601) or minutes after the start of the run. */
    from: Type.Optional(Type.String({ format: 'date-time' })),
    afterMin: Type.Optional(NonNegative),
    durationMin: Positive,
    everyDays: Type.Optional(Positive),
  },
  { additionalProperties: false },
);

export const BAD_BEHAVIOURS = ['malformed_json', 'oversized', 'spoof', 'replay', 'reconnect_storm'] as const;
export const BadActor = Type.Object(
  {
    id: DeviceId,
    kind: Kind,
    village: Slug,
    name: Label,
    behaviour: Type.Union(BAD_BEHAVIOURS.map((b) => Type.Literal(b))),
    /** Device whose topic a spoofer publishes on. */
    target: Type.Optional(DeviceId),
    everyS: Type.Optional(Positive),
  },
  { additionalProperties: false },
);
export type BadActor = Static<typeof BadActor>;

export const ScenarioFile = Type.Object(
  {
    name: Label,
    commune: Label,
    description: Type.Optional(Type.String()),
    seed: Type.Union([Type.Integer(), Type.String({ minLength: 1 })]),
    /** Local time offset (hours) for daily patterns such as broadcast hours. */
    utcOffsetH: Type.Optional(Type.Number({ minimum: -12, maximum: 14 })),
    villages: Type.Array(Type.Object({ id: Slug, name: Label }, { additionalProperties: false }), {
      minItems: 1,
    }),
    sites: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Slug,
            village: Slug,
            name: Label,
            locationType: LocationType,
          },
          { additionalProperties: false },
        ),
      ),
    ),
    devices: Type.Array(DeviceGroup, { minItems: 1 }),
    failures: Type.Optional(
      Type.Object(
        {
          outages: Type.Optional(Type.Array(OutageModel)),
          powerCuts: Type.Optional(Type.Array(PowerCutModel)),
          flapping: Type.Optional(Type.Array(FlappingModel)),
          degraded: Type.Optional(Type.Array(DegradedModel)),
          clockDrift: Type.Optional(Type.Array(ClockDriftModel)),
          neverUp: Type.Optional(Type.Array(Selector)),
        },
        { additionalProperties: false },
      ),
    ),
    maintenance: Type.Optional(Type.Array(MaintenanceWindow)),
    badActors: Type.Optional(Type.Array(BadActor)),
  },
  { additionalProperties: false },
);
export type ScenarioFile = Static<typeof ScenarioFile>;
