import { awaitingEmail } from '@/lib/bookingStatus';
import { formatTime } from '@/lib/time';
import type { Booking } from '@/lib/types';

/** Why an expired booking ended, or how long an unconfirmed one still holds its slot (issue 9). */
export function HoldNote({ booking, timeZone }: { booking: Booking; timeZone: string }) {
  if (booking.status === 'expired') {
    return <p className="small muted">The email was not confirmed in time, so the slot was released.</p>;
  }
  if (!awaitingEmail(booking)) return null;
  return (
    <p className="notice notice--warning small" data-testid="hold-note">
      <strong>Awaiting email confirmation until {formatTime(booking.holdExpiresAt, timeZone)}.</strong> Open the link
      we emailed to {booking.email} to keep this booking; otherwise the slot is released.
    </p>
  );
}
