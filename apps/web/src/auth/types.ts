export type Role = 'admin' | 'account_manager' | 'support' | 'read_only';
export const ROLES: Role[] = ['admin', 'account_manager', 'support', 'read_only'];

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface Session {
  user: User;
  csrfToken: string;
}
