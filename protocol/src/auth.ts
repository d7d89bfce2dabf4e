import { type Static, Type } from '@sinclair/typebox';
import { PlaceId } from './places.ts';

/** `viewer` reads; `operator` also acknowledges alerts, schedules maintenance, enters criteria inputs; `admin` all. */
export const UserRole = Type.Union([Type.Literal('viewer'), Type.Literal('operator'), Type.Literal('admin')]);
export type UserRole = Static<typeof UserRole>;

export const Username = Type.String({
  pattern: '^[a-z0-9][a-z0-9._@-]{1,63}$',
  description: 'lower-case letters, digits, `.`, `_`, `@`, `-`; 2–64 characters',
});

/** At least 10 characters: a commune official's passphrase, not a PIN. */
export const Password = Type.String({ minLength: 10, maxLength: 200 });

/**
 * A user of the dashboard and the API. `province: true`: every commune of the hub (now and later);
 * otherwise only the devices, alerts and figures of `communeIds` (and the former communes merged into them).
 */
export const UserView = Type.Object({
  id: Type.String(),
  username: Username,
  displayName: Type.String(),
  role: UserRole,
  province: Type.Boolean(),
  communeIds: Type.Array(PlaceId),
  disabled: Type.Boolean(),
  createdAt: Type.String(),
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
});
export type UserView = Static<typeof UserView>;

export const UserCreate = Type.Object(
  {
    username: Username,
    displayName: Type.Optional(Type.String({ maxLength: 200 })),
    password: Password,
    role: UserRole,
    province: Type.Optional(Type.Boolean({ default: false })),
    communeIds: Type.Optional(Type.Array(PlaceId, { maxItems: 1000 })),
    /** Also issue a personal API token with this name (answered once, in `apiToken`). */
    apiTokenName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type UserCreate = Static<typeof UserCreate>;

export const UserUpdate = Type.Object(
  {
    displayName: Type.Optional(Type.String({ maxLength: 200 })),
    password: Type.Optional(Password),
    role: Type.Optional(UserRole),
    province: Type.Optional(Type.Boolean()),
    communeIds: Type.Optional(Type.Array(PlaceId, { maxItems: 1000 })),
    /** Disabling signs the user out everywhere; their API tokens stop working. */
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UserUpdate = Static<typeof UserUpdate>;

/** A personal API token as listed: never its secret, which is shown only when it is created. */
export const ApiTokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  userId: Type.String(),
  /** The token's first characters, to recognise it. */
  prefix: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
export type ApiTokenView = Static<typeof ApiTokenView>;

export const ApiTokenCreate = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);
export type ApiTokenCreate = Static<typeof ApiTokenCreate>;

/** `token`: send it as `Authorization: Bearer <token>`. Shown only this once; the hub keeps its hash. */
export const ApiTokenCreated = Type.Object({ token: Type.String(), info: ApiTokenView });
export type ApiTokenCreated = Static<typeof ApiTokenCreated>;

export const UserCreated = Type.Object({ user: UserView, apiToken: Type.Optional(ApiTokenCreated) });
export type UserCreated = Static<typeof UserCreated>;

export const SessionCreate = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ maxLength: 200 }) },
  { additionalProperties: false },
);
export type SessionCreate = Static<typeof SessionCreate>;

/**
 * Who is calling. `csrfToken`: for a browser session, the value to send as `x-csrf-token` on every write
 * (null when the call came with a bearer token, which needs none).
 */
export const SessionView = Type.Object({
  user: UserView,
  via: Type.Union([Type.Literal('session'), Type.Literal('token')]),
  csrfToken: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
});
export type SessionView = Static<typeof SessionView>;

/** One write, as the audit log keeps it: who, what, when, from where, and how it ended. */
export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  userId: Type.Union([Type.String(), Type.Null()]),
  username: Type.Union([Type.String(), Type.Null()]),
  /** How the caller proved who they are: `session`, `token`, `bootstrap` (HUB_ADMIN_TOKEN), `anonymous`. */
  via: Type.String(),
  method: Type.String(),
  /** The route's name in the route map (`deviceCreate`), or the socket event. */
  route: Type.String(),
  path: Type.String(),
  status: Type.Integer(),
  ip: Type.String(),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditQuery = Type.Object(
  {
    /** Paging: entries older than this id (the `nextBefore` of the previous page). */
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    username: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const AuditPage = Type.Object({
  entries: Type.Array(AuditEntry),
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: Type.Union([Type.Integer(), Type.Null()]),
});
export type AuditPage = Static<typeof AuditPage>;

/** The session cookie (httpOnly, SameSite=Strict, Secure over HTTPS). */
export const SESSION_COOKIE = 'hub_session';
/** The header a browser session sends its CSRF token in on every write. */
export const CSRF_HEADER = 'x-csrf-token';
