import { useQuery } from '@tanstack/react-query';
import { apiRequest } from './http';
import { expertPath } from './publicPaths';
import type { Expert } from './types';

export const expertQueryKey = (id: string) => ['expert', id] as const;

export function fetchExpert(id: string, signal?: AbortSignal): Promise<Expert> {
  return apiRequest<Expert>(expertPath(id), { signal });
}

/** One expert's profile; shared by the detail, booking and admin screens. */
export function useExpert(id: string | undefined) {
  return useQuery({
    queryKey: expertQueryKey(id ?? ''),
    queryFn: ({ signal }) => fetchExpert(id as string, signal),
    enabled: Boolean(id),
    staleTime: 60_000,
  });
}
