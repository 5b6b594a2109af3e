import type { ReactNode } from 'react';
import { ApiError } from '../lib/http';

interface Props {
  title: string;
  error: unknown;
  onRetry?: () => void;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Please try again.';
}

/** A form's error line, announced as an alert; renders nothing when there is nothing to say. */
export function ErrorNotice({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p className="notice notice--error" role="alert">
      {children}
    </p>
  );
}

/** An error with what happened and, when it may help, a retry button. */
export function ErrorPanel({ title, error, onRetry }: Props) {
  return (
    <div className="panel panel--error" role="alert">
      <h2 className="panel__title">{title}</h2>
      <p>{errorMessage(error)}</p>
      {onRetry && (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
