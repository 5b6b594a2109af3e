import type { ReactNode } from 'react';
import { ApiError } from '@/lib/http';
import type { AccessLink } from '../hooks/useAccessLink';
import { AccessLinkForm } from './AccessLinkForm';

function linkFailureText(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) {
    return 'This link has expired or is not valid. Links work for 24 hours: ask for a new one below.';
  }
  return error instanceof ApiError ? error.message : 'We could not open this link. Please try again.';
}

interface Props {
  header: ReactNode;
  link: AccessLink;
  /** Emails whose token the API no longer honours. */
  lostEmails: string[];
  suggestedEmail: string;
  /** Shows "Back to my bookings" (the device still holds some access). */
  onBack?: () => void;
}

/** My bookings without (usable) access: why, and the form that emails a link. */
export function AccessLinkPanel({ header, link, lostEmails, suggestedEmail, onBack }: Props) {
  const { state } = link;
  const reason =
    state.phase !== 'failed' && lostEmails.length > 0
      ? `Your access to the bookings of ${lostEmails.join(', ')} has expired. Request a new link below.`
      : undefined;
  return (
    <section className="stack narrow">
      {header}
      {state.phase === 'failed' && (
        <div className="notice notice--error" role="alert">
          {linkFailureText(state.error)}{' '}
          {state.error instanceof ApiError && state.error.isTransient && (
            <button type="button" className="button button--link" onClick={link.retry}>
              Try again
            </button>
          )}
        </div>
      )}
      <AccessLinkForm key={suggestedEmail} initialEmail={suggestedEmail} reason={reason} />
      {onBack && (
        <button type="button" className="button button--link" onClick={onBack}>
          Back to my bookings
        </button>
      )}
    </section>
  );
}
