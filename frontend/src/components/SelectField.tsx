import type { ReactNode, SelectHTMLAttributes } from 'react';
import { Field } from './Field';

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'value' | 'onChange' | 'className' | 'children'>;

interface Props extends SelectProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  /** Classes for the wrapper besides `field`, e.g. `narrow`. */
  fieldClassName?: string;
  value: string;
  onValueChange: (value: string) => void;
  /** The `<option>`s. */
  children: ReactNode;
}

/** A labelled `<select className="input">` inside `Field` (label, hint, error wiring). */
export function SelectField({ id, label, hint, error, fieldClassName, value, onValueChange, children, ...select }: Props) {
  return (
    <Field id={id} label={label} hint={hint} error={error} className={fieldClassName}>
      {(control) => (
        <select {...control} {...select} className="input" value={value} onChange={(e) => onValueChange(e.target.value)}>
          {children}
        </select>
      )}
    </Field>
  );
}
