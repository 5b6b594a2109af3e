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

export function useCategories() {
  return useQuery({
    queryKey: ['categories'],
    queryFn: ({ signal }) => apiRequest<{ items: Category[] }>('/categories', { signal }),
    staleTime: 5 * 60_000,
    select: (data) => data.items,
  });
}
