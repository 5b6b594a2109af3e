import { describe, expect, it } from 'vitest';
import type { Booking, BookingStatus } from '@/lib/types';
import { splitBookings } from './splitBookings';

const now = Date.parse('2026-05-01T12:00:00Z');
function booking(id: string, status: BookingStatus, start: string): Booking {
  const end = new Date(Date.parse(start) + 30 * 60_000).toISOString();
  return {
    id, expertId: 'e', expertName: 'E', slotStart: start, slotEnd: end, name: 'A', email: 'a@example.com',
    phone: '+441234567890', notes: '', status, createdAt: start, updatedAt: start, emailVerified: true,
    holdExpiresAt: null,
  };
}

describe('splitBookings', () => {
  it('keeps only pending and confirmed sessions that have not ended in Upcoming, soonest first', () => {
    const items = [
      booking('later', 'confirmed', '2026-05-03T09:00:00Z'),
      booking('cancelled-future', 'cancelled', '2026-05-02T09:00:00Z'),
      booking('expired-future', 'expired', '2026-05-02T10:00:00Z'),
      booking('soon', 'pending', '2026-05-02T08:00:00Z'),
      booking('running', 'confirmed', '2026-05-01T11:45:00Z'),
      booking('done', 'completed', '2026-04-20T09:00:00Z'),
      booking('old', 'confirmed', '2026-04-01T09:00:00Z'),
    ];
    const { upcoming, past } = splitBookings(items, now);
    expect(upcoming.map((b) => b.id)).toEqual(['running', 'soon', 'later']);
    expect(past.map((b) => b.id)).toEqual(['expired-future', 'cancelled-future', 'done', 'old']);
  });
});
