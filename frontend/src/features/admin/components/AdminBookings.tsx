import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { ErrorPanel } from '@/components/ErrorPanel';
import { Skeleton } from '@/components/Skeleton';
import { StatusBadge } from '@/components/StatusBadge';
import { adminTransitions, BOOKING_STATUSES, STATUS_LABELS } from '@/lib/bookingStatus';
import { ApiError } from '@/lib/http';
import { dateKeyInZone, formatDateTime, formatTime, formatZone, viewerTimeZone } from '@/lib/time';
import { useNow } from '@/lib/useNow';
import type { Booking, BookingStatus } from '@/lib/types';
import { useAdminBookings, useAllExperts, useUpdateStatus, type BookingFilters } from '../api/adminApi';

const ACTION_LABELS: Partial<Record<BookingStatus, string>> = {
  confirmed: 'Confirm',
  completed: 'Mark completed',
  cancelled: 'Cancel',
};

const FILTER_KEYS: (keyof BookingFilters)[] = ['expertId', 'status', 'from', 'to'];

/**
 * Filters live in the URL. Upcoming first: with no `from` in the URL the list starts today (in the
 * viewer's zone); an explicit empty one (`from=`) means every date, past sessions included.
 */
function useFilters(zone: string) {
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as unknown as BookingFilters;
  if (!params.has('from')) filters.from = dateKeyInZone(new Date(), zone);
  const setFilter = (key: keyof BookingFilters, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else if (key === 'from') next.set(key, '');
    else next.delete(key);
    setParams(next, { replace: true, preventScrollReset: true });
  };
  const isDefault = !params.has('from') && FILTER_KEYS.every((k) => k === 'from' || !filters[k]);
  return { filters, setFilter, isDefault, reset: () => setParams({}, { replace: true, preventScrollReset: true }) };
}

export function AdminBookings() {
  const zone = viewerTimeZone();
  const { filters, setFilter, isDefault, reset } = useFilters(zone);
  const experts = useAllExperts();
  const bookings = useAdminBookings(filters, zone);
  const update = useUpdateStatus();
  const [rowError, setRowError] = useState<{ id: string; message: string } | null>(null);
  const [announcement, setAnnouncement] = useState('');
  // Re-render as time passes: "Mark completed" appears once a confirmed session has started.
  const now = useNow(15_000);
  const items = bookings.data?.pages.flatMap((p) => p.items) ?? [];

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
      <form className="filters filters--four" onSubmit={(e) => e.preventDefault()} aria-label="Filter bookings">
        <div className="field">
          <label className="field__label" htmlFor="filter-expert">
            Expert
          </label>
          <select
            id="filter-expert"
            className="input"
            value={filters.expertId}
            onChange={(e) => setFilter('expertId', e.target.value)}
          >
            <option value="">All experts</option>
            {experts.data?.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field__label" htmlFor="filter-status">
            Status
          </label>
          <select
            id="filter-status"
            className="input"
            value={filters.status}
            onChange={(e) => setFilter('status', e.target.value)}
          >
            <option value="">All statuses</option>
            {BOOKING_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field__label" htmlFor="filter-from">
            From date
          </label>
          <input
            id="filter-from"
            className="input"
            type="date"
            value={filters.from}
            max={filters.to || undefined}
            onChange={(e) => setFilter('from', e.target.value)}
          />
        </div>
        <div className="field">
          <label className="field__label" htmlFor="filter-to">
            To date
          </label>
          <input
            id="filter-to"
            className="input"
            type="date"
            value={filters.to}
            min={filters.from || undefined}
            onChange={(e) => setFilter('to', e.target.value)}
          />
        </div>
        {(filters.from || !isDefault) && (
          <div className="filters__reset">
            {filters.from && (
            <button type="button" className="button button--link" onClick={() => setFilter('from', '')}>
              Include past dates
            </button>
          )}
            {!isDefault && (
              <button type="button" className="button button--link" onClick={reset}>
                Reset filters
              </button>
            )}
          </div>
        )}
      </form>

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
        <EmptyState title="No bookings match these filters" />
      ) : (
        <>
          <div className="table-wrap" role="region" aria-labelledby="bookings-caption" tabIndex={0}>
            <table className="table">
              <caption id="bookings-caption">
                {items.length} {items.length === 1 ? 'booking' : 'bookings'}
                {bookings.hasNextPage ? ' loaded so far' : ''} · times in {formatZone(zone)}
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
                {items.map((b) => {
                  const actions = adminTransitions(b, now);
                  const busy = update.isPending && update.variables?.id === b.id;
                  return (
                    <tr key={b.id} data-testid="admin-booking-row" data-booking-id={b.id} data-start={b.slotStart}>
                      <td data-label="Session">
                        {formatDateTime(b.slotStart, zone)}–{formatTime(b.slotEnd, zone)}
                        <div className="muted small">
                          Ref <code>{b.id}</code>
                        </div>
                      </td>
                      <td data-label="Expert">{b.expertName}</td>
                      <td data-label="Client">
                        {b.name}
                        <div className="muted small">{b.email}</div>
                        <div className="muted small">{b.phone}</div>
                      </td>
                      <td data-label="Status">
                        <StatusBadge status={b.status} />
                      </td>
                      <td data-label="Actions">
                        {actions.length === 0 ? (
                          <span className="muted small">No actions</span>
                        ) : (
                          <div className="actions actions--tight">
                            {actions.map((status) => (
                              <button
                                key={status}
                                type="button"
                                className={`button button--small${status === 'cancelled' ? ' button--danger-outline' : ''}`}
                                aria-disabled={busy}
                                onClick={busy ? undefined : () => changeStatus(b, status)}
                              >
                                {ACTION_LABELS[status]}
                                <span className="sr-only"> booking for {b.name}</span>
                              </button>
                            ))}
                          </div>
                        )}
                      </td>
                    </tr>
                  );
                })}
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
