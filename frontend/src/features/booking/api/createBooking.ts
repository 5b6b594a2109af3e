import { useMutation } from '@tanstack/react-query';
import { ApiError, apiRequest } from '@/lib/http';
import type { BookingRequest, CreateBookingResponse } from '@/lib/types';

export interface CreateBookingVariables {
  body: BookingRequest;
  /** One per submit attempt; a retry of the same attempt reuses it so the server books once. */
  idempotencyKey: string;
}

export function createBooking({ body, idempotencyKey }: CreateBookingVariables): Promise<CreateBookingResponse> {
  return apiRequest<CreateBookingResponse>('/bookings', {
    method: 'POST',
    body,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

export function useCreateBooking() {
  return useMutation({
    mutationFn: createBooking,
    // Safe to retry with the same key: the server returns the first booking instead of a second one.
    retry: (failureCount, error) => error instanceof ApiError && error.isTransient && failureCount < 2,
    retryDelay: (attempt) => 500 * 2 ** attempt,
  });
}
