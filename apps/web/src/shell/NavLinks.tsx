import { NavLink, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { pages } from '../routes.tsx';

/** The navbar entries, from the route table (src/routes.tsx). */
export function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation('shell');
  const { pathname } = useLocation();
  return (
    <Stack gap={4} component="nav" aria-label={t('navigation')}>
      {pages
        .filter((p) => p.nav)
        .map(({ path, nav }) => {
          const href = `/${path}`;
          const active = path === '' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
          const Icon = nav!.icon;
          return (
            <NavLink
              key={path}
              component={Link}
              to={href}
              label={t(nav!.label)}
              leftSection={<Icon size={20} stroke={1.6} />}
              active={active}
              aria-current={active ? 'page' : undefined}
              onClick={onNavigate}
              fw={500}
              style={{ borderRadius: 'var(--mantine-radius-md)' }}
            />
          );
        })}
    </Stack>
  );
}
