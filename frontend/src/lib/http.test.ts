import { describe, expect, it } from 'vitest';
import { stubApi } from '@/test/api';
import { ApiError, apiRequest } from './http';

const fetchMock = stubApi();

describe('apiRequest', () => {
  it('resolves to undefined for an empty 202 labelled application/json (POST /bookings/access-link)', async () => {
    fetchMock.mockResolvedValue(new Response('', { status: 202, headers: { 'Content-Type': 'application/json' } }));
    const request = apiRequest('/bookings/access-link', { method: 'POST', body: { email: 'a@b.co' } });
    await expect(request).resolves.toBeUndefined();
  });

  it('resolves to undefined for 204 and parses JSON bodies', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }));
    await expect(apiRequest('/admin/experts/x/slots/y', { method: 'DELETE' })).resolves.toBeUndefined();
    fetchMock.mockResolvedValueOnce(new Response('{"created":2,"skipped":1}', { status: 201 }));
    const created = apiRequest('/admin/experts/x/slots', { method: 'POST', body: {} });
    await expect(created).resolves.toEqual({ created: 2, skipped: 1 });
  });

  it('turns the error envelope into an ApiError with camelCase field errors', async () => {
    const details = [{ field: 'slotStart', message: 'Pick a time.' }];
    const body = { error: { code: 'validation_failed', message: 'The request is not valid.', details } };
    fetchMock.mockResolvedValue(new Response(JSON.stringify(body), { status: 400 }));
    const error = await apiRequest('/bookings', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).fieldErrors).toEqual([{ field: 'slotStart', message: 'Pick a time.' }]);
  });
});
