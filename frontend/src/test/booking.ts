import type { Booking } from '@/lib/types';

/** A UTC instant as the API writes it: whole seconds, `Z`. */
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A booking as the API returns it: Asha Rao's verified 45-minute session with Priya Nair at `start` (ms). */
export const makeBooking = (start: number, over: Partial<Booking> = {}): Booking => ({
  id: 'bk1',
  expertId: 'exp-1',
  expertName: 'Priya Nair',
  slotStart: iso(start),
  slotEnd: iso(start + 45 * 60_000),
  name: 'Asha Rao',
  email: 'asha@example.com',
  phone: '+919876543210',
  notes: '',
  status: 'confirmed',
  createdAt: iso(Date.now()),
  updatedAt: iso(Date.now()),
  emailVerified: true,
  holdExpiresAt: null,
  ...over,
});
