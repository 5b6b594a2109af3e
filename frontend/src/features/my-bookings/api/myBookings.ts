import { useMutation, useQueries, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { saveBookingToken, saveEmailToken, tokenForBooking, type TokenStore } from '@/lib/accessTokens';
import { ApiError, apiRequest } from '@/lib/http';
import type { Booking, EmailAccessResponse, RescheduledResponse, VerifiedResponse } from '@/lib/types';

export const emailBookingsKey = (email: string) => ['my-bookings', 'email', email] as const;
export const bookingKey = (id: string) => ['my-bookings', 'booking', id] as const;

/** Where a failed read came from, so the page can forget the token that no longer works. */
export type BookingsSource = { kind: 'email'; email: string } | { kind: 'booking'; bookingId: string };

export interface DeviceBookings {
  bookings: Booking[];
  isPending: boolean;
  failures: { source: BookingsSource; error: unknown }[];
  refetch: () => void;
}

/**
 * Every booking this device may see: all bookings of each email it holds an email token for
 * (GET /bookings?email=), plus each booking it holds a booking token for whose email it does not
 * (GET /bookings/{id}).
 */
export function useDeviceBookings(tokens: TokenStore): DeviceBookings {
  const emails = Object.values(tokens.emails);
  const ownOnly = Object.values(tokens.bookings).filter((b) => !tokens.emails[b.email]);
  const sources: BookingsSource[] = [
    ...emails.map((e) => ({ kind: 'email', email: e.email }) as const),
    ...ownOnly.map((b) => ({ kind: 'booking', bookingId: b.bookingId }) as const),
  ];
  return useQueries({
    queries: [
      ...emails.map(({ email, token }) => ({
        queryKey: emailBookingsKey(email),
        queryFn: ({ signal }: { signal: AbortSignal }) =>
          apiRequest<{ items: Booking[] }>('/bookings', { query: { email }, token, signal }).then((r) => r.items),
        staleTime: 10_000,
        refetchOnWindowFocus: true,
      })),
      ...ownOnly.map(({ bookingId, token }) => ({
        queryKey: bookingKey(bookingId),
        queryFn: ({ signal }: { signal: AbortSignal }) =>
          apiRequest<Booking>(`/bookings/${encodeURIComponent(bookingId)}`, { token, signal }).then((b) => [b]),
        staleTime: 10_000,
        refetchOnWindowFocus: true,
      })),
    ],
    combine: (results) => {
      const byId = new Map<string, Booking>();
      results.forEach((r) => r.data?.forEach((b) => byId.set(b.id, b)));
      return {
        bookings: [...byId.values()],
        isPending: results.some((r) => r.isPending && r.fetchStatus !== 'idle'),
        failures: results.flatMap((r, i) => (r.isError ? [{ source: sources[i], error: r.error }] : [])),
        refetch: () => results.forEach((r) => r.isError && void r.refetch()),
      };
    },
  });
}

/** A token that no longer opens what it was kept for: expired, revoked, or the booking is gone. */
export function isDeadToken(error: unknown): boolean {
  return error instanceof ApiError && [401, 403, 404].includes(error.status);
}

function replaceBooking(queryClient: QueryClient, updated: Booking): void {
  queryClient.setQueryData<Booking[]>(bookingKey(updated.id), (old) => (old ? [updated] : old));
  queryClient.setQueryData<Booking[]>(emailBookingsKey(updated.email), (old) =>
    old?.map((b) => (b.id === updated.id ? updated : b)),
  );
}

/** POST /bookings/{id}/cancel with the email token when held, else the booking's own token. */
export function useCancelBooking(tokens: TokenStore) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (booking: Booking) =>
      apiRequest<Booking>(`/bookings/${encodeURIComponent(booking.id)}/cancel`, {
        method: 'POST',
        token: tokenForBooking(tokens, booking),
      }),
    onSuccess: (updated) => {
      replaceBooking(queryClient, updated);
      // The slot is free again for everyone else.
      void queryClient.invalidateQueries({ queryKey: ['slots', updated.expertId] });
    },
  });
}

/**
 * POST /bookings/{id}/reschedule with the same token Cancel uses. The fresh booking token it returns replaces
 * the stored one: the old one ends with the old session, too soon when the booking moved later.
 */
export function useRescheduleBooking(tokens: TokenStore) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ booking, slotStart }: { booking: Booking; slotStart: string }) =>
      apiRequest<RescheduledResponse>(`/bookings/${encodeURIComponent(booking.id)}/reschedule`, {
        method: 'POST',
        token: tokenForBooking(tokens, booking),
        body: { slotStart },
      }),
    onSuccess: ({ accessToken, ...moved }) => {
      if (accessToken) saveBookingToken(moved.id, moved.email, accessToken, moved.slotEnd);
      replaceBooking(queryClient, moved);
      void queryClient.invalidateQueries({ queryKey: ['slots', moved.expertId] }); // old time free, new one held
    },
  });
}

/** POST /bookings/access-link: always 202, whether or not the email has bookings (no enumeration). */
export function useRequestAccessLink() {
  return useMutation({
    mutationFn: (email: string) => apiRequest<unknown>('/bookings/access-link', { method: 'POST', body: { email } }),
  });
}

/** The emailed access link's token, exchanged for (and stored as) a token for My bookings of its email. */
export async function exchangeAccessLink(queryClient: QueryClient, linkToken: string): Promise<EmailAccessResponse> {
  const access = await apiRequest<EmailAccessResponse>('/bookings/access-token', {
    method: 'POST',
    body: { token: linkToken },
  });
  saveEmailToken(access.email, access.accessToken, access.expiresAt);
  queryClient.removeQueries({ queryKey: emailBookingsKey(access.email) }); // read again with the new token
  return access;
}

/** The verification link: confirms the booking's email, keeps its slot, and stores a token for its email. */
export async function verifyBookingEmail(
  queryClient: QueryClient,
  bookingId: string,
  token: string,
): Promise<VerifiedResponse> {
  const verified = await apiRequest<VerifiedResponse>(`/bookings/${encodeURIComponent(bookingId)}/verify`, {
    method: 'POST',
    body: { token },
  });
  saveEmailToken(verified.booking.email, verified.accessToken, verified.expiresAt);
  queryClient.removeQueries({ queryKey: emailBookingsKey(verified.booking.email) });
  return verified;
}

/**
 * A reminder email's manage link (/my-bookings?booking=<id>&token=<booking token>): the booking's own
 * token, kept like the one POST /bookings returns, once the API has shown that it opens that booking.
 */
export async function openManageLink(queryClient: QueryClient, bookingId: string, token: string): Promise<Booking> {
  const booking = await apiRequest<Booking>(`/bookings/${encodeURIComponent(bookingId)}`, { token });
  saveBookingToken(booking.id, booking.email, token, booking.slotEnd);
  queryClient.removeQueries({ queryKey: bookingKey(booking.id) });
  return booking;
}
