import { useState } from 'react';
import { validateField } from '@/lib/bookingRules';
import { ApiError } from '@/lib/http';
import { EMAIL_INPUT, TextField } from './TextField';

/** The message of a server's `validation_failed` answer to a one-field form, else undefined. */
export function validationMessage(failure: unknown): string | undefined {
  return failure instanceof ApiError && failure.code === 'validation_failed'
    ? (failure.fieldErrors[0]?.message ?? failure.message)
    : undefined;
}

/**
 * The state of a form's email box, checked with the booking form's rule (from the shared schema). Its error
 * shows once the box is left or the form is sent: `check()` on submit is true when the email may be sent,
 * else the box takes the focus.
 */
export function useEmailField(id: string, initial = '') {
  const [email, setEmail] = useState(initial);
  const [touched, setTouched] = useState(false);
  const problem = validateField('email', { email, name: '', phone: '', notes: '', slotStart: '' });
  const check = () => {
    setTouched(true);
    if (problem) document.getElementById(id)?.focus();
    return !problem;
  };
  return { id, value: email, setValue: setEmail, shownProblem: touched ? problem : undefined, setTouched, check };
}

interface Props {
  field: ReturnType<typeof useEmailField>;
  /** What the server said about the email, shown when the box itself has nothing to say. */
  serverError?: string;
}

/** The labelled email box of `useEmailField`'s state. */
export function EmailField({ field, serverError }: Props) {
  return (
    <TextField
      {...EMAIL_INPUT}
      id={field.id}
      label="Email"
      error={field.shownProblem || serverError}
      value={field.value}
      onValueChange={field.setValue}
      onBlur={() => field.setTouched(true)}
    />
  );
}
