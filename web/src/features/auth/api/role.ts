import { useSession } from './session.ts';

/**
 * What the signed-in user may change, from the role in the session (protocol's route map `auth`):
 * operators acknowledge, mute, plan maintenance and enter manual criteria figures; admins do the rest.
 * The hub still checks every call; this only decides which controls a page shows.
 */
export function useRole() {
  const user = useSession().data?.user;
  const role = user?.role;
  return {
    role,
    canOperate: role === 'operator' || role === 'admin',
    isAdmin: role === 'admin',
    /** Scoped to every commune (the hub's answer `user.province`): may change hub-wide configuration. */
    isProvince: user?.province === true,
  };
}

/** The one sentence a viewer sees where write controls would be. */
export const VIEWER_NOTICE = 'Tài khoản của bạn chỉ được xem; cần quyền vận hành hoặc quản trị để thay đổi.';
