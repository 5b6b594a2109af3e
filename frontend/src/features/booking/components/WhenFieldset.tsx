import { SelectField } from '@/components/SelectField';
import { formatDateKey, formatDateTime, formatTime, formatZone } from '@/lib/time';
import type { BookingFormState } from '../hooks/useBookingForm';

type Props = Pick<BookingFormState, 'groups' | 'date' | 'times' | 'values' | 'lostSlot' | 'errorFor' | 'change' | 'blur' | 'chooseDate'> & {
  timeZone: string;
};

/** Date and time of the session, from the expert's bookable slots in the viewer's zone. */
export function WhenFieldset({ groups, date, times, values, lostSlot, errorFor, change, blur, chooseDate, timeZone }: Props) {
  return (
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
          <SelectField id="booking-date" label="Date" value={date} onValueChange={chooseDate}>
            {!groups.some((g) => g.date === date) && <option value={date}>Choose a date</option>}
            {groups.map((g) => (
              <option key={g.date} value={g.date}>
                {formatDateKey(g.date, 'medium')}
              </option>
            ))}
          </SelectField>
          <SelectField
            id="booking-time"
            label="Time"
            hint={`Times in ${formatZone(timeZone)}`}
            error={errorFor('slotStart')}
            value={values.slotStart}
            onValueChange={(v) => change('slotStart', v)}
            onBlur={() => blur('slotStart')}
          >
            <option value="">Choose a time</option>
            {times.map((s) => (
              <option key={s.start} value={s.start}>
                {formatTime(s.start, timeZone)} – {formatTime(s.end, timeZone)}
              </option>
            ))}
          </SelectField>
        </div>
      )}
    </fieldset>
  );
}
