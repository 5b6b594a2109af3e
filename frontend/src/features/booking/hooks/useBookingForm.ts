import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { errorMessage } from '@/components/ErrorPanel';
import {
  BOOKING_FIELDS,
  toBookingRequest,
  validateBooking,
  type BookingErrors,
  type BookingField,
  type BookingFormValues,
} from '@/lib/bookingRules';
import { ApiError } from '@/lib/http';
import { dateKeyInZone, groupSlotsByDate, sameInstant } from '@/lib/time';
import type { CreateBookingResponse, Expert, SlotsResponse } from '@/lib/types';
import { randomUuid } from '@/lib/uuid';
import { useCreateBooking } from '../api/createBooking';
import { clearDraft, loadDraft, saveDraft } from '../api/draft';

export interface BookingFormOptions {
  expert: Expert;
  slots: SlotsResponse;
  timeZone: string;
  initialSlot: string;
  onBooked: (result: CreateBookingResponse) => void;
  /** 409 slot_unavailable: the caller sends the user back to the slot picker. */
  onSlotTaken: (slotStart: string) => void;
}

export const CONTROL_IDS: Record<BookingField, string> = {
  slotStart: 'booking-time',
  name: 'booking-name',
  email: 'booking-email',
  phone: 'booking-phone',
  notes: 'booking-notes',
};

function focusField(field: BookingField) {
  document.getElementById(CONTROL_IDS[field])?.focus();
}

/** A 400's field errors split into the form's fields and messages for the whole form. */
function splitFieldErrors(error: ApiError): { byField: BookingErrors; other: string[] } {
  const byField: BookingErrors = {};
  const other: string[] = [];
  for (const { field, message } of error.fieldErrors) {
    if ((BOOKING_FIELDS as string[]).includes(field)) byField[field as BookingField] ??= message;
    else other.push(message);
  }
  return { byField, other };
}

/** The booking form's state: slot choice, contact details (kept as a draft), validation and the submission. */
export function useBookingForm({ expert, slots, timeZone, initialSlot, onBooked, onSlotTaken }: BookingFormOptions) {
  // Only bookable slots, grouped by date in the zone the user is looking at.
  const groups = useMemo(
    () =>
      groupSlotsByDate(slots.days, timeZone)
        .map((g) => ({ ...g, slots: g.slots.filter((s) => s.available) }))
        .filter((g) => g.slots.length > 0),
    [slots, timeZone],
  );
  const findSlot = (start: string) => groups.flatMap((g) => g.slots).find((s) => sameInstant(s.start, start));

  const [values, setValues] = useState<BookingFormValues>(() => ({
    ...loadDraft(),
    slotStart: (initialSlot && findSlot(initialSlot)?.start) || '',
  }));
  const [dateChoice, setDateChoice] = useState(() => groups[0]?.date ?? '');
  const [touched, setTouched] = useState<Set<BookingField>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<BookingErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [lostSlot, setLostSlot] = useState<string | null>(
    initialSlot && !findSlot(initialSlot) ? initialSlot : null,
  );
  const attempt = useRef<{ key: string; body: string } | null>(null);
  const mutation = useCreateBooking();

  const date = values.slotStart ? dateKeyInZone(values.slotStart, timeZone) : dateChoice;
  const times = groups.find((g) => g.date === date)?.slots ?? [];

  useEffect(() => {
    const { name, email, phone, notes } = values;
    saveDraft({ name, email, phone, notes });
  }, [values]);

  // Live updates: the chosen slot was booked elsewhere while the form was open. Not while our own
  // submission is unresolved (in flight, or last answered with a retryable error) or succeeded: the
  // booking that took the slot may be ours, and only the answer to our request may say otherwise (issue 10).
  const unresolved = mutation.isPending || attempt.current !== null || mutation.isSuccess;
  useEffect(() => {
    if (unresolved) return;
    if (values.slotStart && !findSlot(values.slotStart)) {
      setLostSlot(values.slotStart);
      setDateChoice(dateKeyInZone(values.slotStart, timeZone));
      setValues((v) => ({ ...v, slotStart: '' }));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs when the polled slots change, not on every keystroke
  }, [groups, unresolved]);

  const clientErrors = validateBooking(values);
  const errorFor = (field: BookingField) =>
    (touched.has(field) || submitted ? clientErrors[field] : undefined) ?? serverErrors[field];

  const change = (field: BookingField, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setServerErrors(({ [field]: _dropped, ...rest }) => rest);
    if (field === 'slotStart' && value) setLostSlot(null);
  };
  const blur = (field: BookingField) => setTouched((t) => new Set(t).add(field));
  const chooseDate = (next: string) => {
    setDateChoice(next);
    change('slotStart', '');
  };

  const handleError = (error: unknown) => {
    if (!(error instanceof ApiError)) {
      setFormError(errorMessage(error));
      return;
    }
    if (!error.isTransient) attempt.current = null; // a definite answer: the next submit is a new attempt
    if (error.code === 'slot_unavailable' || error.code === 'slot_not_found') {
      onSlotTaken(values.slotStart);
    } else if (error.code === 'too_many_holds') {
      // 429: too many unconfirmed bookings for this email or network. The server says what to do; keep the form.
      setFormError(error.message);
    } else if (error.code === 'validation_failed') {
      const { byField, other } = splitFieldErrors(error);
      setServerErrors(byField);
      setFormError(other.length ? other.join(' ') : 'Please correct the highlighted fields.');
      const first = BOOKING_FIELDS.find((f) => byField[f]);
      if (first) focusField(first);
    } else {
      setFormError(
        error.isTransient
          ? `${error.message} Your booking is not confirmed yet. Submitting again is safe: you will not be booked twice.`
          : error.message,
      );
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mutation.isPending) return;
    setSubmitted(true);
    setFormError(null);
    const firstInvalid = BOOKING_FIELDS.find((f) => clientErrors[f]);
    if (firstInvalid) {
      focusField(firstInvalid);
      return;
    }
    const body = toBookingRequest(expert.id, values);
    const bodyJson = JSON.stringify(body);
    if (attempt.current?.body !== bodyJson) attempt.current = { key: randomUuid(), body: bodyJson };
    mutation.mutate(
      { body, idempotencyKey: attempt.current.key },
      {
        onSuccess: (result) => {
          attempt.current = null;
          clearDraft();
          onBooked(result);
        },
        onError: handleError,
      },
    );
  };

  return { groups, date, times, values, lostSlot, formError, errorFor, change, blur, chooseDate, submit, pending: mutation.isPending };
}

export type BookingFormState = ReturnType<typeof useBookingForm>;
