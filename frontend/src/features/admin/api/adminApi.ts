import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { ApiError, apiRequest, type RequestOptions } from '@/lib/http';
import { allSlotsKey } from '@/lib/slotsQuery';
import { dayBoundsInZone } from '@/lib/time';
import type { Booking, BookingsPage, BookingStatus, Expert, ExpertPage, SlotsCreated } from '@/lib/types';
import { useAdminSession } from './session';

/** apiRequest with the admin's bearer token; a 401 ends the session (the token expired or was revoked). */
function useAdminRequest() {
  const { token, signOut } = useAdminSession();
  return async <T,>(path: string, options: RequestOptions = {}): Promise<T> => {
    try {
      return await apiRequest<T>(path, { ...options, token });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) signOut('Your session has ended. Please sign in again.');
      throw error;
    }
  };
}

/** Every expert, for the filter and slot-manager pickers (the list endpoint caps `limit` at 50). */
export function useAllExperts() {
  return useQuery({
    queryKey: ['admin', 'all-experts'],
    queryFn: async ({ signal }) => {
      const experts: Expert[] = [];
      for (let page = 1, totalPages = 1; page <= totalPages && page <= 20; page += 1) {
        const result = await apiRequest<ExpertPage>('/experts', { query: { page, limit: 50 }, signal });
        experts.push(...result.items);
        totalPages = result.totalPages;
      }
      return experts.sort((a, b) => a.name.localeCompare(b.name));
    },
    staleTime: 5 * 60_000,
  });
}

export interface BookingFilters {
  expertId: string;
  status: string;
  /** "YYYY-MM-DD" */
  from: string;
  /** "YYYY-MM-DD" */
  to: string;
}

const bookingsKey = (filters: BookingFilters, timeZone: string) => ['admin', 'bookings', filters, timeZone] as const;

/**
 * Query parameters for GET /admin/bookings. The API reads a bare date as a whole UTC day; the table shows
 * times in the admin's zone, so the date filters are sent as the instants that bound that day there.
 */
export function bookingsQuery(filters: BookingFilters, timeZone: string) {
  return {
    expertId: filters.expertId,
    status: filters.status,
    from: filters.from ? dayBoundsInZone(filters.from, timeZone).start : undefined,
    to: filters.to ? dayBoundsInZone(filters.to, timeZone).end : undefined,
  };
}

export function useAdminBookings(filters: BookingFilters, timeZone: string) {
  const request = useAdminRequest();
  return useInfiniteQuery({
    queryKey: bookingsKey(filters, timeZone),
    queryFn: ({ pageParam, signal }) =>
      request<BookingsPage>('/admin/bookings', {
        query: { ...bookingsQuery(filters, timeZone), cursor: pageParam },
        signal,
      }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor || undefined,
    retry: (count, error) => error instanceof ApiError && error.isTransient && count < 2,
  });
}

export function useUpdateStatus() {
  const request = useAdminRequest();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, status }: { id: string; status: BookingStatus }) =>
      request<Booking>(`/bookings/${encodeURIComponent(id)}/status`, { method: 'PATCH', body: { status } }),
    onSuccess: (updated) => {
      queryClient.setQueriesData<InfiniteData<BookingsPage>>({ queryKey: ['admin', 'bookings'] }, (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((p) => ({
                ...p,
                items: p.items.map((b) => (b.id === updated.id ? updated : b)),
              })),
            }
          : data,
      );
      void queryClient.invalidateQueries({ queryKey: ['slots', updated.expertId] });
      void queryClient.invalidateQueries({ queryKey: ['admin', 'client-search'] });
    },
  });
}

export const countOf = (value: number | unknown[] | undefined) => (Array.isArray(value) ? value.length : (value ?? 0));

export function useAddSlots(expertId: string) {
  const request = useAdminRequest();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (starts: string[]) =>
      request<SlotsCreated>(`/admin/experts/${encodeURIComponent(expertId)}/slots`, {
        method: 'POST',
        body: { slots: starts.map((start) => ({ start })) },
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: allSlotsKey(expertId) }),
  });
}

export function useDeleteSlot(expertId: string) {
  const request = useAdminRequest();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (start: string) =>
      request<void>(`/admin/experts/${encodeURIComponent(expertId)}/slots/${encodeURIComponent(start)}`, {
        method: 'DELETE',
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: allSlotsKey(expertId) }),
  });
}

/** Create (no id) or update an expert; the lists and the expert's page are refreshed. */
export function useSaveExpert(expertId: string | null) {
  const request = useAdminRequest();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      expertId
        ? request<Expert>(`/admin/experts/${encodeURIComponent(expertId)}`, { method: 'PATCH', body })
        : request<Expert>('/admin/experts', { method: 'POST', body }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['admin', 'all-experts'] });
      void queryClient.invalidateQueries({ queryKey: ['experts'] });
      void queryClient.invalidateQueries({ queryKey: ['expert', saved.id] });
    },
  });
}

/** A client's bookings by their email (POST: the address stays out of URLs); '' = no search. */
export function useClientSearch(email: string) {
  const request = useAdminRequest();
  return useQuery({
    queryKey: ['admin', 'client-search', email],
    queryFn: ({ signal }) =>
      request<{ items: Booking[] }>('/admin/bookings/search', { method: 'POST', body: { email }, signal }),
    enabled: email !== '',
  });
}
