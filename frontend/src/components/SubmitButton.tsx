import type { ReactNode } from 'react';

interface Props {
  /** The request is on its way: the button says `busyLabel` and is aria-disabled (it keeps the focus). */
  busy: boolean;
  busyLabel: string;
  children: ReactNode;
}

/** A form's main submit button. */
export function SubmitButton({ busy, busyLabel, children }: Props) {
  return (
    <button type="submit" className="button" aria-disabled={busy}>
      {busy ? busyLabel : children}
    </button>
  );
}
