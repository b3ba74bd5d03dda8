import { Group, Kbd, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure, useHotkeys, useOs } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import classes from './SearchLauncher.module.css';
import { SearchModal } from './SearchModal.tsx';

/** The header's search bar: opens the search dialog on click, `/` or Ctrl+K (⌘K on macOS). */
export function SearchLauncher() {
  const { t } = useTranslation('search');
  const [opened, { open, close }] = useDisclosure(false);
  const os = useOs();
  useHotkeys([
    ['/', open],
    ['mod+K', open],
  ]);
  return (
    <>
      <UnstyledButton
        className={classes.launcher}
        onClick={open}
        aria-haspopup="dialog"
        aria-keyshortcuts="/ Control+K"
      >
        <Group gap="xs" wrap="nowrap" justify="space-between">
          <Group gap="xs" wrap="nowrap" miw={0}>
            <IconSearch size={16} stroke={1.8} />
            <Text size="sm" c="dimmed" truncate>
              <Text span visibleFrom="md" inherit>
                {t('placeholder')}
              </Text>
              <Text span hiddenFrom="md" inherit>
                {t('placeholderShort')}
              </Text>
            </Text>
          </Group>
          <Group gap={4} wrap="nowrap" visibleFrom="sm">
            <Kbd size="xs">{os === 'macos' ? '⌘' : 'Ctrl'}</Kbd>
            <Kbd size="xs">K</Kbd>
          </Group>
        </Group>
      </UnstyledButton>
      <SearchModal opened={opened} onClose={close} />
    </>
  );
}
