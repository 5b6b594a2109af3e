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

  const header = <PageTitle title="Waitlist">Your place on the waitlist</PageTitle>;
  const expertLink = expertId ? `/experts/${encodeURIComponent(expertId)}` : '/';
  if (!held.current && (!expertId || !params.get('token'))) {
    return (
      <section className="stack narrow">
        {header}
        <p className="notice notice--error" role="alert">
          This waitlist link is incomplete. Open it again from your email, or copy the whole address into the browser.
        </p>
      </section>
    );
  }
  if (state.phase === 'checking') {
    return (
      <section className="stack narrow" aria-busy="true">
        {header}
        <p className="muted">Confirming your email…</p>
      </section>
    );
  }
  if (state.phase === 'done') {
    return (
      <section className="stack narrow">
        {header}
        <div className="notice notice--success" role="status">
          <strong>You're on the waitlist for {formatDateKey(state.entry.date)}.</strong> If a time that day frees up,
          we'll email you a link straight to it. It goes to whoever books first, so be quick.
        </div>
        <p>
          <Link to={expertLink}>See this expert's times</Link>
        </p>
      </section>
    );
  }
  const { error } = state;
  if (error instanceof ApiError && !error.isTransient) {
    const expired = error.code === 'waitlist_entry_not_found';
    return (
      <section className="stack narrow">
        {header}
        <p className="notice notice--error" role="alert">
          {expired
            ? 'This waitlist request has expired (links work for 24 hours).'
            : error.status === 403
              ? 'This link is for another waitlist.'
              : 'This waitlist link is not valid or has expired.'}
        </p>
        <p>
          <Link to={expertLink}>Go to the expert's page</Link> to join the waitlist again.
        </p>
      </section>
    );
  }
  return (
    <section className="stack narrow">
      {header}
      <ErrorPanel title="We couldn't confirm your email" error={error} onRetry={verify} />
    </section>
  );
}
