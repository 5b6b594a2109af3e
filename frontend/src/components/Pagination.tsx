import { Link } from 'react-router';

interface Props {
  page: number;
  totalPages: number;
  /** URL (path + query) of a given page. */
  hrefFor: (page: number) => string;
}

/** Page numbers to show: first, last, and a window around the current page, with gaps as null. */
export function pageWindow(page: number, totalPages: number, radius = 1): (number | null)[] {
  const pages: (number | null)[] = [];
  for (let p = 1; p <= totalPages; p += 1) {
    if (p === 1 || p === totalPages || Math.abs(p - page) <= radius) pages.push(p);
    else if (pages[pages.length - 1] !== null) pages.push(null);
  }
  return pages;
}

export function Pagination({ page, totalPages, hrefFor }: Props) {
  if (totalPages <= 1) return null;
  return (
    <nav className="pagination" aria-label="Pagination">
      {page > 1 ? (
        <Link className="pagination__link" to={hrefFor(page - 1)} rel="prev" aria-label="Previous page">
          ‹ Previous
        </Link>
      ) : (
        <span className="pagination__link pagination__link--disabled" aria-hidden="true">‹ Previous</span>
      )}
      <ol className="pagination__pages plain-list">
        {pageWindow(page, totalPages).map((p, i) =>
          p === null ? (
            <li key={`gap-${i}`} className="pagination__gap" aria-hidden="true">…</li>
          ) : (
            <li key={p}>
              <Link
                className="pagination__link"
                to={hrefFor(p)}
                aria-label={`Page ${p}`}
                aria-current={p === page ? 'page' : undefined}
              >
                {p}
              </Link>
            </li>
          ),
        )}
      </ol>
      {page < totalPages ? (
        <Link className="pagination__link" to={hrefFor(page + 1)} rel="next" aria-label="Next page">
          Next ›
        </Link>
      ) : (
        <span className="pagination__link pagination__link--disabled" aria-hidden="true">Next ›</span>
      )}
    </nav>
  );
}
