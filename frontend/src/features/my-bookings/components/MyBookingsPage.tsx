import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { ErrorPanel } from '@/components/ErrorPanel';
import { PageTitle } from '@/components/PageTitle';
import { Skeleton } from '@/components/Skeleton';
import { removeBookingToken, removeEmailToken, useClientTokens } from '@/lib/accessTokens';
import { ApiError } from '@/lib/http';
import { viewerTimeZone } from '@/lib/time';
import type { Booking } from '@/lib/types';
import { exchangeAccessLink, isDeadToken, useCancelBooking, useDeviceBookings } from '../api/myBookings';
import { AccessLinkForm } from './AccessLinkForm';
import { BookingItem } from './BookingItem';

/** Set by the verification page when it sends the user here. */
export interface MyBookingsState {
  verified?: string;
}

type LinkState = { phase: 'idle' } | { phase: 'exchanging' } | { phase: 'failed'; error: unknown };

/**
 * An access link lands on /my-bookings?token=<link token>: drop the token from the address bar (and so
 * from history) at once, then exchange it for a token for My bookings of its email.
 */
function useAccessLink() {
  const [params, setParams] = useSearchParams();
  const queryClient = useQueryClient();
  const token = params.get('token');
  const held = useRef<string | null>(null);
  const [state, setState] = useState<LinkState>(token ? { phase: 'exchanging' } : { phase: 'idle' });

  const exchange = useCallback(
    (linkToken: string) => {
      setState({ phase: 'exchanging' });
      exchangeAccessLink(queryClient, linkToken).then(
        () => setState({ phase: 'idle' }),
        (error: unknown) => setState({ phase: 'failed', error }),
      );
    },
    [queryClient],
  );

  useEffect(() => {
    if (!token || held.current === token) return;
    held.current = token;
    setParams({}, { replace: true });
    exchange(token);
  }, [token, setParams, exchange]);

  const retry = () => held.current && exchange(held.current);
  const dismiss = () => setState({ phase: 'idle' });
  return { state, retry, dismiss };
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

/** Forget tokens the API no longer honours (expired, or their booking is gone); remember lost emails. */
function useForgetDeadTokens(failures: ReturnType<typeof useDeviceBookings>['failures']) {
  const [lostEmails, setLostEmails] = useState<string[]>([]);
  const dead = failures.filter((f) => isDeadToken(f.error)).map((f) => f.source);
  const deadKey = JSON.stringify(dead);
  useEffect(() => {
    for (const source of dead) {
      if (source.kind === 'email') {
        removeEmailToken(source.email);
        setLostEmails((lost) => (lost.includes(source.email) ? lost : [...lost, source.email]));
      } else {
        removeBookingToken(source.bookingId);
      }
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `dead` is a new array each render; its JSON key is the real input
  }, [deadKey]);
  return lostEmails;
}

function linkFailureText(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) {
    return 'This link has expired or is not valid. Links work for 24 hours: ask for a new one below.';
  }
  return error instanceof ApiError ? error.message : 'We could not open this link. Please try again.';
}

export function MyBookingsPage() {
  const link = useAccessLink();
  const verified = (useLocation().state as MyBookingsState | null)?.verified;
  const tokens = useClientTokens();
  const device = useDeviceBookings(tokens);
  const cancel = useCancelBooking(tokens);
  const lostEmails = useForgetDeadTokens(device.failures);
  const [askForLink, setAskForLink] = useState(false);
  const zone = viewerTimeZone();
  const groups = useMemo(() => splitBookings(device.bookings), [device.bookings]);

  const emails = Object.keys(tokens.emails).sort();
  const deviceOnly = Object.values(tokens.bookings).filter((b) => !tokens.emails[b.email]);
  const hasAccess = emails.length > 0 || deviceOnly.length > 0;
  const otherFailures = device.failures.filter((f) => !isDeadToken(f.error));
  const suggestedEmail = lostEmails[0] ?? deviceOnly[0]?.email ?? '';
  const header = <PageTitle title="My bookings">My bookings</PageTitle>;

  if (link.state.phase === 'exchanging') {
    return (
      <section className="stack" aria-busy="true">
        {header}
        <p className="muted">Opening your bookings…</p>
      </section>
    );
  }

  const linkFailed = link.state.phase === 'failed';
  const linkRetryable =
    link.state.phase === 'failed' && link.state.error instanceof ApiError && link.state.error.isTransient;

  if (linkFailed || askForLink || !hasAccess) {
    const reason = linkFailed
      ? undefined
      : lostEmails.length > 0
        ? `Your access to the bookings of ${lostEmails.join(', ')} has expired. Request a new link below.`
        : undefined;
    return (
      <section className="stack narrow">
        {header}
        {link.state.phase === 'failed' && (
          <div className="notice notice--error" role="alert">
            {linkFailureText(link.state.error)}{' '}
            {linkRetryable && (
              <button type="button" className="button button--link" onClick={link.retry}>
                Try again
              </button>
            )}
          </div>
        )}
        <AccessLinkForm key={suggestedEmail} initialEmail={suggestedEmail} reason={reason} />
        {hasAccess && (
          <button
            type="button"
            className="button button--link"
            onClick={() => {
              link.dismiss();
              setAskForLink(false);
            }}
          >
            Back to my bookings
          </button>
        )}
      </section>
    );
  }

  return (
    <section className="stack">
      {header}
      {verified && (
        <p className="notice notice--success" role="status">
          Your email is confirmed; your booking is kept.
        </p>
      )}
      <div className="toolbar">
        <div className="stack stack--tight" data-testid="my-bookings-scope">
          {emails.map((email) => (
            <p key={email}>
              All bookings for <strong>{email}</strong>
            </p>
          ))}
          {deviceOnly.length > 0 && (
            <p className={emails.length ? 'small muted' : undefined}>
              {emails.length ? 'Also: bookings made on this device.' : 'Bookings made on this device.'}{' '}
              {emails.length === 0 && 'To see every booking for your email, on any device, ask for a link by email.'}
            </p>
          )}
        </div>
        <button type="button" className="button button--link" onClick={() => setAskForLink(true)}>
          {emails.length ? 'Use a different email' : 'Email me a link to all my bookings'}
        </button>
      </div>

      {otherFailures.length > 0 && (
        <ErrorPanel title="We couldn't load some of your bookings" error={otherFailures[0].error} onRetry={device.refetch} />
      )}
      {device.isPending && device.bookings.length === 0 ? (
        <div className="stack" aria-busy="true">
          <span className="sr-only">Loading your bookings…</span>
          <Skeleton height="6rem" />
          <Skeleton height="6rem" />
        </div>
      ) : device.bookings.length === 0 ? (
        otherFailures.length === 0 && (
          <EmptyState title="No bookings yet">
            <p>
              <Link to="/">Find an expert</Link> and book your first session.
            </p>
          </EmptyState>
        )
      ) : (
        <>
          <section className="stack" aria-labelledby="upcoming-title">
            <h2 id="upcoming-title">Upcoming</h2>
            {groups.upcoming.length === 0 ? (
              <p className="muted">No upcoming sessions.</p>
            ) : (
              <ul className="booking-list" aria-labelledby="upcoming-title">
                {groups.upcoming.map((b) => (
                  <BookingItem key={b.id} booking={b} timeZone={zone} onCancel={(x) => cancel.mutateAsync(x)} />
                ))}
              </ul>
            )}
          </section>
          {groups.past.length > 0 && (
            <section className="stack" aria-labelledby="past-title">
              <h2 id="past-title">Past</h2>
              <ul className="booking-list" aria-labelledby="past-title">
                {groups.past.map((b) => (
                  <BookingItem key={b.id} booking={b} timeZone={zone} onCancel={(x) => cancel.mutateAsync(x)} />
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </section>
  );
}
