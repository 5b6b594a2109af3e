import { Link, isRouteErrorResponse, useRouteError } from 'react-router';
import { PageTitle } from '../components/PageTitle';

export function NotFound() {
  return (
    <section className="stack">
      <PageTitle title="Page not found">Page not found</PageTitle>
      <p>There is nothing at this address.</p>
      <p>
        <Link to="/">Browse experts</Link>
      </p>
    </section>
  );
}

/** Last-resort error screen for a render error anywhere in the app. */
export function RouteError() {
  const error = useRouteError();
  const detail = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : 'An unexpected error occurred.';
  return (
    <main className="container main stack" id="main">
      <h1 className="page-title">Something went wrong</h1>
      <p>{detail}</p>
      <p>
        <a href="/">Go to the home page</a>
      </p>
    </main>
  );
}
