import { useEffect, useState } from 'react';
import { removeBookingToken, removeEmailToken } from '@/lib/accessTokens';
import { isDeadToken, type useDeviceBookings } from '../api/myBookings';

/** Forget tokens the API no longer honours (expired, or their booking is gone); remember lost emails. */
export function useForgetDeadTokens(failures: ReturnType<typeof useDeviceBookings>['failures']) {
  const [lostEmails, setLostEmails] = useState<string[]>([]);
  const dead = failures.filter((f) => isDeadToken(f.error)).map((f) => f.source);
  const deadKey = JSON.stringify(dead);
  useEffect(() => {
    for (const source of dead) {
      if (source.kind === 'email') {
        removeEmailToken(source.email);
        setLostEmails((lost) => (lost.includes(source.email) ? lost : [...lost, source.email]));
      } else {
        removeBookingToken(source.bookingId);
      }
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `dead` is a new array each render; its JSON key is the real input
  }, [deadKey]);
  return lostEmails;
}
