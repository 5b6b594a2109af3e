import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Interval } from '../api/availabilityApi';
import { IntervalList } from './IntervalList';

// jsdom leaves out the space before a visually hidden span in an accessible name (a browser keeps it).
function renderList(intervals: Interval[]) {
  const onChange = vi.fn<(intervals: Interval[]) => void>();
  render(<IntervalList id="mon" label="Monday" intervals={intervals} onChange={onChange} emptyText="Not working" />);
  return onChange;
}

describe('IntervalList', () => {
  it('says the day is free and adds working hours of 09:00 to 17:00 first', async () => {
    const onChange = renderList([]);
    expect(screen.getByText('Not working')).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: /^Add hours ?on Monday$/ }));
    expect(onChange).toHaveBeenCalledWith([{ start: '09:00', end: '17:00' }]);
  });

  it('continues after the last interval, and removes the one asked for', async () => {
    const user = userEvent.setup();
    const morning = { start: '09:00', end: '12:00' };
    const evening = { start: '18:00', end: '20:00' };
    const onChange = renderList([morning, evening]);
    expect(screen.getByLabelText('Monday hours 2 start')).toHaveValue('18:00');
    await user.click(screen.getByRole('button', { name: /^Add hours ?on Monday$/ }));
    expect(onChange).toHaveBeenLastCalledWith([morning, evening, { start: '20:00', end: '22:00' }]);
    await user.click(screen.getByRole('button', { name: /^Remove ?Monday hours 1$/ }));
    expect(onChange).toHaveBeenLastCalledWith([evening]);
  });
});
