import type { BinaryMediaType, RouteName, Routes } from './routes.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * Method, path and media types of every route of the map, without its schemas: what the typed client
 * needs at run time, so the dashboard bundle and the CLIs do not load TypeBox and every schema just
 * to make a call. `satisfies` below makes tsc reject any entry whose method, path or media type
 * differs from `routes` (they are literal types there), and any route missing here.
 */
type Endpoint<N extends RouteName> = Pick<
  Routes[N],
  Extract<keyof Routes[N], 'method' | 'url' | 'consumes' | 'produces'>
>;

export const routeEndpoints = {
  health: { method: 'GET', url: '/healthz' },
  metrics: { method: 'GET', url: '/metrics', produces: 'text/plain' },
  openapi: { method: 'GET', url: '/api/openapi.json' },
  deviceList: { method: 'GET', url: '/api/devices' },
  deviceCreate: { method: 'POST', url: '/api/devices' },
  deviceImport: { method: 'POST', url: '/api/devices/import', consumes: 'text/csv' },
  deviceGet: { method: 'GET', url: '/api/devices/:id' },
  deviceUpdate: { method: 'PATCH', url: '/api/devices/:id' },
  deviceRotateSecret: { method: 'POST', url: '/api/devices/:id/secret' },
  deviceHeartbeats: { method: 'GET', url: '/api/devices/:id/heartbeats' },
  deviceTransitions: { method: 'GET', url: '/api/devices/:id/transitions' },
  deviceSeries: { method: 'GET', url: '/api/devices/:id/series' },
  deviceUptime: { method: 'GET', url: '/api/devices/:id/uptime' },
  fleetUptime: { method: 'GET', url: '/api/uptime' },
  uptimeReport: { method: 'GET', url: '/api/uptime/report' },
  maintenanceCreate: { method: 'POST', url: '/api/maintenance' },
  maintenanceList: { method: 'GET', url: '/api/maintenance' },
  maintenanceDelete: { method: 'DELETE', url: '/api/maintenance/:id' },
  communeList: { method: 'GET', url: '/api/communes' },
  communeCreate: { method: 'POST', url: '/api/communes' },
  villageList: { method: 'GET', url: '/api/villages' },
  villageCreate: { method: 'POST', url: '/api/villages' },
  villageUpdate: { method: 'PATCH', url: '/api/villages/:id' },
  siteList: { method: 'GET', url: '/api/sites' },
  siteCreate: { method: 'POST', url: '/api/sites' },
  deviceProbeGet: { method: 'GET', url: '/api/devices/:id/probe' },
  deviceProbeSet: { method: 'PUT', url: '/api/devices/:id/probe' },
  deviceProbeDelete: { method: 'DELETE', url: '/api/devices/:id/probe' },
  criteriaSetList: { method: 'GET', url: '/api/criteria-sets' },
  criteriaSetProblems: { method: 'GET', url: '/api/criteria-sets/problems' },
  criteriaSetReload: { method: 'POST', url: '/api/criteria-sets/reload' },
  criteriaSetGet: { method: 'GET', url: '/api/criteria-sets/:id' },
  criteriaEvaluation: { method: 'GET', url: '/api/criteria-sets/:id/evaluation' },
  criteriaEvaluationXlsx: { method: 'GET', url: '/api/criteria-sets/:id/evaluation.xlsx', produces: XLSX },
  criteriaEvaluationDocx: { method: 'GET', url: '/api/criteria-sets/:id/evaluation.docx', produces: DOCX },
  criteriaBreakdown: { method: 'GET', url: '/api/criteria-sets/:id/breakdown' },
  criteriaTrend: { method: 'GET', url: '/api/criteria-sets/:id/trend' },
  criteriaManualList: { method: 'GET', url: '/api/criteria-sets/:id/manual-inputs' },
  criteriaManualCreate: { method: 'POST', url: '/api/criteria-sets/:id/manual-inputs' },
  criteriaManualWithdraw: { method: 'DELETE', url: '/api/criteria-sets/:id/manual-inputs/:entryId' },
  criteriaReportList: { method: 'GET', url: '/api/criteria-reports' },
  criteriaReportSubmit: { method: 'POST', url: '/api/criteria-reports' },
  criteriaReportGet: { method: 'GET', url: '/api/criteria-reports/:id' },
  criteriaReportCanonical: { method: 'GET', url: '/api/criteria-reports/:id/canonical.json' },
  criteriaReportXlsx: { method: 'GET', url: '/api/criteria-reports/:id.xlsx', produces: XLSX },
  criteriaReportDocx: { method: 'GET', url: '/api/criteria-reports/:id.docx', produces: DOCX },
  alertList: { method: 'GET', url: '/api/alerts' },
  alertGet: { method: 'GET', url: '/api/alerts/:id' },
  alertAck: { method: 'POST', url: '/api/alerts/:id/ack' },
  alertRuleList: { method: 'GET', url: '/api/alerts/rules' },
  alertRuleGet: { method: 'GET', url: '/api/alerts/rules/:id' },
  alertRuleCreate: { method: 'POST', url: '/api/alerts/rules' },
  alertRuleUpdate: { method: 'PUT', url: '/api/alerts/rules/:id' },
  alertRuleDelete: { method: 'DELETE', url: '/api/alerts/rules/:id' },
  alertScheduleList: { method: 'GET', url: '/api/alerts/schedules' },
  alertScheduleCreate: { method: 'POST', url: '/api/alerts/schedules' },
  alertScheduleUpdate: { method: 'PUT', url: '/api/alerts/schedules/:id' },
  alertScheduleDelete: { method: 'DELETE', url: '/api/alerts/schedules/:id' },
  alertHolidays: { method: 'GET', url: '/api/alerts/holidays' },
  alertMuteList: { method: 'GET', url: '/api/alerts/mutes' },
  alertMuteCreate: { method: 'POST', url: '/api/alerts/mutes' },
  alertMuteDelete: { method: 'DELETE', url: '/api/alerts/mutes/:id' },
  alertRecurringList: { method: 'GET', url: '/api/alerts/recurring-maintenance' },
  alertRecurringCreate: { method: 'POST', url: '/api/alerts/recurring-maintenance' },
  alertRecurringDelete: { method: 'DELETE', url: '/api/alerts/recurring-maintenance/:id' },
  alertChannelList: { method: 'GET', url: '/api/alerts/channels' },
  alertChannelGet: { method: 'GET', url: '/api/alerts/channels/:id' },
  alertChannelCreate: { method: 'POST', url: '/api/alerts/channels' },
  alertChannelUpdate: { method: 'PUT', url: '/api/alerts/channels/:id' },
  alertChannelDelete: { method: 'DELETE', url: '/api/alerts/channels/:id' },
  alertChannelTest: { method: 'POST', url: '/api/alerts/channels/:id/test' },
  alertDeliveryList: { method: 'GET', url: '/api/alerts/deliveries' },
  alertDeliveryAttempts: { method: 'GET', url: '/api/alerts/delivery-attempts' },
  villageHealth: { method: 'GET', url: '/api/villages/health' },
  feed: { method: 'GET', url: '/api/feed' },
  publicGroupList: { method: 'GET', url: '/api/public-status/groups' },
  publicGroupCreate: { method: 'POST', url: '/api/public-status/groups' },
  publicGroupUpdate: { method: 'PUT', url: '/api/public-status/groups/:group' },
  publicGroupDelete: { method: 'DELETE', url: '/api/public-status/groups/:group' },
  publicReportList: { method: 'GET', url: '/api/public-status/reports' },
  publicStatusGroup: { method: 'GET', url: '/api/public/status/:group' },
  publicStatusDevice: { method: 'GET', url: '/api/public/status/:group/:token' },
  publicReportCreate: { method: 'POST', url: '/api/public/status/:group/reports' },
  sessionCreate: { method: 'POST', url: '/api/session' },
  sessionDelete: { method: 'DELETE', url: '/api/session' },
  sessionMe: { method: 'GET', url: '/api/session/me' },
  userList: { method: 'GET', url: '/api/users' },
  userCreate: { method: 'POST', url: '/api/users' },
  userUpdate: { method: 'PATCH', url: '/api/users/:id' },
  userDelete: { method: 'DELETE', url: '/api/users/:id' },
  tokenList: { method: 'GET', url: '/api/tokens' },
  tokenCreate: { method: 'POST', url: '/api/tokens' },
  tokenRevoke: { method: 'DELETE', url: '/api/tokens/:id' },
  auditList: { method: 'GET', url: '/api/audit' },
} as const satisfies { [N in RouteName]: Endpoint<N> };

export interface RouteEndpoint {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  consumes?: 'application/json' | 'text/csv';
  produces?: 'application/json' | 'text/plain' | BinaryMediaType;
}
