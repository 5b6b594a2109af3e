import { renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { queryWrapper, stubApi } from '@/test/api';
import { useCategories } from './experts';

const fetchMock = stubApi();
const reply = (items: { name: string; count: number }[]) =>
  ({ status: 200, ok: true, headers: new Headers(), text: async () => JSON.stringify({ items }) }) as Response;

function renderCategories(initial: string) {
  return renderHook(({ q }) => useCategories(q), { wrapper: queryWrapper(), initialProps: { q: initial } });
}

describe('useCategories', () => {
  it('asks for the counts of the experts matching the search text', async () => {
    fetchMock
      .mockResolvedValueOnce(reply([{ name: 'Design', count: 6 }]))
      .mockResolvedValueOnce(reply([{ name: 'Design', count: 1 }]));
    const { result, rerender } = renderCategories('');
    await waitFor(() => expect(result.current.data).toEqual([{ name: 'Design', count: 6 }]));
    expect(fetchMock.mock.calls[0][0]).toBe('http://api.test/categories');

    rerender({ q: 'zoë' });
    // The previous counts stay on screen until the new ones arrive (no empty list while typing).
    expect(result.current.data).toEqual([{ name: 'Design', count: 6 }]);
    await waitFor(() => expect(result.current.data).toEqual([{ name: 'Design', count: 1 }]));
    expect(fetchMock.mock.calls[1][0]).toBe(`http://api.test/categories?q=${encodeURIComponent('zoë')}`);
  });
});
