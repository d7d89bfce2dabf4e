import { Type } from '@sinclair/typebox';
import { ApiError } from './api.ts';
import {
  PublicDevicePage,
  PublicDeviceToken,
  PublicGroup,
  PublicGroupInput,
  PublicGroupSlug,
  PublicReport,
  PublicReportAccepted,
  PublicReportInput,
  PublicReportQuery,
  PublicStatusPage,
} from './public-status.ts';
import type { RouteSpec } from './routes.ts';

/**
 * The public status page's routes (spread into `routes` in ./routes.ts). Under `/api/public/` (tag
 * `public`): read-only pages and the citizen's report, no login, only opted-in groups. Under
 * `/api/public-status/`: the admin's definition of the groups and the reports received.
 */

const errors = { '4xx': ApiError } as const;
const GroupParams = Type.Object({ group: PublicGroupSlug });
const NoContent = Type.Null({ description: 'No content' });

export const publicStatusRouteMap = {
  publicGroupList: {
    method: 'GET',
    url: '/api/public-status/groups',
    auth: 'admin',
    summary: 'Public status groups, published or not, with the devices they hold now and their public tokens',
    tags: ['public-status'],
    response: { 200: Type.Array(PublicGroup), ...errors },
  },
  publicGroupCreate: {
    method: 'POST',
    url: '/api/public-status/groups',
    auth: 'admin',
    summary: 'Define a public status group (listed devices, or a kind and/or village)',
    description: '409 HUB_ERR_EXISTS when the slug is taken. Nothing is public until `published` is true.',
    tags: ['public-status'],
    body: PublicGroupInput,
    response: { 201: PublicGroup, ...errors },
  },
  publicGroupUpdate: {
    method: 'PUT',
    url: '/api/public-status/groups/:group',
    auth: 'admin',
    summary: 'Replace a public status group (publish, unpublish, change its devices)',
    tags: ['public-status'],
    params: GroupParams,
    body: PublicGroupInput,
    response: { 200: PublicGroup, ...errors },
  },
  publicGroupDelete: {
    method: 'DELETE',
    url: '/api/public-status/groups/:group',
    auth: 'admin',
    summary: 'Remove a public status group (its reports stay)',
    tags: ['public-status'],
    params: GroupParams,
    response: { 204: NoContent, ...errors },
  },
  publicReportList: {
    method: 'GET',
    url: '/api/public-status/reports',
    auth: 'admin',
    summary: 'Problem reports citizens sent from the public pages, newest first',
    tags: ['public-status'],
    querystring: PublicReportQuery,
    response: { 200: Type.Array(PublicReport), ...errors },
  },
  publicStatusGroup: {
    method: 'GET',
    url: '/api/public/status/:group',
    auth: 'public',
    summary: "A published group's devices: display name, status and uptime this month, nothing else",
    description: '404 HUB_ERR_NOT_FOUND for a group that does not exist or is not published.',
    tags: ['public'],
    params: GroupParams,
    response: { 200: PublicStatusPage, ...errors },
  },
  publicStatusDevice: {
    method: 'GET',
    url: '/api/public/status/:group/:token',
    auth: 'public',
    summary: 'One device of a published group, by its public token (the printed QR code leads here)',
    tags: ['public'],
    params: Type.Object({ group: PublicGroupSlug, token: PublicDeviceToken }),
    response: { 200: PublicDevicePage, ...errors },
  },
  publicReportCreate: {
    method: 'POST',
    url: '/api/public/status/:group/reports',
    auth: 'public',
    summary:
      "A citizen reports a problem (optionally with a device's token); it lands in the dashboard's feed",
    description:
      'Text 3–1000 characters without control characters (400 HUB_ERR_VALIDATION). Limited per IP address ' +
      '(429 HUB_ERR_RATE_LIMITED, HUB_PUBLIC_REPORTS_PER_HOUR). The address is counted in memory, never stored.',
    tags: ['public'],
    params: GroupParams,
    body: PublicReportInput,
    response: { 202: PublicReportAccepted, ...errors },
  },
} as const satisfies Record<string, RouteSpec>;
