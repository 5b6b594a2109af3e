/**
 * Where the public pages' data lives in the API. Shared by the queries and by the requests started before
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

/** Experts on one page of the list. */
export const PAGE_SIZE = 12;

/** The list's search, as its URL holds it (?q=&category=&page=). */
export interface ExpertSearch {
  q: string;
  category: string;
  page: number;
}

export function expertSearch(params: URLSearchParams): ExpertSearch {
  const page = Number(params.get('page'));
  return {
    q: params.get('q') ?? '',
    category: params.get('category') ?? '',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

export function expertsRequest({ q, category, page }: ExpertSearch): { path: string; query: Query } {
  return { path: '/experts', query: { q, category, page, limit: PAGE_SIZE } };
}

/** Categories with the number of experts matching `q` (all experts when empty). */
export function categoriesRequest(q: string): { path: string; query: Query } {
  return { path: '/categories', query: { q } };
}
