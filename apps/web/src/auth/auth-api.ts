import { api } from '../api/client.ts';
import type { Session } from './types.ts';

/** The staff sign-in API (docs/dashboard-auth.md). */
export const authApi = {
  session: () => api.get<Session>('/v1/auth/session'),
  signIn: (email: string, password: string) => api.post<Session>('/v1/auth/sign-in', { email, password }),
  signOut: () => api.post<void>('/v1/auth/sign-out'),
  requestReset: (email: string) => api.post<{ accepted: true }>('/v1/auth/password-reset', { email }),
  confirmReset: (token: string, password: string) =>
    api.post<void>('/v1/auth/password-reset/confirm', { token, password }),
};
