import { useEffect, type ReactNode } from 'react';

/** Sets document.title and renders the page's h1 (focused on navigation by the app layout). */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  useEffect(() => {
    document.title = `${title} · Expert Sessions`;
  }, [title]);
  return (
    <h1 className="page-title" tabIndex={-1} data-page-title>
      {children}
    </h1>
  );
}
