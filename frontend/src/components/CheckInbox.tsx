import type { ReactNode } from 'react';

interface Props {
  /** What was sent to whom, and what the link does. */
  children: ReactNode;
  /** The label of the button that brings the form back. */
  again: string;
  onAgain: () => void;
  /** Extra classes for the card. */
  className?: string;
  /** `h3` when the card sits under a page's own h2. */
  heading?: 'h2' | 'h3';
  'data-testid'?: string;
}

/** What a form that emails a link shows once it is sent: "Check your inbox", the details, and a way back. */
export function CheckInbox({ children, again, onAgain, className, heading: Heading = 'h2', ...rest }: Props) {
  return (
    <div className={['card stack', className].filter(Boolean).join(' ')} role="status" {...rest}>
      <Heading>Check your inbox</Heading>
      <p>{children}</p>
      <button type="button" className="button button--secondary" onClick={onAgain}>
        {again}
      </button>
    </div>
  );
}
