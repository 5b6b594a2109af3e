import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { errorMessage } from '@/components/ErrorPanel';
import { Field } from '@/components/Field';
import {
  BOOKING_FIELDS,
  bookingRules,
  toBookingRequest,
  validateBooking,
  type BookingErrors,
  type BookingField,
  type BookingFormValues,
} from '@/lib/bookingRules';
import { ApiError } from '@/lib/http';
import { dateKeyInZone, formatDateKey, formatDateTime, formatTime, formatZone, groupSlotsByDate, sameInstant } from '@/lib/time';
import type { CreateBookingResponse, Expert, SlotsResponse } from '@/lib/types';
import { randomUuid } from '@/lib/uuid';
import { useCreateBooking } from '../api/createBooking';
import { clearDraft, loadDraft, saveDraft } from '../api/draft';

interface Props {
  expert: Expert;
  slots: SlotsResponse;
  timeZone: string;
  initialSlot: string;
  onBooked: (result: CreateBookingResponse) => void;
  /** 409 slot_unavailable: the caller sends the user back to the slot picker. */
  onSlotTaken: (slotStart: string) => void;
}

const CONTROL_IDS: Record<BookingField, string> = {
  slotStart: 'booking-time',
  name: 'booking-name',
  email: 'booking-email',
  phone: 'booking-phone',
  notes: 'booking-notes',
};

function serverField(field: string): BookingField | null {
  return (BOOKING_FIELDS as string[]).includes(field) ? (field as BookingField) : null;
}

function focusField(field: BookingField) {
  document.getElementById(CONTROL_IDS[field])?.focus();
}

export function BookingForm({ expert, slots, timeZone, initialSlot, onBooked, onSlotTaken }: Props) {
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

  const handleError = (error: unknown) => {
    if (!(error instanceof ApiError)) {
      setFormError(errorMessage(error));
      return;
    }
    if (!error.isTransient) attempt.current = null; // a definite answer: the next submit is a new attempt
    if (error.code === 'slot_unavailable' || error.code === 'slot_not_found') {
      onSlotTaken(values.slotStart);
      return;
    }
    if (error.code === 'too_many_holds') {
      // 429: too many unconfirmed bookings for this email or network. The server says what to do; keep the form.
      setFormError(error.message);
      return;
    }
    if (error.code === 'validation_failed') {
      const byField: BookingErrors = {};
      const other: string[] = [];
      for (const { field, message } of error.fieldErrors) {
        const known = serverField(field);
        if (known) byField[known] ??= message;
        else other.push(message);
      }
      setServerErrors(byField);
      setFormError(other.length ? other.join(' ') : 'Please correct the highlighted fields.');
      const first = BOOKING_FIELDS.find((f) => byField[f]);
      if (first) focusField(first);
      return;
    }
    setFormError(
      error.isTransient
        ? `${error.message} Your booking is not confirmed yet. Submitting again is safe: you will not be booked twice.`
        : error.message,
    );
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

  const notesLength = values.notes.trim().length;
  const notesMax = bookingRules.notes.maxLength;

  return (
    <form className="card form stack" noValidate onSubmit={submit} aria-label="Booking details">
      {formError && (
        <div className="notice notice--error" role="alert">
          {formError}
        </div>
      )}

      <fieldset className="fieldset">
        <legend>When</legend>
        {lostSlot && (
          <div className="notice notice--warning" role="alert">
            <strong>That slot was just taken.</strong> {formatDateTime(lostSlot, timeZone)} is no longer available.
            Please choose another time.
          </div>
        )}
        {groups.length === 0 ? (
          <p className="notice notice--warning" role="alert">
            There are no free times left in the next two weeks.
          </p>
        ) : (
          <div className="field-row">
            <Field id="booking-date" label="Date">
              {(control) => (
                <select
                  {...control}
                  className="input"
                  value={date}
                  onChange={(e) => {
                    setDateChoice(e.target.value);
                    change('slotStart', '');
                  }}
                >
                  {!groups.some((g) => g.date === date) && <option value={date}>Choose a date</option>}
                  {groups.map((g) => (
                    <option key={g.date} value={g.date}>
                      {formatDateKey(g.date, 'medium')}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="booking-time" label="Time" hint={`Times in ${formatZone(timeZone)}`} error={errorFor('slotStart')}>
              {(control) => (
                <select
                  {...control}
                  className="input"
                  value={values.slotStart}
                  onChange={(e) => change('slotStart', e.target.value)}
                  onBlur={() => blur('slotStart')}
                >
                  <option value="">Choose a time</option>
                  {times.map((s) => (
                    <option key={s.start} value={s.start}>
                      {formatTime(s.start, timeZone)} – {formatTime(s.end, timeZone)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        )}
      </fieldset>

      <fieldset className="fieldset">
        <legend>Your details</legend>
        <Field id="booking-name" label="Full name" error={errorFor('name')}>
          {(control) => (
            <input
              {...control}
              className="input"
              type="text"
              autoComplete="name"
              value={values.name}
              onChange={(e) => change('name', e.target.value)}
              onBlur={() => blur('name')}
            />
          )}
        </Field>
        <Field id="booking-email" label="Email" hint="We send the confirmation here." error={errorFor('email')}>
          {(control) => (
            <input
              {...control}
              className="input"
              type="email"
              inputMode="email"
              autoComplete="email"
              spellCheck={false}
              value={values.email}
              onChange={(e) => change('email', e.target.value)}
              onBlur={() => blur('email')}
            />
          )}
        </Field>
        <Field
          id="booking-phone"
          label="Phone number"
          hint="International format with country code, e.g. +91 98765 43210"
          error={errorFor('phone')}
        >
          {(control) => (
            <input
              {...control}
              className="input"
              type="tel"
              autoComplete="tel"
              value={values.phone}
              onChange={(e) => change('phone', e.target.value)}
              onBlur={() => blur('phone')}
            />
          )}
        </Field>
        <Field
          id="booking-notes"
          label="Notes for the expert"
          optional
          hint={notesMax ? `${notesLength} / ${notesMax} characters` : undefined}
          error={errorFor('notes')}
        >
          {(control) => (
            <textarea
              {...control}
              className="input"
              rows={4}
              value={values.notes}
              onChange={(e) => change('notes', e.target.value)}
              onBlur={() => blur('notes')}
            />
          )}
        </Field>
      </fieldset>

      <div className="form__actions">
        <button type="submit" className="button button--large" aria-disabled={mutation.isPending}>
          {mutation.isPending ? 'Booking…' : 'Confirm booking'}
        </button>
        <p className="muted">
          {expert.sessionMinutes}-minute session with {expert.name}. It stays pending until the expert confirms.
        </p>
      </div>
    </form>
  );
}
