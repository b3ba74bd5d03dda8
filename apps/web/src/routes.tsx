import {
  type Icon,
  IconBuildingStore,
  IconFlag,
  IconHistory,
  IconHome,
  IconLicense,
  IconSettings,
} from '@tabler/icons-react';
import { type ComponentType, type LazyExoticComponent, lazy } from 'react';

/**
 * The dashboard's pages: the one list to extend. Each page is loaded lazily (its own chunk). Pages with `nav`
 * appear in the navbar, in this order (Home, Accounts, Licenses, Feature flags, Audit log, Settings). A page that does not exist
 * yet is simply absent: no placeholder routes.
 *
 * To add a page: write `src/features/<feature>/<Name>Page.tsx` (a named export), add its translations as
 * `src/locales/{en,de}/<feature>.json`, and add an entry below (see apps/web/README.md).
 */
export interface PageRoute {
  /** Path below `/`, react-router syntax (`accounts/:id`); '' is the home page. */
  path: string;
  Page: LazyExoticComponent<ComponentType>;
  /** Navbar entry: `label` is a key of the `shell` namespace. */
  nav?: { label: string; icon: Icon };
}

const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));

/** Pages of the signed-in app (inside the shell). */
export const pages: PageRoute[] = [
  {
    path: '',
    Page: page(() => import('./features/home/HomePage.tsx'), 'HomePage'),
    nav: { label: 'nav.home', icon: IconHome },
  },
  {
    path: 'accounts',
    Page: page(() => import('./features/accounts/AccountsPage.tsx'), 'AccountsPage'),
    nav: { label: 'nav.accounts', icon: IconBuildingStore },
  },
  {
    path: 'accounts/:id',
    Page: page(() => import('./features/accounts/AccountDetailPage.tsx'), 'AccountDetailPage'),
  },
  {
    path: 'licenses',
    Page: page(() => import('./features/licenses/LicensesPage.tsx'), 'LicensesPage'),
    nav: { label: 'nav.licenses', icon: IconLicense },
  },
  {
    path: 'licenses/new',
    Page: page(() => import('./features/licenses/NewLicensePage.tsx'), 'NewLicensePage'),
  },
  {
    path: 'licenses/:id',
    Page: page(() => import('./features/licenses/LicenseDetailPage.tsx'), 'LicenseDetailPage'),
  },
  {
    path: 'flags',
    Page: page(() => import('./features/flags/FlagsPage.tsx'), 'FlagsPage'),
    nav: { label: 'nav.flags', icon: IconFlag },
  },
  {
    path: 'flags/:id',
    Page: page(() => import('./features/flags/FlagDetailPage.tsx'), 'FlagDetailPage'),
  },
  {
    path: 'audit',
    Page: page(() => import('./features/audit/AuditLogPage.tsx'), 'AuditLogPage'),
    nav: { label: 'nav.auditLog', icon: IconHistory },
  },
  {
    path: 'settings',
    Page: page(() => import('./features/settings/SettingsPage.tsx'), 'SettingsPage'),
    nav: { label: 'nav.settings', icon: IconSettings },
  },
];

/** Pages for signed-out users (no shell). */
export const publicPages: PageRoute[] = [
  { path: 'sign-in', Page: page(() => import('./features/auth/SignInPage.tsx'), 'SignInPage') },
  { path: 'forgot-password', Page: page(() => import('./features/auth/ForgotPasswordPage.tsx'), 'ForgotPasswordPage') },
  { path: 'reset-password', Page: page(() => import('./features/auth/ResetPasswordPage.tsx'), 'ResetPasswordPage') },
];

/** Whether the app has a page at this path pattern (links to screens that may not exist yet check this). */
export const hasPage = (path: string): boolean => pages.some((p) => p.path === path);
