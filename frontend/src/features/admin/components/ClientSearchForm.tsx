import { useState, type FormEvent } from 'react';
import { EMAIL_INPUT, TextField } from '@/components/TextField';
import { validateField } from '@/lib/bookingRules';

interface Props {
  /** The email searched for now ('' = none). */
  active: string;
  onSearch: (email: string) => void;
}

/** "Find a client's bookings": an exact email, looked up on the server's hashed-email index (issue 13). */
export function ClientSearchForm({ active, onSearch }: Props) {
  const [text, setText] = useState(active);
  const [error, setError] = useState<string | undefined>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const email = text.trim().toLowerCase();
    const problem = email ? validateField('email', { name: '', email, phone: '', notes: '', slotStart: '' }) : undefined;
    setError(problem ?? undefined);
    if (!problem) onSearch(email);
  };

  return (
    <form className="toolbar client-search" role="search" aria-label="Find a client's bookings" onSubmit={submit} noValidate>
      <TextField
        id="client-search-email"
        label="Client email"
        hint="The exact address the client booked with."
        error={error}
        value={text}
        onValueChange={setText}
        {...EMAIL_INPUT}
        autoComplete="off"
      />
      <div className="actions actions--tight">
        <button type="submit" className="button button--secondary">
          Find bookings
        </button>
        {active && (
          <button
            type="button"
            className="button button--link"
            onClick={() => {
              setText('');
              onSearch('');
            }}
          >
            Show all bookings
          </button>
        )}
      </div>
    </form>
  );
}
