import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorPanel } from '../../../components/ErrorPanel';
import { PageTitle } from '../../../components/PageTitle';
import { Skeleton } from '../../../components/Skeleton';
import { getAccessToken, normaliseEmail, removeAccessToken, saveAccessToken, storedEmails } from '../../../lib/accessTokens';
import { ApiError } from '../../../lib/http';
import { viewerTimeZone } from '../../../lib/time';
import type { Booking } from '../../../lib/types';
import { useCancelBooking, useMyBookings } from '../api/myBookings';
import { AccessLinkForm } from './AccessLinkForm';
import { BookingItem } from './BookingItem';

/** A magic link lands on /my-bookings?token=…&email=…: keep the token, then drop it from the URL/history. */
function useMagicLinkToken() {
  const [params, setParams] = useSearchParams();
  const token = params.get('token');
  const email = params.get('email');
  useEffect(() => {
    if (token && email) {
      saveAccessToken(email, token);
      setParams({ email: normaliseEmail(email) }, { replace: true });
    }
  }, [token, email, setParams]);
  return { pendingToken: Boolean(token && email), emailParam: email ? normaliseEmail(email) : '', setParams };
}

function splitBookings(items: Booking[], now = Date.now()) {
  // Split by time only, so a booking cancelled here stays where it was (with its new badge).
  const upcoming = items
    .filter((b) => Date.parse(b.slotEnd) > now)
    .sort((a, b) => Date.parse(a.slotStart) - Date.parse(b.slotStart));
  const past = items
    .filter((b) => !upcoming.includes(b))
    .sort((a, b) => Date.parse(b.slotStart) - Date.parse(a.slotStart));
  return { upcoming, past };
}

export function MyBookingsPage() {
  const { pendingToken, emailParam, setParams } = useMagicLinkToken();
  const [askForLink, setAskForLink] = useState(false);
  const emails = storedEmails();
  const email = emailParam || emails[0] || '';
  const token = email ? getAccessToken(email) : null;
  const bookings = useMyBookings(email, pendingToken ? null : token);
  const cancel = useCancelBooking(email, token);
  const zone = viewerTimeZone();
  const groups = useMemo(() => splitBookings(bookings.data ?? []), [bookings.data]);

  // An expired or revoked token: forget it, and offer a fresh magic link.
  const authFailed = bookings.error instanceof ApiError && [401, 403].includes(bookings.error.status);
  useEffect(() => {
    if (authFailed && email) removeAccessToken(email);
  }, [authFailed, email]);

  const switchEmail = (next: string) => {
    setAskForLink(false);
    setParams(next ? { email: next } : {}, { replace: true, preventScrollReset: true });
  };

  const header = <PageTitle title="My bookings">My bookings</PageTitle>;

  if (pendingToken) return <section className="stack">{header}</section>;

  if (askForLink || !token || authFailed) {
    return (
      <section className="stack narrow">
        {header}
        <AccessLinkForm
          key={email}
          initialEmail={email}
          reason={
            authFailed
              ? 'Your access link has expired. Request a new one below.'
              : email && !askForLink
                ? `This device has no access to the bookings of ${email} yet.`
                : undefined
          }
        />
        {askForLink && token && (
          <button type="button" className="button button--link" onClick={() => setAskForLink(false)}>
            Back to bookings for {email}
          </button>
        )}
      </section>
    );
  }

  return (
    <section className="stack">
      {header}
      <div className="toolbar">
        {emails.length > 1 ? (
          <div className="field field--inline">
            <label className="field__label" htmlFor="my-bookings-email">
              Bookings for
            </label>
            <select
              id="my-bookings-email"
              className="input"
              value={email}
              onChange={(e) => switchEmail(e.target.value)}
            >
              {emails.map((e) => (
                <option key={e} value={e}>
                  {e}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <p>
            Bookings for <strong>{email}</strong>
          </p>
        )}
        <button type="button" className="button button--link" onClick={() => setAskForLink(true)}>
          Use a different email
        </button>
      </div>

      {bookings.isPending ? (
        <div className="stack" aria-busy="true">
          <span className="sr-only">Loading your bookings…</span>
          <Skeleton height="6rem" />
          <Skeleton height="6rem" />
        </div>
      ) : bookings.isError ? (
        <ErrorPanel title="We couldn't load your bookings" error={bookings.error} onRetry={() => bookings.refetch()} />
      ) : bookings.data.length === 0 ? (
        <EmptyState title="No bookings yet">
          <p>
            <Link to="/">Find an expert</Link> and book your first session.
          </p>
        </EmptyState>
      ) : (
        <>
          <section className="stack" aria-labelledby="upcoming-title">
            <h2 id="upcoming-title">Upcoming</h2>
            {groups.upcoming.length === 0 ? (
              <p className="muted">No upcoming sessions.</p>
            ) : (
              <ul className="booking-list" aria-labelledby="upcoming-title">
                {groups.upcoming.map((b) => (
                  <BookingItem key={b.id} booking={b} timeZone={zone} onCancel={(id) => cancel.mutateAsync(id)} />
                ))}
              </ul>
            )}
          </section>
          {groups.past.length > 0 && (
            <section className="stack" aria-labelledby="past-title">
              <h2 id="past-title">Past</h2>
              <ul className="booking-list" aria-labelledby="past-title">
                {groups.past.map((b) => (
                  <BookingItem key={b.id} booking={b} timeZone={zone} onCancel={(id) => cancel.mutateAsync(id)} />
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </section>
  );
}
