import { useRevealError } from '@/lib/useRevealError';
import { useBookingForm, type BookingFormOptions } from '../hooks/useBookingForm';
import { DetailsFieldset } from './DetailsFieldset';
import { WhenFieldset } from './WhenFieldset';

/** The booking form: when (slot), who (contact details), submit. State and submission live in `useBookingForm`. */
export function BookingForm(props: BookingFormOptions) {
  const form = useBookingForm(props);
  const { expert } = props;
  const banner = useRevealError<HTMLDivElement>(form.formError);
  return (
    <form className="card form stack" noValidate onSubmit={form.submit} aria-label="Booking details">
      {form.formError && (
        <div className="notice notice--error" role="alert" tabIndex={-1} ref={banner} data-testid="form-error">
          {form.formError}
        </div>
      )}
      <WhenFieldset {...form} timeZone={props.timeZone} />
      <DetailsFieldset {...form} />
      <div className="form__actions">
        <button type="submit" className="button button--large" aria-disabled={form.pending}>
          {form.pending ? 'Booking…' : 'Confirm booking'}
        </button>
        <p className="muted">
          {expert.sessionMinutes}-minute session with {expert.name}. It stays pending until the expert confirms.
        </p>
      </div>
    </form>
  );
}
