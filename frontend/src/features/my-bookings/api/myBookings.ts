import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/http';
import type { Booking } from '../../../lib/types';

export const myBookingsKey = (email: string) => ['my-bookings', email] as const;

/** GET /bookings?email= with the access token scoped to that email. */
export function useMyBookings(email: string, token: string | null) {
  return useQuery({
    queryKey: myBookingsKey(email),
    queryFn: ({ signal }) => apiRequest<{ items: Booking[] }>('/bookings', { query: { email }, token, signal }),
    enabled: Boolean(email && token),
    select: (data) => data.items,
    staleTime: 10_000,
    refetchOnWindowFocus: true,
  });
}

export function useCancelBooking(email: string, token: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest<Booking>(`/bookings/${encodeURIComponent(id)}/cancel`, { method: 'POST', token }),
    onSuccess: (updated) => {
      queryClient.setQueryData<{ items: Booking[] }>(myBookingsKey(email), (old) =>
        old ? { items: old.items.map((b) => (b.id === updated.id ? updated : b)) } : old,
      );
      // The slot is free again for everyone else.
      void queryClient.invalidateQueries({ queryKey: ['slots', updated.expertId] });
    },
  });
}

/** POST /bookings/access-link: always 202, whether or not the email has bookings (no enumeration). */
export function useRequestAccessLink() {
  return useMutation({
    mutationFn: (email: string) => apiRequest<unknown>('/bookings/access-link', { method: 'POST', body: { email } }),
  });
}
