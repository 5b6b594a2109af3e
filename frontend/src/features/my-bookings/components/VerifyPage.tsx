import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ErrorPanel } from '@/components/ErrorPanel';
import { PageTitle } from '@/components/PageTitle';
import { readTokens } from '@/lib/accessTokens';
import { ApiError, apiRequest } from '@/lib/http';
import type { Booking } from '@/lib/types';
import { verifyBookingEmail } from '../api/myBookings';
import type { MyBookingsState } from './MyBookingsPage';

/**
 * The verification link from the booking email: /verify?booking=<id>&token=<t>. Confirms the email (the
 * booking keeps its slot), stores the token for My bookings of that email, then shows My bookings.
 */
export function VerifyPage() {
  const [params] = useSearchParams();
  const bookingId = params.get('booking') ?? '';
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const started = useRef(false);

  const verify = useCallback(() => {
    setError(null);
    verifyBookingEmail(queryClient, bookingId, token).then(
      // Replace: the link's token leaves the address bar and history.
      (verified) => {
        const state: MyBookingsState = { verified: verified.booking.email };
        navigate(`/my-bookings?booking=${encodeURIComponent(verified.booking.id)}`, { replace: true, state });
      },
      setError,
    );
  }, [bookingId, token, queryClient, navigate]);

  useEffect(() => {
    if (started.current || !bookingId || !token) return;
    started.current = true;
    verify();
  }, [bookingId, token, verify]);

  const header = <PageTitle title="Confirm your email">Confirm your email</PageTitle>;

  if (!bookingId || !token) {
    return (
      <section className="stack narrow">
        {header}
        <p className="notice notice--error" role="alert">
          This confirmation link is incomplete. Open it again from your email, or copy the whole address into the
          browser.
        </p>
      </section>
    );
  }
  if (error === null) {
    return (
      <section className="stack narrow" aria-busy="true">
        {header}
        <p className="muted">Confirming your email…</p>
      </section>
    );
  }
  if (error instanceof ApiError && error.code === 'hold_expired') {
    return <HoldExpired bookingId={bookingId} header={header} known={rebookDetails(error.details)} />;
  }
  if (error instanceof ApiError && !error.isTransient) {
    return (
      <section className="stack narrow">
        {header}
        <p className="notice notice--error" role="alert">
          {error.status === 401
            ? 'This confirmation link is not valid or has expired.'
            : error.status === 403
              ? 'This confirmation link is for another booking.'
              : error.message}
        </p>
        <p>
          <Link to="/my-bookings">Go to My bookings</Link> to ask for a new link to your bookings.
        </p>
      </section>
    );
  }
  return (
    <section className="stack narrow">
      {header}
      <ErrorPanel title="We couldn't confirm your email" error={error} onRetry={verify} />
    </section>
  );
}

interface Rebook {
  expertId: string;
  expertName: string;
}

/** The 409 hold_expired names the expert (details: {expertId, expertName}). */
function rebookDetails(details: unknown): Rebook | null {
  const d = details as Partial<Rebook> | null;
  return d && typeof d.expertId === 'string' && typeof d.expertName === 'string'
    ? { expertId: d.expertId, expertName: d.expertName }
    : null;
}

/** The hold ran out: the slot is free again. Offer to book the same expert (named by the server's answer,
 * or read with this device's booking token when an older server did not say). */
function HoldExpired({ bookingId, header, known }: { bookingId: string; header: ReactNode; known: Rebook | null }) {
  const token = readTokens().bookings[bookingId]?.token;
  const booking = useQuery({
    queryKey: ['verify', 'booking', bookingId],
    queryFn: ({ signal }) => apiRequest<Booking>(`/bookings/${encodeURIComponent(bookingId)}`, { token, signal }),
    enabled: Boolean(token) && known === null,
    retry: false,
  });
  const expert = known ?? booking.data;
  return (
    <section className="stack narrow">
      {header}
      <div className="notice notice--warning" role="alert">
        <strong>This booking's hold ran out.</strong> The email was not confirmed in time, so the time slot was
        released and the booking has expired.
      </div>
      <p>You are welcome to book again{expert ? ` with ${expert.expertName}` : ''}.</p>
      <div className="actions">
        {expert ? (
          <Link className="button" to={`/experts/${encodeURIComponent(expert.expertId)}`}>
            Book again with {expert.expertName}
          </Link>
        ) : (
          <Link className="button" to="/">
            Find an expert to book again
          </Link>
        )}
      </div>
    </section>
  );
}
