import { useEffect, useRef, useState, type ReactNode } from 'react';

interface Props {
  /** The first button's text, e.g. "Cancel". */
  children: ReactNode;
  /** What the second click does, e.g. "Yes, cancel booking for Asha Rao". */
  confirmLabel: string;
  /** The way back, e.g. "Keep". */
  keepLabel?: string;
  question: string;
  onConfirm: () => void;
  busy?: boolean;
  className?: string;
}

/**
 * A destructive action that asks first (issue 13): the first click shows the question, a confirm button
 * and a keep button, and focuses "keep" (the safe choice); Escape also keeps.
 */
export function ConfirmButton({ children, confirmLabel, keepLabel = 'Keep', question, onConfirm, busy, className }: Props) {
  const [asking, setAsking] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  const first = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) keep.current?.focus();
    else if (wasAsking.current) first.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking) {
    return (
      <button
        ref={first}
        type="button"
        className={className}
        aria-disabled={busy}
        onClick={busy ? undefined : () => setAsking(true)}
      >
        {children}
      </button>
    );
  }
  return (
    <span
      className="confirm"
      role="group"
      aria-label={question}
      onKeyDown={(e) => e.key === 'Escape' && setAsking(false)}
    >
      <span className="small">{question}</span>
      <button
        type="button"
        className="button button--small button--danger"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button ref={keep} type="button" className="button button--small button--secondary" onClick={() => setAsking(false)}>
        {keepLabel}
      </button>
    </span>
  );
}
