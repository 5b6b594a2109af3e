import { useMemo } from 'react';
import { bookingToIcs, googleCalendarUrl, icsHref, outlookCalendarUrl } from '@/lib/calendar';
import type { Booking } from '@/lib/types';

/** "Add to calendar": an .ics file, Google Calendar and Outlook, each with the booking's page as location. */
export function CalendarLinks({ booking, primary = false }: { booking: Booking; primary?: boolean }) {
  const ics = useMemo(() => bookingToIcs(booking), [booking]);
  const label = `Session with ${booking.expertName}`;
  return (
    <div className="calendar-links" role="group" aria-label={`Add to calendar: ${label}`}>
      <a
        className={primary ? 'button' : 'button button--secondary'}
        href={icsHref(ics)}
        download={`session-${booking.id}.ics`}
      >
        Add to calendar (.ics)
      </a>
      <a className="button button--link" href={googleCalendarUrl(booking)} target="_blank" rel="noreferrer">
        Google Calendar<span className="sr-only"> (opens in a new tab)</span>
      </a>
      <a className="button button--link" href={outlookCalendarUrl(booking)} target="_blank" rel="noreferrer">
        Outlook<span className="sr-only"> (opens in a new tab)</span>
      </a>
    </div>
  );
}
