import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import { PageTitle } from '@/components/PageTitle';
import { AdminSessionContext, clearSession, loadSession, storeSession, type AdminSession } from '../api/session';
import { AdminLogin } from './AdminLogin';

/** Gate for /admin/*: the sign-in form until there is a live session, then the admin screens. */
export function AdminLayout() {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<AdminSession | null>(() => loadSession());
  const [notice, setNotice] = useState<string | null>(null);

  const signOut = useCallback(
    (reason?: string) => {
      clearSession();
      setSession(null);
      setNotice(reason ?? null);
      queryClient.removeQueries({ queryKey: ['admin'] });
    },
    [queryClient],
  );

  // End the session when the token expires rather than waiting for a 401.
  useEffect(() => {
    if (!session) return;
    const ms = Date.parse(session.expiresAt) - Date.now();
    const id = setTimeout(() => signOut('Your session has expired. Please sign in again.'), Math.max(ms, 0));
    return () => clearTimeout(id);
  }, [session, signOut]);

  const context = useMemo(() => (session ? { token: session.token, signOut } : null), [session, signOut]);

  if (!context) {
    return (
      <AdminLogin
        notice={notice}
        onSignedIn={(s) => {
          storeSession(s);
          setSession(s);
          setNotice(null);
        }}
      />
    );
  }

  return (
    <AdminSessionContext value={context}>
      <section className="stack">
        <div className="toolbar">
          <PageTitle title="Admin">Admin</PageTitle>
          <button type="button" className="button button--secondary" onClick={() => signOut('You have signed out.')}>
            Sign out
          </button>
        </div>
        <nav aria-label="Admin sections" className="tabs">
          <NavLink to="/admin" end className="tabs__link">
            Bookings
          </NavLink>
          <NavLink to="/admin/slots" className="tabs__link">
            Slots
          </NavLink>
          <NavLink to="/admin/experts" className="tabs__link">
            Experts
          </NavLink>
        </nav>
        <Outlet />
      </section>
    </AdminSessionContext>
  );
}
