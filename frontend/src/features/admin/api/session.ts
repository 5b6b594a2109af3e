import { createContext, useContext } from 'react';
import { apiRequest } from '@/lib/http';

import type { AdminSession, MfaChallenge } from '@/lib/types';

/** Admin sign-in: POST /admin/session → {token, expiresAt}. Kept per tab in sessionStorage. */
export type { AdminSession, MfaChallenge };

const STORAGE_KEY = 'expertBooking.adminSession';

export function loadSession(now = Date.now()): AdminSession | null {
  try {
    const session = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as AdminSession | null;
    if (!session?.token || !(Date.parse(session.expiresAt) > now)) return null;
    return session;
  } catch {
    return null;
  }
}

export function storeSession(session: AdminSession): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

export function signIn(username: string, password: string): Promise<AdminSession | MfaChallenge> {
  return apiRequest<AdminSession | MfaChallenge>('/admin/session', { method: 'POST', body: { username, password } });
}

/** The second step: the 6-digit code from the admin's authenticator app. */
export function answerMfa(username: string, session: string, code: string): Promise<AdminSession> {
  return apiRequest<AdminSession>('/admin/session', { method: 'POST', body: { username, session, code } });
}

export function isChallenge(result: AdminSession | MfaChallenge): result is MfaChallenge {
  return 'mfaRequired' in result && result.mfaRequired;
}

export interface AdminContextValue {
  token: string;
  /** Forget the session; `reason` is shown on the sign-in form. */
  signOut: (reason?: string) => void;
}

export const AdminSessionContext = createContext<AdminContextValue | null>(null);

export function useAdminSession(): AdminContextValue {
  const value = useContext(AdminSessionContext);
  if (!value) throw new Error('useAdminSession must be used inside the admin layout');
  return value;
}
