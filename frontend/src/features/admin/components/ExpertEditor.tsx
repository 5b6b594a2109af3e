import { useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ErrorNotice } from '@/components/ErrorPanel';
import { SubmitButton } from '@/components/SubmitButton';
import { TextField } from '@/components/TextField';
import { ApiError } from '@/lib/http';
import { isValidTimeZone } from '@/lib/time';
import type { Expert } from '@/lib/types';
import { allZones } from '@/lib/zones';
import { useSaveExpert } from '../api/adminApi';
import {
  EMPTY_EXPERT,
  expertBody,
  expertValues,
  validateExpert,
  type ExpertErrors,
  type ExpertField,
  type ExpertFormValues,
} from '../utils/expertForm';

interface Props {
  /** The expert to edit; null to create one. */
  expert: Expert | null;
  categories: string[];
}

const FIELDS: ExpertField[] = ['name', 'category', 'experienceYears', 'rating', 'bio', 'timezone', 'sessionMinutes'];

/** Create or edit an expert, with errors in an admin's words (issue 13). */
export function ExpertEditor({ expert, categories }: Props) {
  const [values, setValues] = useState<ExpertFormValues>(expert ? expertValues(expert) : EMPTY_EXPERT);
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<ExpertErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<Expert | null>(null);
  const zones = useMemo(() => allZones(), []);
  const save = useSaveExpert(expert?.id ?? null);
  const errors = submitted ? { ...serverErrors, ...validateExpert(values, isValidTimeZone) } : serverErrors;

  const bind = (field: ExpertField) => ({
    id: `expert-${field}`,
    value: values[field],
    error: errors[field],
    onValueChange: (value: string) => {
      setValues((v) => ({ ...v, [field]: value }));
      setServerErrors(({ [field]: _dropped, ...rest }) => rest);
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setFormError(null);
    setSaved(null);
    const first = FIELDS.find((f) => validateExpert(values, isValidTimeZone)[f]);
    if (first) {
      document.getElementById(`expert-${first}`)?.focus();
      return;
    }
    save.mutate(expertBody(values), {
      onSuccess: (result) => {
        setSaved(result);
        if (!expert) {
          // Ready for the next one; the new expert is listed (and editable) from the picker.
          setValues(EMPTY_EXPERT);
          setSubmitted(false);
        }
      },
      onError: (error) => {
        if (error instanceof ApiError && error.fieldErrors.length) {
          setServerErrors(Object.fromEntries(error.fieldErrors.map((e) => [e.field, e.message])));
        }
        setFormError(error instanceof ApiError ? error.message : 'Could not save. Please try again.');
      },
    });
  };

  return (
    <form className="card form stack" noValidate onSubmit={submit} aria-label={expert ? 'Edit expert' : 'New expert'}>
      <ErrorNotice>{formError}</ErrorNotice>
      {saved && (
        <p className="notice notice--success" role="status">
          Saved {saved.name}. <Link to={`/experts/${encodeURIComponent(saved.id)}`}>See the public page</Link>
        </p>
      )}
      <TextField {...bind('name')} label="Name" autoComplete="off" />
      <TextField {...bind('category')} label="Category" list="expert-categories" autoComplete="off" />
      <datalist id="expert-categories">
        {categories.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <div className="field-row">
        <TextField {...bind('experienceYears')} label="Years of experience" inputMode="numeric" />
        <TextField {...bind('rating')} label="Rating (0 to 5)" inputMode="decimal" />
        <TextField {...bind('sessionMinutes')} label="Session length (minutes)" inputMode="numeric" />
      </div>
      <TextField {...bind('timezone')} label="Time zone" hint="IANA name, e.g. Europe/London" list="expert-zones" />
      <datalist id="expert-zones">
        {zones.map((z) => (
          <option key={z.id} value={z.id} />
        ))}
      </datalist>
      <TextField {...bind('bio')} label="Bio" optional rows={4} />
      <div className="actions">
        <SubmitButton busy={save.isPending} busyLabel="Saving…">
          {expert ? 'Save changes' : 'Create expert'}
        </SubmitButton>
      </div>
    </form>
  );
}
