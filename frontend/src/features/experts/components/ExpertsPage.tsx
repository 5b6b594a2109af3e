import { useDeferredValue, useEffect, useState } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { ErrorPanel } from '@/components/ErrorPanel';
import { PageTitle } from '@/components/PageTitle';
import { Pagination } from '@/components/Pagination';
import { expertSearch, PAGE_SIZE } from '@/lib/publicPaths';
import { useDebouncedValue } from '../hooks/useDebouncedValue';
import { useCategories, useExperts } from '../api/experts';
import { ExpertCard, ExpertCardSkeleton } from './ExpertCard';
import { ExpertFilters } from './ExpertFilters';

const SEARCH_DEBOUNCE_MS = 300;

/** Search state lives in the URL (?q=&category=&page=) so it survives reloads, links and Back. */
function useExpertSearchParams() {
  const [params, setParams] = useSearchParams();
  const { pathname } = useLocation();
  const { q, category, page } = expertSearch(params);

  const update = (changes: Record<string, string | number>, replace = false) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === '' || (key === 'page' && value === 1)) next.delete(key);
      else next.set(key, String(value));
    }
    // Typing or filtering keeps the scroll position; pagination links still start at the top.
    setParams(next, { replace, preventScrollReset: true });
  };

  const hrefFor = (p: number) => {
    const next = new URLSearchParams(params);
    if (p === 1) next.delete('page');
    else next.set('page', String(p));
    const qs = next.toString();
    return qs ? `${pathname}?${qs}` : pathname;
  };

  return { q, category, page, update, hrefFor };
}

export function ExpertsPage() {
  const { q, category, page, update, hrefFor } = useExpertSearchParams();
  const [searchInput, setSearchInput] = useState(q);
  const debouncedSearch = useDebouncedValue(searchInput.trim(), SEARCH_DEBOUNCE_MS);

  // Typing settles → write to the URL (replacing, so Back doesn't step through every keystroke).
  // Only the debounced value is a dependency: these two effects sync box and URL in each direction.
  useEffect(() => {
    if (debouncedSearch !== q) update({ q: debouncedSearch, page: 1 }, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one direction of the box/URL sync: only a settled search writes the URL
  }, [debouncedSearch]);

  // URL changed from outside (Back, a link) → show it in the box.
  useEffect(() => {
    if (q !== debouncedSearch) setSearchInput(q);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the other direction: only a changed URL rewrites the box
  }, [q]);

  const experts = useExperts({ q, category, page });
  const categories = useCategories(q);
  // A page of cards renders as an interruptible update that yields to the browser rather than one long task
  // on a phone (issue 14); the status line and the list both read this value, so they change together.
  const data = useDeferredValue(experts.data);
  const pending = !data && !experts.isError;
  // ?page=99 on a list of 4 pages: say so, and offer the way back (issue 13).
  const pastEnd = Boolean(data && data.items.length === 0 && page > 1 && data.total > 0);

  return (
    <section className="stack">
      <div>
        <PageTitle title="Find an expert">Find an expert</PageTitle>
        <p className="lead">Book a one-to-one session with a vetted expert. Pick a time that suits you.</p>
      </div>

      <ExpertFilters
        search={searchInput}
        onSearchChange={setSearchInput}
        category={category}
        onCategoryChange={(value) => update({ category: value, page: 1 })}
        categories={categories.data}
      />

      <p className="muted" role="status" aria-live="polite">
        {pending
          ? 'Loading experts…'
          : data && pastEnd
            ? `Page ${page} is past the end of the list: ${data.total} experts on ${data.totalPages} ${data.totalPages === 1 ? 'page' : 'pages'}.`
            : data
            ? `${data.total} ${data.total === 1 ? 'expert' : 'experts'} found${experts.isFetching ? ' · updating…' : ''}`
            : ''}
      </p>

      {pending ? (
        <ul className="card-grid reserve-screen" aria-hidden="true">
          {Array.from({ length: 6 }, (_, i) => (
            <li key={i}>
              <ExpertCardSkeleton />
            </li>
          ))}
        </ul>
      ) : !data ? (
        <ErrorPanel title="We couldn't load the experts" error={experts.error} onRetry={() => experts.refetch()} />
      ) : pastEnd ? (
        <EmptyState title={`There is no page ${page}`}>
          <p>
            <Link to={hrefFor(data.totalPages)}>Go to the last page ({data.totalPages})</Link>
          </p>
        </EmptyState>
      ) : data.items.length === 0 ? (
        <EmptyState title="No experts match your search">
          <p>Try a different name or category.</p>
          <Link to="/" onClick={() => setSearchInput('')}>
            Clear search and filters
          </Link>
        </EmptyState>
      ) : (
        <>
          {experts.isError && (
            <ErrorPanel title="We couldn't update the list" error={experts.error} onRetry={() => experts.refetch()} />
          )}
          <ul className={`card-grid${experts.isPlaceholderData ? ' is-stale' : ''}`} aria-label="Experts">
            {data.items.map((expert) => (
              <li key={expert.id}>
                <ExpertCard expert={expert} />
              </li>
            ))}
          </ul>
          <Pagination page={page} totalPages={data.totalPages} hrefFor={hrefFor} />
          {data.totalPages > 1 && (
            <p className="muted center">
              Page {page} of {data.totalPages} · {PAGE_SIZE} per page
            </p>
          )}
        </>
      )}
    </section>
  );
}
