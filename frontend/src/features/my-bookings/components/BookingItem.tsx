import { useEffect, useRef, useState } from 'react';
import { CalendarLinks } from '@/components/CalendarLinks';
import { StatusBadge } from '@/components/StatusBadge';
import { clientMayCancel } from '@/lib/bookingStatus';
import { ApiError } from '@/lib/http';
import { formatDateTime, formatTime, formatZone } from '@/lib/time';
import type { Booking } from '@/lib/types';
import { HoldNote } from './HoldNote';
import { ReschedulePanel } from './ReschedulePanel';

interface Props {
  booking: Booking;
  timeZone: string;
  onCancel: (booking: Booking) => Promise<unknown>;
  /** Moves the booking to another free time of its expert; resolves to the moved booking. */
  onReschedule: (booking: Booking, slotStart: string) => Promise<Booking>;
  /** Outline this booking and scroll to it (a link pointed here). */
  target?: boolean;
  /** Move the focus to this booking's heading when it appears (or when asked). */
  focusHeading?: boolean;
}

function cancelErrorText(error: unknown): string {
  if (error instanceof ApiError && error.code === 'cancellation_window_closed') {
    return `It is too late to cancel this session online: ${error.message}`;
  }
  if (error instanceof ApiError && error.code === 'invalid_transition') {
    return `This booking can no longer be cancelled: ${error.message}`;
  }
  return error instanceof ApiError ? error.message : 'Could not cancel. Please try again.';
}

export function BookingItem(props: Props) {
  const { booking, timeZone, onCancel, onReschedule, target = false, focusHeading = false } = props;
  const [confirming, setConfirming] = useState(false);
  const [moving, setMoving] = useState(false);
  const [movedTo, setMovedTo] = useState<string | null>(null);
  const moveButton = useRef<HTMLButtonElement>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingId = `booking-${booking.id}-title`;
  const heading = useRef<HTMLHeadingElement>(null);
  const active = booking.status === 'pending' || booking.status === 'confirmed';

  useEffect(() => {
    if (!focusHeading) return;
    heading.current?.focus(); // focusing scrolls it into view
  }, [focusHeading]);

  const cancel = async () => {
    setPending(true);
    setError(null);
    try {
      await onCancel(booking);
      setConfirming(false);
      heading.current?.focus(); // the buttons are gone; keep focus on this booking (it moves lists)
    } catch (e) {
      setError(cancelErrorText(e));
      setConfirming(false);
    } finally {
      setPending(false);
    }
  };

  const closeMove = () => {
    setMoving(false);
    moveButton.current?.focus();
  };
  const move = async (slotStart: string) => {
    const moved = await onReschedule(booking, slotStart);
    setMovedTo(moved.slotStart);
    setMoving(false);
    heading.current?.focus(); // it may have moved in the list; its new time is announced below
  };

  return (
    <li
      className={target ? 'card booking-item booking-item--focus' : 'card booking-item'}
      data-testid="my-booking"
      data-booking-id={booking.id} aria-labelledby={headingId}>
      <div className="booking-item__head spread">
        <h3 id={headingId} ref={heading} tabIndex={-1}>
          Session with {booking.expertName}</h3>
        <StatusBadge status={booking.status} />
      </div>
      <p className="booking-item__when">
        {formatDateTime(booking.slotStart, timeZone)} – {formatTime(booking.slotEnd, timeZone)}{' '}
        <span className="muted">· {formatZone(timeZone)}</span>
      </p>
      <p className="muted small">
        Reference <code>{booking.id}</code>
      </p>
      <HoldNote booking={booking} timeZone={timeZone} />
      {booking.notes && <p className="small">Notes: {booking.notes}</p>}
      {active && Date.parse(booking.slotEnd) > Date.now() && <CalendarLinks booking={booking} />}
      {movedTo && (
        <p className="notice notice--success" role="status">
          Moved to {formatDateTime(movedTo, timeZone)}. Your old time is free for others.
        </p>
      )}
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      {clientMayCancel(booking) && (
        <div className="actions">
          {confirming ? (
            <>
              <span className="small">Cancel this session?</span>
              <button type="button" className="button button--danger" onClick={pending ? undefined : cancel} aria-disabled={pending}>
                {pending ? 'Cancelling…' : 'Yes, cancel booking'}
              </button>
              {/* Focus the safe choice first. */}
              <button type="button" className="button button--secondary" autoFocus onClick={() => setConfirming(false)}>
                Keep booking
              </button>
            </>
          ) : (
            <>
              <button type="button" className="button button--secondary" ref={moveButton} aria-expanded={moving}
                aria-controls={moving ? `reschedule-${booking.id}` : undefined}
                onClick={() => (moving ? closeMove() : setMoving(true))}>
                Reschedule
              </button>
              <button type="button" className="button button--secondary" onClick={() => { setMoving(false); setConfirming(true); }}>
                Cancel booking
              </button>
            </>
          )}
        </div>
      )}
      {moving && clientMayCancel(booking) && (
        <ReschedulePanel booking={booking} timeZone={timeZone} onMove={move} onClose={closeMove} />
      )}
    </li>
  );
}
