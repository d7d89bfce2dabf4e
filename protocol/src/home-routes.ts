import { Type } from '@sinclair/typebox';
import { ApiError } from './api.ts';
import { FeedPage, FeedQuery, VillageHealth } from './home.ts';
import type { RouteSpec } from './routes.ts';

const errors = { '4xx': ApiError } as const;

/** Routes of the dashboard's home page ("Hôm nay"); spread into `routes` (routes.ts). */
export const homeRouteMap = {
  villageHealth: {
    method: 'GET',
    url: '/api/villages/health',
    auth: 'viewer',
    summary: "Each village's devices working/total and its outage (nghi mất điện / nghi mất mạng)",
    description:
      'Classified now by the same rule the alerts use (hub/src/correlation): most of a village dropping ' +
      'within the correlation window, or loudspeakers on battery, is a power cut; a gateway down with ' +
      'all its children is a network cut.',
    tags: ['home'],
    response: { 200: Type.Array(VillageHealth), ...errors },
  },
  feed: {
    method: 'GET',
    url: '/api/feed',
    auth: 'viewer',
    summary: 'Recent changes: status transitions, alerts fired/resolved, maintenance, citizen reports',
    tags: ['home'],
    querystring: FeedQuery,
    response: { 200: FeedPage, ...errors },
  },
} as const satisfies Record<string, RouteSpec>;
