import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '@/components/ErrorPanel';
import { SubmitButton } from '@/components/SubmitButton';
import { TextField } from '@/components/TextField';
import { ApiError } from '@/lib/http';
import { formatDateTime, formatTime, formatZone, toIsoInstant, todayInZone, zonedTimeToUtc } from '@/lib/time';
import type { Expert } from '@/lib/types';
import { countOf, useAddSlots } from '../api/adminApi';

const MAX_SESSIONS = 16;

/** Starts (UTC) of `count` back-to-back sessions from a wall-clock date and time in the expert's zone. */
export function consecutiveStarts(date: string, time: string, count: number, expert: Expert): string[] {
  const first = zonedTimeToUtc(date, time, expert.timezone).getTime();
  return Array.from({ length: count }, (_, i) => toIsoInstant(new Date(first + i * expert.sessionMinutes * 60_000)));
}

/** The API names the offending slot (`slots.2.start`) and says why; that beats "The request is not valid." */
function addErrorText(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Could not add slots.';
  const reasons = [...new Set(error.fieldErrors.map((e) => e.message))];
  return reasons.length ? reasons.join(' ') : error.message;
}

export function AddSlotsForm({ expert }: { expert: Expert }) {
  const [date, setDate] = useState('');
  const [time, setTime] = useState('09:00');
  const [count, setCount] = useState('1');
  const [submitted, setSubmitted] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const add = useAddSlots(expert.id);

  const n = Number(count);
  const errors = {
    date: !date ? 'Choose a date.' : undefined,
    time: !/^\d{2}:\d{2}$/.test(time) ? 'Choose a start time.' : undefined,
    count: !Number.isInteger(n) || n < 1 || n > MAX_SESSIONS ? `Enter a number from 1 to ${MAX_SESSIONS}.` : undefined,
  };
  const starts = !errors.date && !errors.time && !errors.count ? consecutiveStarts(date, time, n, expert) : [];
  const inPast = starts.length > 0 && Date.parse(starts[0]) <= Date.now();
  const show = (e: string | undefined) => (submitted ? e : undefined);
  const field = (id: string, label: string, value: string, onValueChange: (v: string) => void, error?: string) => ({
    id,
    label,
    value,
    onValueChange,
    error: show(error),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setResult(null);
    if (starts.length === 0 || inPast) return;
    add.mutate(starts, {
      onSuccess: (r) => {
        const created = countOf(r?.created);
        const skipped = countOf(r?.skipped);
        setResult(
          `Added ${created} ${created === 1 ? 'slot' : 'slots'}` +
            (skipped ? `; skipped ${skipped} that already existed or overlapped.` : '.'),
        );
        setSubmitted(false);
      },
    });
  };

  return (
    <form className="card form stack" noValidate onSubmit={submit} aria-labelledby="add-slots-title">
      <h3 id="add-slots-title">Add slots</h3>
      <p className="muted small">
        Times are in the expert's zone, {formatZone(expert.timezone)}. Each session lasts {expert.sessionMinutes}{' '}
        minutes.
      </p>
      <div className="field-row field-row--slots">
        <TextField {...field('slot-date', 'Date', date, setDate, errors.date)} type="date" min={todayInZone(expert.timezone)} />
        <TextField {...field('slot-time', 'First start time', time, setTime, errors.time)} type="time" step={300} />
        <TextField
          {...field('slot-count', 'Number of sessions', count, setCount, errors.count)}
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_SESSIONS}
        />
        <div className="field-row__action">
          <SubmitButton busy={add.isPending} busyLabel="Adding…">
            Add slots
          </SubmitButton>
        </div>
      </div>
      {starts.length > 0 && (
        <p className="small" id="slot-preview">
          {inPast ? (
            <span className="field__error">That time has already passed.</span>
          ) : (
            <>
              Adds {starts.length === 1 ? 'a session' : `${starts.length} back-to-back sessions`} from{' '}
              {formatDateTime(starts[0], expert.timezone)} to {formatTime(
                new Date(Date.parse(starts[starts.length - 1]) + expert.sessionMinutes * 60_000),
                expert.timezone,
              )}
              .
            </>
          )}
        </p>
      )}
      <ErrorNotice>{add.isError && addErrorText(add.error)}</ErrorNotice>
      <p role="status" className={result ? 'notice notice--success' : 'sr-only'}>
        {result}
      </p>
    </form>
  );
}
