import { AppShell, Burger, Group } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { Logo } from './Logo.tsx';
import { NavLinks } from './NavLinks.tsx';
import { PageSuspense } from './PageSuspense.tsx';
import { SearchLauncher } from './search/SearchLauncher.tsx';
import { UserMenu } from './UserMenu.tsx';

/** The signed-in app: header (logo, global search, user menu), navbar, page. */
export function AppLayout() {
  const { t } = useTranslation('shell');
  const [opened, { toggle, close }] = useDisclosure();
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 220, breakpoint: 'md', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" gap="md" wrap="nowrap" justify="space-between">
          <Group gap="sm" wrap="nowrap" w={{ base: 'auto', md: 196 }}>
            <Burger opened={opened} onClick={toggle} hiddenFrom="md" size="sm" aria-label={t('toggleNavigation')} />
            <Link to="/" aria-label={t('nav.home')} style={{ color: 'inherit', textDecoration: 'none' }}>
              <Logo />
            </Link>
          </Group>
          <SearchLauncher />
          <UserMenu />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <NavLinks onNavigate={close} />
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">
        <PageSuspense>
          <Outlet />
        </PageSuspense>
      </AppShell.Main>
    </AppShell>
  );
}
