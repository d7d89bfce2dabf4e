/** Device management (admin): `/quan-ly`. */

export { agentCommand, brokerUrlForDevices } from './agentCommand.ts';
export { adminClient, useAdminAccess } from './api/adminAccess.ts';
export { ManagePage } from './components/ManagePage.tsx';
