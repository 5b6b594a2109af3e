import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ErrorPanel } from '@/components/ErrorPanel';
import { PageTitle } from '@/components/PageTitle';
import type * as api from '@/lib/api/schema';
import { ApiError } from '@/lib/http';
import { formatDateKey } from '@/lib/time';
import { verifyWaitlist } from '../api/waitlist';

type State = { phase: 'checking' } | { phase: 'done'; entry: api.WaitlistVerifiedOut } | { phase: 'failed'; error: unknown };

/**
 * The link in the waitlist email: /waitlist/verify?expert=<id>&token=<t>. The token leaves the address bar at
 * once; the email is confirmed and the client is told what happens next.
 */
export function WaitlistVerifyPage() {
  const [params, setParams] = useSearchParams();
  const expertId = params.get('expert') ?? '';
  const held = useRef<{ expertId: string; token: string } | null>(null);
  const [state, setState] = useState<State>({ phase: 'checking' });

  const verify = useCallback(() => {
    const link = held.current;
    if (!link) return;
    setState({ phase: 'checking' });
    verifyWaitlist(link.expertId, link.token).then(
      (entry) => setState({ phase: 'done', entry }),
      (error: unknown) => setState({ phase: 'failed', error }),
    );
  }, []);

  useEffect(() => {
    const token = params.get('token');
    if (!token || !expertId || held.current) return;
    held.current = { expertId, token };
    setParams({ expert: expertId }, { replace: true });
    verify();
  }, [params, expertId, setParams, verify]);

  const expertLink = expertId ? `/experts/${encodeURIComponent(expertId)}` : '/';
  return (
    <section className="stack narrow" aria-busy={state.phase === 'checking'}>
      <PageTitle title="Waitlist">Your place on the waitlist</PageTitle>
      {!held.current && (!expertId || !params.get('token')) ? (
        <p className="notice notice--error" role="alert">
          This waitlist link is incomplete. Open it again from your email, or copy the whole address into the browser.
        </p>
      ) : state.phase === 'checking' ? (
        <p className="muted">Confirming your email…</p>
      ) : state.phase === 'done' ? (
        <>
          <div className="notice notice--success" role="status">
            <strong>You're on the waitlist for {formatDateKey(state.entry.date)}.</strong> If a time that day frees
            up, we'll email you a link straight to it. It goes to whoever books first, so be quick.
          </div>
          <p>
            <Link to={expertLink}>See this expert's times</Link>
          </p>
        </>
      ) : state.error instanceof ApiError && !state.error.isTransient ? (
        <>
          <p className="notice notice--error" role="alert">
            {refusal(state.error)}
          </p>
          <p>
            <Link to={expertLink}>Go to the expert's page</Link> to join the waitlist again.
          </p>
        </>
      ) : (
        <ErrorPanel title="We couldn't confirm your email" error={state.error} onRetry={verify} />
      )}
    </section>
  );
}

function refusal(error: ApiError): string {
  if (error.code === 'waitlist_entry_not_found') return 'This waitlist request has expired (links work for 24 hours).';
  return error.status === 403 ? 'This link is for another waitlist.' : 'This waitlist link is not valid or has expired.';
}
