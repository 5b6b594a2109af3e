import { createBrowserRouter } from 'react-router';
import { BookingPage } from '../features/booking/components/BookingPage';
import { ExpertDetailPage } from '../features/expert-detail/components/ExpertDetailPage';
import { ExpertsPage } from '../features/experts/components/ExpertsPage';
import { MyBookingsPage } from '../features/my-bookings/components/MyBookingsPage';
import { VerifyPage } from '../features/my-bookings/components/VerifyPage';
import { WaitlistPanel } from '../features/waitlist/components/WaitlistPanel';
import { WaitlistVerifyPage } from '../features/waitlist/components/WaitlistVerifyPage';
import { Layout } from './Layout';
import { NotFound, RouteError } from './NotFound';

/** Deep links work because S3/CloudFront answer every unknown path with index.html. */
export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <RouteError />,
    // Shown while a lazy route (admin) loads on first visit.
    hydrateFallbackElement: (
      <p className="container main muted" aria-busy="true">
        Loading…
      </p>
    ),
    children: [
      { index: true, element: <ExpertsPage /> },
      { path: 'experts/:expertId', element: <ExpertDetailPage slotsAddon={WaitlistPanel} /> },
      { path: 'experts/:expertId/book', element: <BookingPage /> },
      { path: 'my-bookings', element: <MyBookingsPage /> },
      // The verification link in the booking email (issue 9).
      { path: 'verify', element: <VerifyPage /> },
      // The link in the waitlist email (issue 12).
      { path: 'waitlist/verify', element: <WaitlistVerifyPage /> },
      {
        // Admin screens are split into their own chunk: most visitors never load them.
        path: 'admin',
        lazy: async () => ({ Component: (await import('../features/admin/components/AdminLayout')).AdminLayout }),
        children: [
          {
            index: true,
            lazy: async () => ({ Component: (await import('../features/admin/components/AdminBookings')).AdminBookings }),
          },
          {
            path: 'experts',
            lazy: async () => ({ Component: (await import('../features/admin/components/AdminExperts')).AdminExperts }),
          },
          {
            path: 'slots',
            lazy: async () => ({ Component: (await import('../features/admin/components/AdminSlots')).AdminSlots }),
          },
          {
            path: 'availability',
            lazy: async () => ({ Component: (await import('./AdminAvailability')).AdminAvailability }),
          },
        ],
      },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
