/**
 * Live slots: polls GET /experts/{id}/slots every 3 s while the page is visible, with If-None-Match.
 * A 304 keeps the cached data (same object, so nothing re-renders). TanStack Query's focusManager tracks
 * document.visibilityState: interval ticks are skipped while hidden and a refetch runs when it shows again.
 */
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { send } from './http';
import type { SlotsResponse } from './types';

export const SLOT_POLL_MS = 3000;
export const SLOT_DAYS = 14;

export interface VersionedSlots {
  etag: string | null;
  data: SlotsResponse;
}

export const slotsQueryKey = (expertId: string, days: number = SLOT_DAYS) => ['slots', expertId, days] as const;

/** Fetch slots; resolves to null on 304 Not Modified. No `tz`: grouping by zone happens client-side. */
export async function fetchSlots(
  expertId: string,
  days: number,
  etag: string | null,
  signal?: AbortSignal,
): Promise<VersionedSlots | null> {
  const response = await send(`/experts/${encodeURIComponent(expertId)}/slots`, {
    query: { days },
    headers: etag ? { 'If-None-Match': etag } : undefined,
    signal,
  });
  if (response.status === 304) return null;
  return { etag: response.headers.get('ETag'), data: (await response.json()) as SlotsResponse };
}

async function refreshSlots(client: QueryClient, expertId: string, days: number, signal: AbortSignal) {
  const previous = client.getQueryData<VersionedSlots>(slotsQueryKey(expertId, days));
  const fresh = await fetchSlots(expertId, days, previous?.etag ?? null, signal);
  if (fresh) return fresh;
  // 304: keep what we have. (Without cached data we never send If-None-Match, but stay safe.)
  return previous ?? (await fetchSlots(expertId, days, null, signal))!;
}

export function useSlots(expertId: string | undefined, { days = SLOT_DAYS, live = true } = {}) {
  const client = useQueryClient();
  return useQuery({
    queryKey: slotsQueryKey(expertId ?? '', days),
    queryFn: ({ signal }) => refreshSlots(client, expertId as string, days, signal),
    enabled: Boolean(expertId),
    select: (versioned) => versioned.data,
    staleTime: 0,
    refetchInterval: live ? SLOT_POLL_MS : false,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: live,
    retry: 1,
  });
}
