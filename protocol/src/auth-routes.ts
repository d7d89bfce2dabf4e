import { Type } from '@sinclair/typebox';
import { ApiError } from './api.ts';
import {
  ApiTokenCreate,
  ApiTokenCreated,
  ApiTokenView,
  AuditPage,
  AuditQuery,
  SessionCreate,
  SessionView,
  UserCreate,
  UserCreated,
  UserUpdate,
  UserView,
} from './auth.ts';
import type { RouteSpec } from './routes.ts';

const errors = { '4xx': ApiError } as const;
const NoContent = Type.Null({ description: 'No content' });
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/**
 * Sessions (dashboard login), users (admins), personal API tokens and the audit log; merged into `routes`
 * in ./routes.ts. The roles and what is anonymous are in the README's "Security" section.
 */
export const authRouteMap = {
  sessionCreate: {
    method: 'POST',
    url: '/api/session',
    auth: 'public',
    summary: 'Sign in: sets the session cookie and answers the CSRF token for writes',
    description:
      'Wrong name or password: 401 HUB_ERR_BAD_CREDENTIALS (the same answer for an unknown name). Repeated failures for one name or from one address lock further attempts with a growing delay: 429 HUB_ERR_LOCKED_OUT with Retry-After.',
    tags: ['auth'],
    body: SessionCreate,
    response: { 200: SessionView, ...errors },
  },
  sessionDelete: {
    method: 'DELETE',
    url: '/api/session',
    auth: 'viewer',
    summary: 'Sign out (ends this session)',
    tags: ['auth'],
    response: { 204: NoContent, ...errors },
  },
  sessionMe: {
    method: 'GET',
    url: '/api/session/me',
    auth: 'viewer',
    summary: 'Who is calling: the user, how they signed in, the CSRF token of a browser session',
    tags: ['auth'],
    response: { 200: SessionView, ...errors },
  },
  userList: {
    method: 'GET',
    url: '/api/users',
    auth: 'admin',
    summary: 'Every user with role and communes',
    tags: ['auth'],
    response: { 200: Type.Array(UserView), ...errors },
  },
  userCreate: {
    method: 'POST',
    url: '/api/users',
    auth: 'admin',
    summary: 'Add a user (optionally with a personal API token, shown once)',
    description:
      'While the hub has no admin, `Authorization: Bearer <HUB_ADMIN_TOKEN>` may create the first one (`npm run users -- add`); after that only admins can.',
    tags: ['auth'],
    body: UserCreate,
    response: { 201: UserCreated, ...errors },
  },
  userUpdate: {
    method: 'PATCH',
    url: '/api/users/:id',
    auth: 'admin',
    summary: "Change a user's role, communes, password or name, or disable them",
    tags: ['auth'],
    params: IdParams,
    body: UserUpdate,
    response: { 200: UserView, ...errors },
  },
  userDelete: {
    method: 'DELETE',
    url: '/api/users/:id',
    auth: 'admin',
    summary: 'Remove a user, their sessions and tokens (the audit log keeps their name)',
    tags: ['auth'],
    params: IdParams,
    response: { 204: NoContent, ...errors },
  },
  tokenList: {
    method: 'GET',
    url: '/api/tokens',
    auth: 'viewer',
    summary: "The caller's personal API tokens (an admin sees everyone's)",
    tags: ['auth'],
    response: { 200: Type.Array(ApiTokenView), ...errors },
  },
  tokenCreate: {
    method: 'POST',
    url: '/api/tokens',
    auth: 'viewer',
    summary: 'Issue a personal API token for scripts, with the caller’s role and communes',
    tags: ['auth'],
    body: ApiTokenCreate,
    response: { 201: ApiTokenCreated, ...errors },
  },
  tokenRevoke: {
    method: 'DELETE',
    url: '/api/tokens/:id',
    auth: 'viewer',
    summary: 'Revoke a personal API token (one of the caller’s own; an admin may revoke any)',
    tags: ['auth'],
    params: IdParams,
    response: { 204: NoContent, ...errors },
  },
  auditList: {
    method: 'GET',
    url: '/api/audit',
    auth: 'admin',
    summary: 'The audit log of writes, newest first, a page at a time',
    tags: ['auth'],
    querystring: AuditQuery,
    response: { 200: AuditPage, ...errors },
  },
} as const satisfies Record<string, RouteSpec>;
