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

export type BookingStatus = 'pending' | 'confirmed' | 'completed' | 'cancelled';

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
}

export interface BookingRequest {
  expertId: string;
  slotStart: string;
  name: string;
  email: string;
  phone: string;
  notes?: string;
}

export interface CreateBookingResponse {
  booking: Booking;
  accessToken: string;
}

export interface FieldError {
  field: string;
  message: string;
}
