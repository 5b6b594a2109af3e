import { EMAIL_INPUT, TextField } from '@/components/TextField';
import { bookingRules, type BookingField } from '@/lib/bookingRules';
import type { BookingFormState } from '../hooks/useBookingForm';

type Props = Pick<BookingFormState, 'values' | 'errorFor' | 'change' | 'blur'>;

/** The client's name, email, phone and notes. */
export function DetailsFieldset({ values, errorFor, change, blur }: Props) {
  const bind = (field: BookingField) => ({
    id: `booking-${field}`,
    value: values[field],
    error: errorFor(field),
    onValueChange: (value: string) => change(field, value),
    onBlur: () => blur(field),
  });
  const notesLength = values.notes.trim().length;
  const notesMax = bookingRules.notes.maxLength;

  return (
    <fieldset className="fieldset">
      <legend>Your details</legend>
      <TextField {...bind('name')} label="Full name" type="text" autoComplete="name" />
      <TextField {...bind('email')} {...EMAIL_INPUT} label="Email" hint="We send the confirmation here." />
      <TextField
        {...bind('phone')}
        label="Phone number"
        hint="International format with country code, e.g. +91 98765 43210"
        type="tel"
        autoComplete="tel"
      />
      <TextField
        {...bind('notes')}
        label="Notes for the expert"
        optional
        hint={notesMax ? `${notesLength} / ${notesMax} characters` : undefined}
        rows={4}
      />
    </fieldset>
  );
}
