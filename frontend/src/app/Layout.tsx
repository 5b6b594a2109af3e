import { useEffect, useRef } from 'react';
import { NavLink, Outlet, ScrollRestoration, useLocation } from 'react-router';

/** Moves focus to the new page's heading after client-side navigation, as a full page load would. */
function useFocusOnNavigate() {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    (document.querySelector<HTMLElement>('[data-page-title]') ?? document.getElementById('main'))?.focus();
  }, [pathname]);
}

export function Layout() {
  useFocusOnNavigate();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="container site-header__inner">
          <NavLink to="/" className="brand" end>
            <span className="brand__mark" aria-hidden="true">✓</span>
            Expert Sessions
          </NavLink>
          <nav aria-label="Main">
            <ul className="site-nav">
              <li>
                <NavLink to="/" end>
                  Experts
                </NavLink>
              </li>
              <li>
                <NavLink to="/my-bookings">My bookings</NavLink>
              </li>
              <li>
                <NavLink to="/admin">Admin</NavLink>
              </li>
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" className="container main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <div className="container">Times are shown with their time zone. Sessions are confirmed by the expert.</div>
      </footer>
      <ScrollRestoration />
    </>
  );
}
