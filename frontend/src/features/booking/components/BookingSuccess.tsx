import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { CalendarLinks } from '@/components/CalendarLinks';
import { StatusBadge } from '@/components/StatusBadge';
import { holdMinutes } from '@/lib/bookingStatus';
import { formatDateTime, formatTime, formatZone } from '@/lib/time';
import type { Booking } from '@/lib/types';

export function BookingSuccess({ booking, timeZone }: { booking: Booking; timeZone: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const minutes = holdMinutes(booking);

  useEffect(() => {
    document.title = 'Booking received · Expert Sessions';
    heading.current?.focus();
  }, []);

  return (
    <section className="stack success" aria-labelledby="success-title">
      <div className="success__icon disc" aria-hidden="true">✓</div>
      <h1 id="success-title" className="page-title" tabIndex={-1} ref={heading} data-page-title>
        Booking received
      </h1>
      <p className="lead">
        Thanks, {booking.name}. Your session with {booking.expertName} is <StatusBadge status={booking.status} />
        {booking.status === 'pending' &&
          (minutes !== null
            ? ': we have emailed a confirmation link to '
            : ': the expert will confirm it, and we will email you at ')}
        {booking.status === 'pending' && <strong>{booking.email}</strong>}.
      </p>
      {minutes !== null && (
        <p className="notice notice--warning" data-testid="hold-notice">
          <strong>
            Check your email to confirm within {minutes} {minutes === 1 ? 'minute' : 'minutes'}, or the slot is
            released.
          </strong>{' '}
          After that, the expert confirms the session.
        </p>
      )}
      <dl className="card summary">
        <div>
          <dt>Booking reference</dt>
          <dd>
            <code className="reference" data-testid="booking-reference">
              {booking.id}
            </code>
          </dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>
            {formatDateTime(booking.slotStart, timeZone)} – {formatTime(booking.slotEnd, timeZone)}
            <br />
            <span className="muted">{formatZone(timeZone)}</span>
          </dd>
        </div>
        <div>
          <dt>Expert</dt>
          <dd>{booking.expertName}</dd>
        </div>
      </dl>
      <div className="actions">
        <CalendarLinks booking={booking} primary />
        <Link className="button button--secondary" to={`/my-bookings?booking=${encodeURIComponent(booking.id)}`}>
          Go to My bookings
        </Link>
      </div>
    </section>
  );
}
