import type { ProbeFault, ProbeType } from '@commune-hub/protocol';
import { FAULT_LABELS } from '../../i18n/codes.ts';
import { DICTIONARIES } from '../../i18n/dictionary.ts';
import { faultLabel as formatFault } from '../../i18n/format.ts';

/** Vietnamese labels of probe fault codes: the dashboard's one table of fault labels (i18n/codes.ts). */
export const PROBE_FAULT_LABELS: Record<ProbeFault, string> = FAULT_LABELS;

export const PROBE_TYPE_LABELS: Record<ProbeType, string> = {
  icmp: 'Ping (ICMP)',
  tcp: 'Cổng TCP',
  http: 'Trang web (HTTP/HTTPS)',
  rtsp: 'Luồng camera (RTSP)',
  snmp: 'SNMP (wifi, switch, router)',
  sip: 'SIP (hội nghị truyền hình)',
};

/** A fault code as people read it in Vietnamese (the shared label, a readable fallback for unknown codes). */
export function faultLabel(code: string): string {
  return formatFault(DICTIONARIES.vi, code);
}
