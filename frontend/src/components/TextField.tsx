import type { InputHTMLAttributes, ReactNode } from 'react';
import { Field } from './Field';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'onBlur' | 'className'>;

interface Props extends InputProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  optional?: boolean;
  value: string;
  onValueChange: (value: string) => void;
  onBlur?: () => void;
  /** A multi-line box of this many rows (a `<textarea>`, which takes none of the input's other attributes). */
  rows?: number;
}

/** The attributes every email box shares (mobile keyboard, autofill, no spell check). */
/** Typed exactly as it is (user names, email addresses): no capital first letter, no spelling fixes. */
export const VERBATIM_INPUT = { autoCapitalize: 'none', spellCheck: false } as const;
export const EMAIL_INPUT = { ...VERBATIM_INPUT, type: 'email', inputMode: 'email', autoComplete: 'email' } as const;

/**
 * A labelled text box: `Field` (label, hint, error wiring) around an `<input className="input">`, or around
 * a `<textarea className="input">` when given `rows`.
 */
export function TextField({ id, label, hint, error, optional, value, onValueChange, onBlur, rows, ...input }: Props) {
  const change = (e: { target: { value: string } }) => onValueChange(e.target.value);
  return (
    <Field id={id} label={label} hint={hint} error={error} optional={optional}>
      {(control) =>
        rows ? (
          <textarea {...control} className="input" rows={rows} value={value} onChange={change} onBlur={onBlur} />
        ) : (
          <input {...control} {...input} className="input" value={value} onChange={change} onBlur={onBlur} />
        )
      }
    </Field>
  );
}
