import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useCallback, useEffect, useMemo } from 'react';
import { setCsrfToken, setUnauthorizedHandler } from '../api/client.ts';
import { isApiError } from '../api/errors.ts';
import { authApi } from './auth-api.ts';
import { AuthContext, type AuthState } from './auth-context.ts';
import { can } from './permissions.ts';
import type { Session } from './types.ts';

export const SESSION_KEY = ['auth', 'session'] as const;

/** null = signed out (401). */
async function loadSession(): Promise<Session | null> {
  try {
    return await authApi.session();
  } catch (err) {
    if (isApiError(err) && (err.status === 401 || err.status === 404)) return null;
    throw err;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const session = useQuery({ queryKey: SESSION_KEY, queryFn: loadSession, staleTime: Number.POSITIVE_INFINITY });

  const setSession = useCallback(
    (next: Session | null) => {
      setCsrfToken(next?.csrfToken ?? null);
      queryClient.setQueryData(SESSION_KEY, next);
    },
    [queryClient],
  );

  useEffect(() => {
    setCsrfToken(session.data?.csrfToken ?? null);
  }, [session.data]);

  // Any API call answering 401 means the session ended: forget it (RequireAuth then shows the sign-in page).
  useEffect(() => {
    setUnauthorizedHandler(() => {
      if (queryClient.getQueryData(SESSION_KEY)) setSession(null);
    });
    return () => setUnauthorizedHandler(null);
  }, [queryClient, setSession]);

  const value = useMemo<AuthState>(() => {
    const user = session.data?.user ?? null;
    const status: AuthState['status'] = session.isPending
      ? 'loading'
      : session.isError
        ? 'error'
        : user
          ? 'signed-in'
          : 'signed-out';
    return {
      status,
      user,
      error: session.error,
      retry: () => void session.refetch(),
      async signIn(email, password) {
        const next = await authApi.signIn(email, password);
        queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });
        setSession(next);
        return next.user;
      },
      async signOut() {
        try {
          await authApi.signOut();
        } finally {
          setSession(null);
          queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });
        }
      },
      can: (action) => can(user?.role, action),
    };
  }, [session.data, session.isPending, session.isError, session.error, session.refetch, queryClient, setSession]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
