import { createContext, useContext } from 'react';
import type { Action } from './permissions.ts';
import type { User } from './types.ts';

export interface AuthState {
  /** loading: the session is being checked; error: the server could not be asked. */
  status: 'loading' | 'signed-in' | 'signed-out' | 'error';
  user: User | null;
  error: unknown;
  retry(): void;
  signIn(email: string, password: string): Promise<User>;
  signOut(): Promise<void>;
  can(action: Action): boolean;
}

export const AuthContext = createContext<AuthState | null>(null);

export function useAuth(): AuthState {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside <AuthProvider>');
  return auth;
}

/** Whether the signed-in user's role may do this (hides buttons; the API decides). */
export const useCan = (action: Action): boolean => useAuth().can(action);
