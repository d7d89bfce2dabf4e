import { type Static, Type } from '@sinclair/typebox';

/** Every error answer of the REST API. `code` is stable (HUB_ERR_...), `message` is for people. */
export const ApiError = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String(),
});
export type ApiError = Static<typeof ApiError>;

export const TimeRangeQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ description: 'ISO 8601 time or epoch milliseconds' })),
    to: Type.Optional(Type.String({ description: 'ISO 8601 time or epoch milliseconds' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1000 })),
  },
  { additionalProperties: false },
);
export type TimeRangeQuery = Static<typeof TimeRangeQuery>;

export const Health = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  uptimeS: Type.Number(),
  devices: Type.Integer(),
  mqttClients: Type.Integer(),
});
export type Health = Static<typeof Health>;
