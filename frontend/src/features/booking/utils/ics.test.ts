import { describe, expect, it } from 'vitest';
import { bookingToIcs } from './ics';
import type { Booking } from '@/lib/types';

describe('bookingToIcs', () => {
  it('writes one UTC event with escaped text and CRLF line ends', () => {
    const ics = bookingToIcs(
      {
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
      } satisfies Booking,
      new Date('2026-03-01T10:00:00Z'),
    );
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
  });
});
