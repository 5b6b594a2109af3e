import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/http';
import type { Category, ExpertPage } from '@/lib/types';

export const PAGE_SIZE = 12;

export interface ExpertSearch {
  q: string;
  category: string;
  page: number;
}

export function useExperts({ q, category, page }: ExpertSearch) {
  return useQuery({
    queryKey: ['experts', { q, category, page }],
    queryFn: ({ signal }) =>
      apiRequest<ExpertPage>('/experts', { query: { q, category, page, limit: PAGE_SIZE }, signal }),
    // Keep the current page on screen while the next one loads (no flash of skeletons).
    placeholderData: keepPreviousData,
  });
}

/** Categories with the number of experts matching the search text `q` (all experts when empty). */
export function useCategories(q: string) {
  return useQuery({
    queryKey: ['categories', { q }],
    queryFn: ({ signal }) => apiRequest<{ items: Category[] }>('/categories', { query: { q }, signal }),
    // The API caches the catalog for 30 s; keep the counts on screen while the next search's load.
    staleTime: 30_000,
    placeholderData: keepPreviousData,
    select: (data) => data.items,
  });
}
