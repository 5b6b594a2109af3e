import { describe, expect, it, vi } from 'vitest';
import { API_BASE_URL, stubApi } from '@/test/api';
import { earlyUrls, startEarlyRequests, takeEarlyResponse } from './earlyRequests';
import { fetchExpert } from './expertQuery';
import { fetchSlots } from './slotsQuery';

const fetchMock = stubApi();
const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { ETag: '"v1"' } });
const at = (pathname: string, search = '') => ({ pathname, search });

describe('early requests', () => {
  it('asks for what the list and the expert page ask for, with the same URLs, and for nothing elsewhere', () => {
    expect(earlyUrls(at('/experts/exp%2F1'))).toEqual([
      `${API_BASE_URL}/experts/exp%2F1`,
      `${API_BASE_URL}/experts/exp%2F1/slots?days=14`,
    ]);
    expect(earlyUrls(at('/experts/exp-1/', '?from=2026-12-20&slot=x'))[1]).toBe(
      `${API_BASE_URL}/experts/exp-1/slots?days=14&from=2026-12-20`,
    );
    expect(earlyUrls(at('/'))).toEqual([`${API_BASE_URL}/experts?page=1&limit=12`, `${API_BASE_URL}/categories`]);
    expect(earlyUrls(at('/', '?q=ana&category=Law&page=2'))).toEqual([
      `${API_BASE_URL}/experts?q=ana&category=Law&page=2&limit=12`,
      `${API_BASE_URL}/categories?q=ana`,
    ]);
    for (const path of ['/experts', '/experts/exp-1/book', '/my-bookings', '/admin', '/experts/%E0%A4%A']) {
      expect(earlyUrls(at(path))).toEqual([]);
    }
  });

  it("gives the page's first requests the answers already on their way, once each", async () => {
    fetchMock.mockResolvedValueOnce(json({ id: 'exp-1', name: 'Ada' })).mockResolvedValueOnce(json({ days: [] }));
    startEarlyRequests(at('/experts/exp-1'));
    expect(fetchMock).toHaveBeenCalledTimes(2);

    await expect(fetchExpert('exp-1')).resolves.toMatchObject({ name: 'Ada' });
    await expect(fetchSlots('exp-1', 14, null)).resolves.toEqual({ etag: '"v1"', data: { days: [] } });
    expect(fetchMock).toHaveBeenCalledTimes(2); // taken, not asked again

    fetchMock.mockResolvedValueOnce(json({ id: 'exp-1', name: 'Ada L.' }));
    await expect(fetchExpert('exp-1')).resolves.toMatchObject({ name: 'Ada L.' });
    expect(fetchMock).toHaveBeenCalledTimes(3); // the next request asks afresh
  });

  it('leaves a conditional poll to the network, and asks again when the early request failed', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('offline')).mockResolvedValueOnce(json({ days: [] }));
    startEarlyRequests(at('/experts/exp-2'));
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 304 }));
    await expect(fetchSlots('exp-2', 14, '"v0"')).resolves.toBeNull(); // If-None-Match: its own request
    expect(fetchMock).toHaveBeenLastCalledWith(
      `${API_BASE_URL}/experts/exp-2/slots?days=14`,
      expect.objectContaining({ headers: expect.objectContaining({ 'If-None-Match': '"v0"' }) }),
    );

    fetchMock.mockResolvedValueOnce(json({ id: 'exp-2', name: 'Grace' }));
    await expect(fetchExpert('exp-2')).resolves.toMatchObject({ name: 'Grace' });
    expect(fetchMock).toHaveBeenCalledTimes(4);
  });

  it('does not hand out an answer older than ten seconds', () => {
    const now = vi.spyOn(performance, 'now').mockReturnValue(1_000);
    fetchMock.mockResolvedValue(json({}));
    startEarlyRequests(at('/experts/exp-3'));
    now.mockReturnValue(11_001);
    expect(takeEarlyResponse(`${API_BASE_URL}/experts/exp-3`)).toBeUndefined();
  });
});
