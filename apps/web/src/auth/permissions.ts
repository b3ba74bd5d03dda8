import type { Role } from './types.ts';

/**
 * What the dashboard shows to each role (docs/dashboard-auth.md). The API decides; this only hides buttons a role
 * could not use. Add an action here rather than comparing roles in components.
 */
export type Action =
  | 'account.create'
  | 'account.edit'
  | 'account.editNotes'
  | 'account.delete'
  | 'license.issue'
  | 'license.edit'
  | 'license.editNotes'
  | 'license.act'
  | 'license.extendWeek'
  | 'entitlements.override'
  | 'flags.toggle'
  | 'flags.define'
  | 'settings.users'
  | 'settings.tokens'
  | 'settings.catalog';

const MANAGERS: Role[] = ['admin', 'account_manager'];
const WITH_SUPPORT: Role[] = ['admin', 'account_manager', 'support'];
const ADMIN: Role[] = ['admin'];

const POLICY: Record<Action, Role[]> = {
  'account.create': MANAGERS,
  'account.edit': MANAGERS,
  'account.editNotes': WITH_SUPPORT,
  'account.delete': ADMIN,
  'license.issue': MANAGERS,
  'license.edit': MANAGERS,
  'license.editNotes': WITH_SUPPORT,
  'license.act': MANAGERS,
  'license.extendWeek': WITH_SUPPORT,
  // docs/entitlements.md: overrides and per-customer flag toggles are the account team's (support included).
  'entitlements.override': WITH_SUPPORT,
  'flags.toggle': WITH_SUPPORT,
  // docs/feature-flags.md: flag and segment definitions (and the kill switch) are the admin's.
  'flags.define': ADMIN,
  'settings.users': ADMIN,
  'settings.tokens': ADMIN,
  'settings.catalog': ADMIN,
};

export const can = (role: Role | undefined, action: Action): boolean =>
  role !== undefined && POLICY[action].includes(role);
