/**
 * A booking in the client's calendar: a one-event iCalendar file (RFC 5545) made in the browser, and links
 * that open Google Calendar's and Outlook's "new event" screens filled in (issue 13). Every one carries the
 * booking's page in My bookings as its location, since sessions are online and that page is where the
 * client sees the booking's state.
 */
import type { Booking } from './types';

function icsInstant(iso: string): string {
  return new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Lines longer than 75 octets are folded: CRLF then a space (RFC 5545 §3.1). */
function fold(line: string): string {
  const encoder = new TextEncoder();
  const out: string[] = [];
  let current = '';
  for (const char of line) {
    const limit = out.length === 0 ? 75 : 74;
    if (encoder.encode(current + char).length > limit) {
      out.push(current);
      current = char;
    } else {
      current += char;
    }
  }
  out.push(current);
  return out.join('\r\n ');
}

/** The address of this booking in My bookings (the app's own origin unless given). */
export function bookingPageUrl(booking: Booking, origin: string = window.location.origin): string {
  return `${origin}/my-bookings?${new URLSearchParams({ booking: booking.id })}`;
}

function details(booking: Booking, location: string): string {
  return [
    `Booking reference: ${booking.id}`,
    `Status when added: ${booking.status}`,
    `Online session; details and changes: ${location}`,
    booking.notes ? `Notes: ${booking.notes}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

const summary = (booking: Booking) => `Session with ${booking.expertName}`;

export function bookingToIcs(booking: Booking, now: Date = new Date(), location = bookingPageUrl(booking)): string {
  const description = details(booking, location);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Expert Session Booking//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${booking.id}@expert-session-booking`,
    `DTSTAMP:${icsInstant(now.toISOString())}`,
    `DTSTART:${icsInstant(booking.slotStart)}`,
    `DTEND:${icsInstant(booking.slotEnd)}`,
    `SUMMARY:${escapeText(summary(booking))}`,
    `DESCRIPTION:${escapeText(description)}`,
    `LOCATION:${escapeText(location)}`,
    `URL:${location}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

export function icsHref(ics: string): string {
  return `data:text/calendar;charset=utf-8,${encodeURIComponent(ics)}`;
}

/** Google Calendar's event template (calendar.google.com/calendar/render?action=TEMPLATE), times in UTC. */
export function googleCalendarUrl(booking: Booking, location = bookingPageUrl(booking)): string {
  const params = new URLSearchParams({
    action: 'TEMPLATE',
    text: summary(booking),
    dates: `${icsInstant(booking.slotStart)}/${icsInstant(booking.slotEnd)}`,
    details: details(booking, location),
    location,
  });
  return `https://calendar.google.com/calendar/render?${params}`;
}

/** Outlook on the web's compose deep link; it takes ISO-8601 instants. */
export function outlookCalendarUrl(booking: Booking, location = bookingPageUrl(booking)): string {
  const params = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: summary(booking),
    startdt: booking.slotStart,
    enddt: booking.slotEnd,
    body: details(booking, location),
    location,
  });
  return `https://outlook.live.com/calendar/0/deeplink/compose?${params}`;
}
