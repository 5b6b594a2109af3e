import { useState, type FormEvent } from 'react';
import { SubmitButton } from '@/components/SubmitButton';
import { TextField } from '@/components/TextField';
import { ApiError } from '@/lib/http';
import { formatDateTime, todayInZone } from '@/lib/time';
import { usePreview, useSaveAvailability, type AdminAccess, type Applied, type Rule } from '../api/availabilityApi';
import { OverridesEditor } from './OverridesEditor';
import { SlotPreview } from './SlotPreview';
import { WeeklyEditor } from './WeeklyEditor';

interface Props {
  expertId: string;
  initial: Rule;
  zone: string;
  access: AdminAccess;
}

/** The API names the field and says why (e.g. "weekly.mon: Intervals 09:00-11:00 and 10:00-12:00 overlap."). */
function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  const reasons = Array.isArray(error.details) ? (error.details as { field?: string; message?: string }[]) : [];
  return reasons.length ? reasons.map((r) => `${r.field}: ${r.message}`).join(' ') : error.message;
}

function appliedText(applied: Applied, zone: string): string {
  const made = `Saved. Made ${applied.created} new ${applied.created === 1 ? 'slot' : 'slots'}`;
  const removed = `, removed ${applied.deleted} free ${applied.deleted === 1 ? 'slot' : 'slots'}`;
  const times = applied.kept.map((k) => formatDateTime(k.start, zone)).join(', ');
  const kept = applied.kept.length ? `. Kept ${applied.kept.length} booked outside the new hours: ${times}.` : '.';
  return made + removed + kept;
}

const NUMBERS = [
  { id: 'buffer-minutes', label: 'Buffer after each session (minutes)', field: 'bufferMinutes', min: 0, max: 240 },
  { id: 'horizon-days', label: 'Days ahead to offer', field: 'horizonDays', min: 1, max: 180 },
] as const;

export function RuleEditor({ expertId, initial, zone, access }: Props) {
  const [rule, setRule] = useState<Rule>(initial);
  const save = useSaveAvailability(expertId, access);
  const preview = usePreview(expertId, access);
  const change = (next: Partial<Rule>) => {
    setRule({ ...rule, ...next });
    save.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    save.mutate(rule, { onSuccess: () => preview.mutate(rule) });
  };

  return (
    <form className="form stack" onSubmit={submit} noValidate>
      <WeeklyEditor weekly={rule.weekly} onChange={(weekly) => change({ weekly })} />
      <OverridesEditor
        overrides={rule.overrides ?? []}
        onChange={(overrides) => change({ overrides })}
        today={todayInZone(zone)}
      />
      <div className="field-row">
        {NUMBERS.map(({ id, label, field, min, max }) => (
          <TextField
            key={id}
            id={id}
            label={label}
            type="number"
            min={min}
            max={max}
            value={String(rule[field] ?? '')}
            onValueChange={(v) => change({ [field]: v === '' ? 0 : Number(v) })}
          />
        ))}
      </div>
      <div className="toolbar">
        <button
          type="button"
          className="button button--secondary"
          aria-disabled={preview.isPending}
          onClick={preview.isPending ? undefined : () => preview.mutate(rule)}
        >
          {preview.isPending ? 'Previewing…' : 'Preview slots'}
        </button>
        <SubmitButton busy={save.isPending} busyLabel="Saving…">
          Save weekly hours
        </SubmitButton>
      </div>
      <div role="status" aria-live="polite">
        {save.data && <p className="notice notice--success">{appliedText(save.data, zone)}</p>}
      </div>
      {(save.error || preview.error) && (
        <p className="notice notice--error" role="alert">
          {errorText(save.error ?? preview.error)}
        </p>
      )}
      {preview.data && <SlotPreview preview={preview.data} />}
    </form>
  );
}
