import { useState } from 'react';
import { EmptyState } from '@/components/EmptyState';
import { ErrorPanel } from '@/components/ErrorPanel';
import { Skeleton } from '@/components/Skeleton';
import { STATUS_LABELS } from '@/lib/bookingStatus';
import { ApiError } from '@/lib/http';
import { formatZone, viewerTimeZone } from '@/lib/time';
import { useNow } from '../hooks/useNow';
import type { Booking, BookingStatus } from '@/lib/types';
import { useAdminBookings, useAllExperts, useClientSearch, useUpdateStatus } from '../api/adminApi';
import { useBookingFilters } from '../hooks/useBookingFilters';
import { BookingFiltersForm } from './BookingFiltersForm';
import { BookingRow } from './BookingRow';
import { ClientSearchForm } from './ClientSearchForm';

export function AdminBookings() {
  const zone = viewerTimeZone();
  const filterState = useBookingFilters(zone);
  const { filters } = filterState;
  const experts = useAllExperts();
  const [email, setEmail] = useState('');
  const search = useClientSearch(email);
  const listed = useAdminBookings(filters, zone);
  // A search by client email replaces the filtered list until cleared.
  const bookings = email
    ? { ...search, hasNextPage: false, isFetchingNextPage: false, fetchNextPage: () => search.refetch() }
    : listed;
  const update = useUpdateStatus();
  const [rowError, setRowError] = useState<{ id: string; message: string } | null>(null);
  const [announcement, setAnnouncement] = useState('');
  // Re-render as time passes: "Mark completed" appears once a confirmed session has started.
  const now = useNow(15_000);
  const items = (email ? search.data?.items : listed.data?.pages.flatMap((p) => p.items)) ?? [];

  const changeStatus = (booking: Booking, status: BookingStatus) => {
    setRowError(null);
    update.mutate(
      { id: booking.id, status },
      {
        onSuccess: (b) => setAnnouncement(`Booking for ${b.name} is now ${STATUS_LABELS[b.status]}.`),
        onError: (e) =>
          setRowError({ id: booking.id, message: e instanceof ApiError ? e.message : 'Could not update the booking.' }),
      },
    );
  };

  return (
    <section className="stack" aria-labelledby="admin-bookings-title">
      <h2 id="admin-bookings-title">Bookings</h2>
      <ClientSearchForm active={email} onSearch={setEmail} />
      {!email && <BookingFiltersForm {...filterState} experts={experts.data} />}

      <p className="sr-only" role="status" aria-live="polite">
        {announcement}
      </p>
      {rowError && (
        <p className="notice notice--error" role="alert">
          Could not update booking <code>{rowError.id}</code>: {rowError.message}
        </p>
      )}

      {bookings.isPending ? (
        <div className="stack" aria-busy="true">
          <span className="sr-only">Loading bookings…</span>
          <Skeleton height="2.5rem" />
          <Skeleton height="2.5rem" />
          <Skeleton height="2.5rem" />
        </div>
      ) : bookings.isError && items.length === 0 ? (
        <ErrorPanel title="We couldn't load bookings" error={bookings.error} onRetry={() => bookings.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={email ? `No bookings for ${email}` : 'No bookings match these filters'} />
      ) : (
        <>
          <div className="table-wrap" role="region" aria-labelledby="bookings-caption" tabIndex={0}>
            <table className="table">
              <caption id="bookings-caption">
                {items.length} {items.length === 1 ? 'booking' : 'bookings'}
                {email ? ` for ${email}` : bookings.hasNextPage ? ' loaded so far' : ''} · times in {formatZone(zone)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Session</th>
                  <th scope="col">Expert</th>
                  <th scope="col">Client</th>
                  <th scope="col">Status</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {items.map((b) => (
                  <BookingRow
                    key={b.id}
                    booking={b}
                    zone={zone}
                    now={now}
                    busy={update.isPending && update.variables?.id === b.id}
                    onChangeStatus={changeStatus}
                  />
                ))}
              </tbody>
            </table>
          </div>
          {bookings.isError && (
            <ErrorPanel title="We couldn't load more bookings" error={bookings.error} onRetry={() => bookings.fetchNextPage()} />
          )}
          {bookings.hasNextPage && (
            <div className="center">
              <button
                type="button"
                className="button button--secondary"
                aria-disabled={bookings.isFetchingNextPage}
                onClick={bookings.isFetchingNextPage ? undefined : () => bookings.fetchNextPage()}
              >
                {bookings.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
