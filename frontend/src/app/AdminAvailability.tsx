import { useAdminSession } from '../features/admin/api/session';
import { AvailabilityPage } from '../features/availability/components/AvailabilityPage';

/** The availability feature inside the admin layout: the admin session's token is handed to it here, so
 * neither feature imports the other. */
export function AdminAvailability() {
  const { token, signOut } = useAdminSession();
  const ended = () => signOut('Your session has ended. Please sign in again.');
  return <AvailabilityPage token={token} onUnauthorized={ended} />;
}
