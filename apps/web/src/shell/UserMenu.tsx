import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconLanguage, IconLogout } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuth } from '../auth/auth-context.ts';
import { LANGUAGES, setLanguage } from '../i18n/i18n.ts';

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('');

/** Name, role, language switch and sign out. */
export function UserMenu() {
  const { t, i18n } = useTranslation('shell');
  const { user, signOut } = useAuth();
  const navigate = useNavigate();
  if (!user) return null;
  const onSignOut = async () => {
    await signOut().catch(() => undefined);
    navigate('/sign-in', { replace: true });
  };
  return (
    <Menu position="bottom-end" width={240} shadow="md">
      <Menu.Target>
        <UnstyledButton aria-label={t('userMenu')} px={6} py={4} style={{ borderRadius: 8 }}>
          <Group gap="xs" wrap="nowrap">
            <Avatar radius="xl" size={32} color="indigo">
              {initials(user.name || user.email)}
            </Avatar>
            <div style={{ lineHeight: 1.1 }}>
              <Text size="sm" fw={600} visibleFrom="sm" truncate maw={160}>
                {user.name || user.email}
              </Text>
              <Text size="xs" c="dimmed" visibleFrom="sm">
                {t(`roles.${user.role}`)}
              </Text>
            </div>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="var(--mantine-color-text)" truncate>
            {user.name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {user.email}
          </Text>
          <Text size="xs" c="dimmed">
            {t(`roles.${user.role}`)}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Label>{t('language')}</Menu.Label>
        {LANGUAGES.map((lang) => (
          <Menu.Item
            key={lang}
            leftSection={<IconLanguage size={16} />}
            onClick={() => void setLanguage(lang)}
            fw={i18n.language === lang ? 700 : 400}
            aria-checked={i18n.language === lang}
            role="menuitemradio"
          >
            {t(`languages.${lang}`)}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={16} />} onClick={onSignOut}>
          {t('signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
