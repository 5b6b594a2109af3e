import type { InputHTMLAttributes, ReactNode } from 'react';
import { Field } from './Field';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'className'>;

interface Props extends InputProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  optional?: boolean;
  value: string;
  onValueChange: (value: string) => void;
}

/** The attributes every email box shares (mobile keyboard, autofill, no spell check). */
export const EMAIL_INPUT = { type: 'email', inputMode: 'email', autoComplete: 'email', spellCheck: false } as const;

/** A labelled single-line input: `Field` (label, hint, error wiring) around an `<input className="input">`. */
export function TextField({ id, label, hint, error, optional, value, onValueChange, ...input }: Props) {
  return (
    <Field id={id} label={label} hint={hint} error={error} optional={optional}>
      {(control) => (
        <input {...control} {...input} className="input" value={value} onChange={(e) => onValueChange(e.target.value)} />
      )}
    </Field>
  );
}
