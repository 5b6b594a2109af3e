import { useMemo } from 'react';
import type { Booking } from '@/lib/types';
import { BookingItem } from './BookingItem';

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

interface Props {
  bookings: Booking[];
  zone: string;
  onCancel: (booking: Booking) => Promise<unknown>;
}

/** The client's bookings, upcoming (soonest first) and past (latest first). */
export function BookingLists({ bookings, zone, onCancel }: Props) {
  const groups = useMemo(() => splitBookings(bookings), [bookings]);
  return (
    <>
      <section className="stack" aria-labelledby="upcoming-title">
        <h2 id="upcoming-title">Upcoming</h2>
        {groups.upcoming.length === 0 ? (
          <p className="muted">No upcoming sessions.</p>
        ) : (
          <ul className="booking-list" aria-labelledby="upcoming-title">
            {groups.upcoming.map((b) => (
              <BookingItem key={b.id} booking={b} timeZone={zone} onCancel={onCancel} />
            ))}
          </ul>
        )}
      </section>
      {groups.past.length > 0 && (
        <section className="stack" aria-labelledby="past-title">
          <h2 id="past-title">Past</h2>
          <ul className="booking-list" aria-labelledby="past-title">
            {groups.past.map((b) => (
              <BookingItem key={b.id} booking={b} timeZone={zone} onCancel={onCancel} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
