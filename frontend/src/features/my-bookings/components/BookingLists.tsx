import { useMemo, useState } from 'react';
import type { Booking } from '@/lib/types';
import { splitBookings } from '../utils/splitBookings';
import { BookingItem } from './BookingItem';

interface Props {
  bookings: Booking[];
  zone: string;
  onCancel: (booking: Booking) => Promise<unknown>;
  onReschedule: (booking: Booking, slotStart: string) => Promise<Booking>;
  /** The booking a link pointed at (`?booking=<id>`): outlined, scrolled to and focused. */
  targetId?: string;
}

/** The client's bookings: upcoming (soonest first), then past and cancelled (latest first). */
export function BookingLists({ bookings, zone, onCancel, onReschedule, targetId }: Props) {
  const groups = useMemo(() => splitBookings(bookings), [bookings]);
  // A cancelled booking moves to the other list; its heading takes the focus there.
  const [moved, setMoved] = useState<string | null>(null);
  const cancel = async (booking: Booking) => {
    await onCancel(booking);
    setMoved(booking.id);
  };
  const item = (b: Booking) => (
    <BookingItem
      key={b.id}
      booking={b}
      timeZone={zone}
      onCancel={cancel}
      onReschedule={onReschedule}
      target={b.id === targetId}
      focusHeading={b.id === moved || b.id === targetId}
    />
  );
  return (
    <>
      <section className="stack" aria-labelledby="upcoming-title">
        <h2 id="upcoming-title">Upcoming</h2>
        {groups.upcoming.length === 0 ? (
          <p className="muted">No upcoming sessions.</p>
        ) : (
          <ul className="booking-list" aria-labelledby="upcoming-title" data-testid="upcoming-bookings">
            {groups.upcoming.map(item)}
          </ul>
        )}
      </section>
      {groups.past.length > 0 && (
        <section className="stack" aria-labelledby="past-title">
          <h2 id="past-title">Past and cancelled</h2>
          <ul className="booking-list" aria-labelledby="past-title" data-testid="past-bookings">
            {groups.past.map(item)}
          </ul>
        </section>
      )}
    </>
  );
}
