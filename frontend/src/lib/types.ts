/** Shapes of the HTTP API (see shared PRODUCT.md). Instants are UTC ISO-8601 strings ending in "Z". */

export interface Expert {
  id: string;
  name: string;
  category: string;
  experienceYears: number;
  rating: number;
  bio: string;
  timezone: string;
  sessionMinutes: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

export interface Category {
  name: string;
  count: number;
}

export interface Slot {
  start: string;
  end: string;
  available: boolean;
}

export interface SlotDay {
  date: string;
  slots: Slot[];
}

export interface SlotsResponse {
  expertId: string;
  timezone: string;
  days: SlotDay[];
}

/** `expired`: a new booking whose email was not confirmed before its hold ran out (final; the slot is free). */
export type BookingStatus = 'pending' | 'confirmed' | 'completed' | 'cancelled' | 'expired';

export interface Booking {
  id: string;
  expertId: string;
  expertName: string;
  slotStart: string;
  slotEnd: string;
  name: string;
  email: string;
  phone: string;
  notes: string | null;
  status: BookingStatus;
  createdAt: string;
  updatedAt: string;
  /** The client opened the verification link emailed to them. */
  emailVerified: boolean;
  /** While the email is unverified: when the slot is released. Null once the hold is firm (or verification is off). */
  holdExpiresAt: string | null;
}

export interface BookingRequest {
  expertId: string;
  slotStart: string;
  name: string;
  email: string;
  phone: string;
  notes?: string;
}

/** `accessToken` opens this one booking (view, cancel) until its session ends; never My bookings by email. */
export interface CreateBookingResponse {
  booking: Booking;
  accessToken: string;
}

/** POST /bookings/{id}/verify: the booking, and a token for My bookings of its email (24 h). */
export interface VerifiedResponse {
  booking: Booking;
  accessToken: string;
  expiresAt: string;
}

/** POST /bookings/access-token: an emailed access link exchanged for a token for My bookings of `email`. */
export interface EmailAccessResponse {
  email: string;
  accessToken: string;
  expiresAt: string;
}

export interface FieldError {
  field: string;
  message: string;
}
