import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmButton } from './ConfirmButton';

function setup() {
  const onConfirm = vi.fn();
  render(
    <ConfirmButton question="Cancel this booking?" confirmLabel="Yes, cancel" onConfirm={onConfirm}>
      Cancel
    </ConfirmButton>,
  );
  return { onConfirm, user: userEvent.setup() };
}

describe('ConfirmButton', () => {
  it('does nothing on the first click but ask, and acts on the second', async () => {
    const { onConfirm, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onConfirm).not.toHaveBeenCalled();
    expect(screen.getByRole('group', { name: 'Cancel this booking?' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Keep' })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Yes, cancel' }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it('keeps with the Keep button or Escape, and gives the focus back', async () => {
    const { onConfirm, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.keyboard('{Escape}');
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.click(screen.getByRole('button', { name: 'Keep' }));
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    expect(onConfirm).not.toHaveBeenCalled();
  });
});
