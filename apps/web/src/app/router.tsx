import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { RequireAuth } from '../auth/RequireAuth.tsx';
import { RedirectIfSignedIn } from '../features/auth/RedirectIfSignedIn.tsx';
import { NotFoundPage } from '../features/errors/NotFoundPage.tsx';
import { pages, publicPages } from '../routes.tsx';
import { AppLayout } from '../shell/AppLayout.tsx';
import { AuthLayout } from '../shell/AuthLayout.tsx';
import { PageSuspense } from '../shell/PageSuspense.tsx';

const toRoute = ({ path, Page }: (typeof pages)[number]): RouteObject => ({
  ...(path === '' ? { index: true } : { path }),
  element: (
    <PageSuspense>
      <Page />
    </PageSuspense>
  ),
});

export const router = createBrowserRouter([
  {
    element: (
      <RedirectIfSignedIn>
        <AuthLayout />
      </RedirectIfSignedIn>
    ),
    children: publicPages.map(toRoute),
  },
  {
    path: '/',
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    children: [
      ...pages.map(toRoute),
      { path: 'home', element: <Navigate to="/" replace /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
