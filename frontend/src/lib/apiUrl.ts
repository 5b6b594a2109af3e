import { apiBaseUrl } from './config';

export type Query = Record<string, string | number | undefined | null>;

/** How the app asks the API for JSON; a GET with nothing more is what earlyRequests.ts may start early. */
export const JSON_GET = {
  headers: { Accept: 'application/json' },
  // We manage conditional requests ourselves; keep the browser cache out of the way.
  cache: 'no-store',
} as const satisfies RequestInit;

/** The API's URL for `path`; empty query values are left out. */
export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return `${apiBaseUrl()}${path}${qs ? `?${qs}` : ''}`;
}
