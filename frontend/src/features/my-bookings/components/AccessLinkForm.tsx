import { useState, type FormEvent } from 'react';
import { errorMessage } from '@/components/ErrorPanel';
import { EMAIL_INPUT, TextField } from '@/components/TextField';
import { validateField } from '@/lib/bookingRules';
import { ApiError } from '@/lib/http';
import { useRequestAccessLink } from '../api/myBookings';

/** Ask for a magic link by email; the link opens /my-bookings?token=… on any device (24 h). */
export function AccessLinkForm({ initialEmail = '', reason }: { initialEmail?: string; reason?: string }) {
  const [email, setEmail] = useState(initialEmail);
  const [touched, setTouched] = useState(false);
  const request = useRequestAccessLink();
  // Same email rule as the booking form (from the shared schema).
  const error = validateField('email', { email, name: '', phone: '', notes: '', slotStart: '' });
  const serverError =
    request.error instanceof ApiError && request.error.code === 'validation_failed'
      ? request.error.fieldErrors[0]?.message ?? request.error.message
      : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (error) {
      document.getElementById('access-email')?.focus();
      return;
    }
    request.mutate(email.trim());
  };

  if (request.isSuccess) {
    return (
      <div className="card stack" role="status">
        <h2>Check your inbox</h2>
        <p>
          If there are bookings for <strong>{email.trim()}</strong>, we have sent a link to see them. It works for 24
          hours, on any device.
        </p>
        <button type="button" className="button button--secondary" onClick={() => request.reset()}>
          Use a different email
        </button>
      </div>
    );
  }

  return (
    <form className="card form stack" noValidate onSubmit={submit} aria-labelledby="access-title">
      <h2 id="access-title">Get a link to your bookings</h2>
      {reason && <p className="notice notice--info">{reason}</p>}
      <p>Enter the email you booked with. We'll email you a secure link to view and manage your bookings.</p>
      {request.isError && !serverError && (
        <div className="notice notice--error" role="alert">
          {errorMessage(request.error)}
        </div>
      )}
      <TextField
        {...EMAIL_INPUT}
        id="access-email"
        label="Email"
        error={(touched && error) || serverError}
        value={email}
        onValueChange={setEmail}
        onBlur={() => setTouched(true)}
      />
      <div>
        <button type="submit" className="button" aria-disabled={request.isPending}>
          {request.isPending ? 'Sending…' : 'Email me a link'}
        </button>
      </div>
    </form>
  );
}
