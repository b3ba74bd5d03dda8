import type { ReactNode } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { useAuth } from '../../auth/auth-context.ts';

/** Only an app-internal path is followed after sign-in (never another origin). */
export const safeReturnPath = (from: string | null) => (from?.startsWith('/') && !from.startsWith('//') ? from : '/');

/** Signed-in users who open /sign-in (or the password pages) go to where they came from, or home. */
export function RedirectIfSignedIn({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const [params] = useSearchParams();
  if (status === 'signed-in') return <Navigate to={safeReturnPath(params.get('from'))} replace />;
  return children;
}
