export { useProbe, useSetProbe } from './api/useProbe.ts';
export { ProbeSection } from './components/ProbeSection.tsx';
export { faultLabel, PROBE_FAULT_LABELS, PROBE_TYPE_LABELS } from './labels.ts';
