/** Device management (admin): `/quan-ly`. */

export { AGENT_CA_PATH, agentCommand, brokerUrlForDevices, brokerUsesTls } from './agentCommand.ts';
export { adminClient, useAdminAccess } from './api/adminAccess.ts';
export { ManagePage } from './components/ManagePage.tsx';
