import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useRevealError } from './useRevealError';

function Form({ error, invalidField = false }: { error: string | null; invalidField?: boolean }) {
  const banner = useRevealError<HTMLDivElement>(error);
  return (
    <form>
      {error && (
        <div role="alert" tabIndex={-1} ref={banner}>
          {error}
        </div>
      )}
      <input aria-label="Name" aria-invalid={invalidField} autoFocus={invalidField} />
      <button type="submit">Send</button>
    </form>
  );
}

describe('useRevealError', () => {
  it('focuses the banner when an error appears, and again for the next one', () => {
    const { rerender } = render(<Form error={null} />);
    screen.getByRole('button', { name: 'Send' }).focus();
    rerender(<Form error="The server is busy." />);
    expect(screen.getByRole('alert')).toHaveFocus();
    rerender(<Form error={null} />);
    screen.getByRole('button', { name: 'Send' }).focus();
    rerender(<Form error="Still busy." />);
    expect(screen.getByRole('alert')).toHaveFocus();
  });

  it('leaves the focus on a field that has its own error', () => {
    render(<Form error="Please correct the highlighted fields." invalidField />);
    expect(screen.getByLabelText('Name')).toHaveFocus();
  });
});
