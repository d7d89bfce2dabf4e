/**
 * Every page of the dashboard and its address. Paths are Vietnamese and stable: they are sent on Zalo
 * and bookmarked, so a rename here must keep the old one as a redirect (see routes.tsx).
 */
export const PATHS = {
  home: '/',
  devices: '/thiet-bi',
  device: '/thiet-bi/:id',
  villages: '/thon',
  village: '/thon/:placeId',
  uptime: '/thoi-gian-hoat-dong',
  manage: '/quan-ly',
  status: '/trang-thai/:group',
  criteria: '/chi-tieu',
  alerts: '/alerts',
  alertsVi: '/canh-bao',
} as const;

/** A device's panel; `ky` is the period the panel shows (kept when a link is shared). */
export function devicePath(id: string, ky?: string | null): string {
  const base = `${PATHS.devices}/${encodeURIComponent(id)}`;
  return ky ? `${base}?ky=${encodeURIComponent(ky)}` : base;
}

export function villagePath(placeId: string): string {
  return `${PATHS.villages}/${encodeURIComponent(placeId)}`;
}

export function statusPath(group: string): string {
  return `/trang-thai/${encodeURIComponent(group)}`;
}
