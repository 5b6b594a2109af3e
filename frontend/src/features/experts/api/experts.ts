import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/http';
import { categoriesRequest, expertsRequest, type ExpertSearch } from '@/lib/publicPaths';
import type { Category, ExpertPage } from '@/lib/types';

export function useExperts({ q, category, page }: ExpertSearch) {
  return useQuery({
    queryKey: ['experts', { q, category, page }],
    queryFn: ({ signal }) => {
      const { path, query } = expertsRequest({ q, category, page });
      return apiRequest<ExpertPage>(path, { query, signal });
    },
    // Keep the current page on screen while the next one loads (no flash of skeletons).
    placeholderData: keepPreviousData,
  });
}

/** Categories with the number of experts matching the search text `q` (all experts when empty). */
export function useCategories(q: string) {
  return useQuery({
    queryKey: ['categories', { q }],
    queryFn: ({ signal }) => {
      const { path, query } = categoriesRequest(q);
      return apiRequest<{ items: Category[] }>(path, { query, signal });
    },
    // The API caches the catalog for 30 s; keep the counts on screen while the next search's load.
    staleTime: 30_000,
    placeholderData: keepPreviousData,
    select: (data) => data.items,
  });
}
