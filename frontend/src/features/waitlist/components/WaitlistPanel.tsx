import { useState, type FormEvent } from 'react';
import { CheckInbox } from '@/components/CheckInbox';
import { EmailField, useEmailField, validationMessage } from '@/components/EmailField';
import { ErrorNotice, errorMessage } from '@/components/ErrorPanel';
import { SelectField } from '@/components/SelectField';
import { SubmitButton } from '@/components/SubmitButton';
import { formatDateKey } from '@/lib/time';
import type { Expert, SlotDay } from '@/lib/types';
import { useJoinWaitlist } from '../api/waitlist';
import { fullDays } from './fullDays';

interface Props {
  expert: Expert;
  /** The slots route's days (grouped in the expert's zone). */
  days: SlotDay[];
}

/** On a fully booked day: join the expert's waitlist for it, and be emailed when a time frees up. */
export function WaitlistPanel({ expert, days }: Props) {
  const dates = fullDays(days);
  const [chosen, setChosen] = useState('');
  const email = useEmailField('waitlist-email');
  const join = useJoinWaitlist(expert.id);
  const date = dates.includes(chosen) ? chosen : dates[0];
  if (!date) return null;

  const serverError = validationMessage(join.error);
  const title = `Join the waitlist for ${formatDateKey(date)}`;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (email.check()) join.mutate({ email: email.value.trim(), date });
  };

  if (join.isSuccess) {
    return (
      <CheckInbox
        heading="h3"
        className="waitlist"
        data-testid="waitlist-done"
        again="Join for another day"
        onAgain={() => join.reset()}
      >
        We have sent a link to <strong>{join.variables.email}</strong>. Open it to confirm your place on{' '}
        {expert.name}'s waitlist for <strong>{formatDateKey(join.variables.date)}</strong>. When a time that day frees
        up, we email you a link to it; whoever books first gets it.
      </CheckInbox>
    );
  }

  return (
    <form className="card form stack waitlist" noValidate onSubmit={submit} aria-labelledby="waitlist-title">
      <h3 id="waitlist-title">{title}</h3>
      <p className="muted">
        Fully booked? We'll email you if a time frees up that day (dates in {expert.name}'s time zone,{' '}
        {expert.timezone}).
      </p>
      <ErrorNotice>{join.isError && !serverError && errorMessage(join.error)}</ErrorNotice>
      {dates.length > 1 && (
        <SelectField id="waitlist-date" label="Day" value={date} onValueChange={setChosen}>
          {dates.map((d) => (
            <option key={d} value={d}>
              {formatDateKey(d)}
            </option>
          ))}
        </SelectField>
      )}
      <EmailField field={email} serverError={serverError} />
      <div>
        <SubmitButton busy={join.isPending} busyLabel="Joining…">
          Join the waitlist
        </SubmitButton>
      </div>
    </form>
  );
}
