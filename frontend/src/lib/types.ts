/**
 * Names the SPA uses for the API's shapes. Every shape comes from `api/schema.ts`, generated from the backend's
 * pydantic models (`npm run gen:api`); nothing here is written by hand except `FieldError`, the element of
 * `ErrorBody.details` on a 400, which the OpenAPI document leaves untyped.
 * Instants are UTC ISO-8601 strings ending in "Z".
 */
import type * as api from './api/schema';

export type Expert = api.ExpertOut;
export type ExpertPage = api.ExpertPageOut;
export type Category = api.CategoryOut;
export type Slot = api.SlotOut;
export type SlotDay = api.SlotDayOut;
export type SlotsResponse = api.SlotsOut;
/** `expired`: a new booking whose email was not confirmed before its hold ran out (final; the slot is free). */
export type BookingStatus = api.Status;
/** `emailVerified`: the client opened the emailed link; `holdExpiresAt`: when an unverified hold is released. */
export type Booking = api.BookingOut;
export type BookingsPage = api.BookingsPageOut;
export type BookingRequest = api.BookingRequest;
/** `accessToken` opens this one booking (view, cancel) until its session ends; never My bookings by email. */
export type CreateBookingResponse = api.BookingCreatedOut;
/** POST /bookings/{id}/reschedule: the moved booking and, for a client, a booking token for its new session. */
export type RescheduledResponse = api.RescheduledOut;
/** POST /bookings/{id}/verify: the booking, and a token for My bookings of its email (24 h). */
export type VerifiedResponse = api.VerifiedOut;
/** POST /bookings/access-token: an emailed access link exchanged for a token for My bookings of `email`. */
export type EmailAccessResponse = api.EmailAccessOut;
export type AdminSession = api.AdminSessionOut;
/** With MFA on (production), the password step answers this instead of a session. */
export type MfaChallenge = api.AdminChallengeOut;
export type SlotsCreated = api.SlotsCreatedOut;

export interface FieldError {
  field: string;
  message: string;
}
