/**
 * Live slots: polls GET /experts/{id}/slots every 3 s while the page is visible, with If-None-Match.
 * A 304 keeps the cached data (same object, so nothing re-renders). TanStack Query's focusManager tracks
 * document.visibilityState: interval ticks are skipped while hidden and a refetch runs when it shows again.
 */
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { send } from './http';
import { slotsRequest, SLOT_DAYS } from './publicPaths';
import type { SlotsResponse } from './types';

export const SLOT_POLL_MS = 3000;

export interface VersionedSlots {
  etag: string | null;
  data: SlotsResponse;
}

/** Every window of an expert's slots (for invalidation after a booking, a cancel or an admin change). */
export const allSlotsKey = (expertId: string) => ['slots', expertId] as const;

/** `from`: the first date (YYYY-MM-DD, the expert's calendar); '' means today. Later windows reach past 14 days. */
export const slotsQueryKey = (expertId: string, days: number = SLOT_DAYS, from = '') =>
  ['slots', expertId, days, from] as const;

/** Fetch slots; resolves to null on 304 Not Modified. No `tz`: grouping by zone happens client-side. */
export async function fetchSlots(
  expertId: string,
  days: number,
  etag: string | null,
  signal?: AbortSignal,
  from = '',
): Promise<VersionedSlots | null> {
  const { path, query } = slotsRequest(expertId, days, from);
  const response = await send(path, {
    query,
    headers: etag ? { 'If-None-Match': etag } : undefined,
    signal,
  });
  if (response.status === 304) return null;
  return { etag: response.headers.get('ETag'), data: (await response.json()) as SlotsResponse };
}

async function refreshSlots(client: QueryClient, expertId: string, days: number, from: string, signal: AbortSignal) {
  const previous = client.getQueryData<VersionedSlots>(slotsQueryKey(expertId, days, from));
  const fresh = await fetchSlots(expertId, days, previous?.etag ?? null, signal, from);
  if (fresh) return fresh;
  // 304: keep what we have. (Without cached data we never send If-None-Match, but stay safe.)
  return previous ?? (await fetchSlots(expertId, days, null, signal, from))!;
}

export function useSlots(expertId: string | undefined, { days = SLOT_DAYS, live = true, from = '' } = {}) {
  const client = useQueryClient();
  return useQuery({
    queryKey: slotsQueryKey(expertId ?? '', days, from),
    queryFn: ({ signal }) => refreshSlots(client, expertId as string, days, from, signal),
    enabled: Boolean(expertId),
    select: (versioned) => versioned.data,
    staleTime: 0,
    refetchInterval: live ? SLOT_POLL_MS : false,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: live,
    retry: 1,
  });
}

/** The furthest the slots route reaches in one request (PRODUCT.md: `days` at most 60). */
export const MAX_SLOT_DAYS = 60;

/**
 * The first date after `after` (YYYY-MM-DD) with a bookable slot, looking up to 60 days further in one
 * request; null when there is none. For "Next available" past the window shown.
 */
export async function nextAvailableDate(expertId: string, after: string): Promise<string | null> {
  const found = await fetchSlots(expertId, MAX_SLOT_DAYS, null, undefined, after);
  const day = found?.data.days.find((d) => d.slots.some((s) => s.available));
  return day?.date ?? null;
}
