import { useMutation } from '@tanstack/react-query';
import type * as api from '@/lib/api/schema';
import { apiRequest } from '@/lib/http';

/** POST /experts/{id}/waitlist: always an empty 202 once valid (the server never says whether an entry existed). */
export function joinWaitlist(expertId: string, body: api.WaitlistJoin): Promise<void> {
  return apiRequest<void>(`/experts/${encodeURIComponent(expertId)}/waitlist`, { method: 'POST', body });
}

/** POST /experts/{id}/waitlist/verify with the token of the waitlist email's link. */
export function verifyWaitlist(expertId: string, token: string): Promise<api.WaitlistVerifiedOut> {
  return apiRequest<api.WaitlistVerifiedOut>(`/experts/${encodeURIComponent(expertId)}/waitlist/verify`, {
    method: 'POST',
    body: { token },
  });
}

export function useJoinWaitlist(expertId: string) {
  return useMutation({ mutationFn: (body: api.WaitlistJoin) => joinWaitlist(expertId, body) });
}
