/**
 * Where the expert page's data lives in the API. Shared by the queries and by the requests started before
 * the bundle has loaded (earlyRequests.ts), so both ask for exactly the same URL. It imports nothing
 * that runs: the early script stays a few hundred bytes.
 */
import type { Query } from './apiUrl';

/** The two weeks a slot list shows at a time. */
export const SLOT_DAYS = 14;

export const expertPath = (expertId: string) => `/experts/${encodeURIComponent(expertId)}`;

/** `from`: the first date (YYYY-MM-DD, the expert's calendar); '' means today. */
export function slotsRequest(expertId: string, days: number = SLOT_DAYS, from = ''): { path: string; query: Query } {
  return { path: `${expertPath(expertId)}/slots`, query: from ? { days, from } : { days } };
}
