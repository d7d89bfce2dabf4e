/** Device management (admin): `/quan-ly`. */
export { adminClient, useAdminAccess } from './api/adminAccess.ts';
export { ManagePage } from './components/ManagePage.tsx';
