import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { queryWrapper, stubApi } from '@/test/api';
import { SLOT_POLL_MS, useSlots } from './slotsQuery';
import type { SlotsResponse } from './types';

const slotsBody = (available: boolean): SlotsResponse => ({
  expertId: 'exp-1',
  timezone: 'Europe/London',
  days: [
    {
      date: '2026-04-01',
      slots: [{ start: '2026-04-01T09:00:00Z', end: '2026-04-01T09:45:00Z', available }],
    },
  ],
});

/** A minimal Response: body parsing resolves on the microtask queue, so fake timers stay in control. */
function reply(status: number, body?: unknown, etag?: string): Response {
  return {
    status,
    ok: status >= 200 && status < 300,
    headers: new Headers(etag ? { ETag: etag } : {}),
    json: async () => body,
  } as Response;
}

let visibility: DocumentVisibilityState = 'visible';
function setVisibility(state: DocumentVisibilityState) {
  visibility = state;
  // Browsers fire it at the document and it bubbles to window, where TanStack's focusManager listens.
  document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
}

const fetchMock = stubApi();
const sentEtags = () =>
  fetchMock.mock.calls.map(([, init]) => (init?.headers as Record<string, string> | undefined)?.['If-None-Match'] ?? null);
/**
 * Advance fake time by `ms`, plus a few ms for responses to settle: TanStack notifies observers from a
 * setTimeout(0), which fake timers (like Node) run 1 ms later. Assertions sit mid-interval, away from edges.
 */
const SETTLE_MS = 10;
const tick = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms + SETTLE_MS));

function renderSlots() {
  return renderHook(() => useSlots('exp-1'), { wrapper: queryWrapper() });
}

beforeEach(() => {
  vi.useFakeTimers();
  visibility = 'visible';
  vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
  vi.spyOn(document, 'hidden', 'get').mockImplementation(() => visibility === 'hidden');
});

afterEach(() => {
  vi.useRealTimers();
});

describe('useSlots live polling', () => {
  it('polls every 3 s with If-None-Match and keeps the cached data on 304', async () => {
    fetchMock
      .mockResolvedValueOnce(reply(200, slotsBody(true), '"v1"'))
      .mockResolvedValueOnce(reply(304))
      .mockResolvedValueOnce(reply(200, slotsBody(false), '"v2"'))
      .mockResolvedValue(reply(304));

    const { result } = renderSlots();
    await tick(0);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url] = fetchMock.mock.calls[0];
    expect(String(url)).toBe('http://api.test/experts/exp-1/slots?days=14'); // no tz: grouped client-side
    expect(sentEtags()).toEqual([null]);
    const first = result.current.data;
    expect(first?.days[0].slots[0].available).toBe(true);

    await tick(SLOT_POLL_MS - 200);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await tick(200);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(sentEtags()[1]).toBe('"v1"');
    expect(result.current.data).toBe(first); // 304: same object, nothing to re-render
    expect(result.current.isError).toBe(false);

    await tick(SLOT_POLL_MS);
    expect(fetchMock).toHaveBeenCalledTimes(3);
    expect(result.current.data?.days[0].slots[0].available).toBe(false);

    await tick(SLOT_POLL_MS);
    expect(sentEtags()[3]).toBe('"v2"'); // the newest ETag is sent next
  });

  it('pauses while the document is hidden and resumes when it becomes visible', async () => {
    fetchMock.mockImplementation(async () => reply(200, slotsBody(true), '"v1"'));
    renderSlots();
    await tick(0);
    await tick(SLOT_POLL_MS);
    expect(fetchMock).toHaveBeenCalledTimes(2);

    await act(async () => setVisibility('hidden'));
    await tick(SLOT_POLL_MS * 5);
    expect(fetchMock).toHaveBeenCalledTimes(2);

    await act(async () => setVisibility('visible'));
    await tick(0);
    expect(fetchMock).toHaveBeenCalledTimes(3); // catches up at once on return
    expect(sentEtags()[2]).toBe('"v1"');

    await tick(SLOT_POLL_MS);
    expect(fetchMock).toHaveBeenCalledTimes(4);
  });
});
