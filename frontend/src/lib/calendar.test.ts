import { describe, expect, it } from 'vitest';
import { bookingToIcs, googleCalendarUrl, outlookCalendarUrl } from './calendar';
import type { Booking } from './types';

const booking = {
  id: 'ref123',
  expertId: 'e1',
  expertName: 'Dr. Lee, PhD; Coach',
  slotStart: '2026-03-29T00:30:00Z',
  slotEnd: '2026-03-29T01:15:00Z',
  name: 'A',
  email: 'a@example.com',
  phone: '+441234567890',
  notes: 'Line one\nLine two',
  status: 'pending',
  createdAt: '2026-03-01T00:00:00Z',
  updatedAt: '2026-03-01T00:00:00Z',
  emailVerified: false,
  holdExpiresAt: '2026-03-01T00:15:00Z',
} satisfies Booking;
const page = 'https://book.example/my-bookings?booking=ref123';

describe('bookingToIcs', () => {
  it('writes one UTC event with escaped text and CRLF line ends', () => {
    const ics = bookingToIcs(booking, new Date('2026-03-01T10:00:00Z'), page);
    const lines = ics.split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('DTSTART:20260329T003000Z');
    expect(lines).toContain('DTEND:20260329T011500Z');
    expect(lines).toContain('DTSTAMP:20260301T100000Z');
    expect(lines).toContain('UID:ref123@expert-session-booking');
    expect(lines).toContain('SUMMARY:Session with Dr. Lee\\, PhD\\; Coach');
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain('Notes: Line one\\nLine two');
    expect(lines.some((l) => l.startsWith(' '))).toBe(true); // the long DESCRIPTION was folded
    expect(lines.every((l) => new TextEncoder().encode(l).length <= 75)).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(unfolded).toContain(`LOCATION:${page}`);
  });

  it("uses the booking's page in My bookings on this origin by default", () => {
    const unfolded = bookingToIcs(booking).replace(/\r\n /g, '');
    expect(unfolded).toContain(`URL:${window.location.origin}/my-bookings?booking=ref123`);
  });
});

describe('calendar links', () => {
  it('fills in Google Calendar with UTC times, the title and the location', () => {
    const url = new URL(googleCalendarUrl(booking, page));
    expect(url.host).toBe('calendar.google.com');
    expect(url.searchParams.get('dates')).toBe('20260329T003000Z/20260329T011500Z');
    expect(url.searchParams.get('text')).toBe('Session with Dr. Lee, PhD; Coach');
    expect(url.searchParams.get('location')).toBe(page);
    expect(url.searchParams.get('details')).toContain('Booking reference: ref123');
  });

  it('fills in Outlook with ISO instants and the location', () => {
    const url = new URL(outlookCalendarUrl(booking, page));
    expect(url.searchParams.get('startdt')).toBe('2026-03-29T00:30:00Z');
    expect(url.searchParams.get('enddt')).toBe('2026-03-29T01:15:00Z');
    expect(url.searchParams.get('location')).toBe(page);
    expect(url.searchParams.get('subject')).toBe('Session with Dr. Lee, PhD; Coach');
  });
});
