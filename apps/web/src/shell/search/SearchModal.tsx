import { Alert, Center, Divider, Loader, Modal, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { type KeyboardEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { SearchResults } from '../../api/types.ts';
import { links } from '../../app/links.ts';
import { SearchHit } from './SearchHit.tsx';
import { useSearch } from './use-search.ts';

export type Hit =
  | { kind: 'account'; item: SearchResults['accounts'][number] }
  | { kind: 'license'; item: SearchResults['licenses'][number] };

const hrefOf = (hit: Hit) =>
  hit.kind === 'account'
    ? links.account(hit.item.id)
    : (links.license(hit.item.id) ?? links.account(hit.item.account.id, 'licenses'));

/** The search dialog: type, ↑/↓ to choose, Enter to open, Esc to close. */
export function SearchModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('search');
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [selected, setSelected] = useState(0);
  const search = useSearch(text);

  const hits = useMemo<Hit[]>(() => {
    if (!text.trim() || !search.data) return [];
    return [
      ...search.data.accounts.map((item) => ({ kind: 'account' as const, item })),
      ...search.data.licenses.map((item) => ({ kind: 'license' as const, item })),
    ];
  }, [search.data, text]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: new results start at the first hit
  useEffect(() => setSelected(0), [hits]);
  useEffect(() => {
    if (!opened) setText('');
  }, [opened]);

  const go = (hit: Hit | undefined) => {
    if (!hit) return;
    onClose();
    navigate(hrefOf(hit));
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setSelected((i) => (hits.length ? (i + step + hits.length) % hits.length : 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      go(hits[selected]);
    }
  };

  const accounts = hits.filter((h) => h.kind === 'account');
  const licenses = hits.filter((h) => h.kind === 'license');
  const renderGroup = (label: string, group: Hit[], offset: number) =>
    group.length > 0 && (
      <Stack gap={2} role="group" aria-label={label}>
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" px={10} pt={6}>
          {label}
        </Text>
        {group.map((hit, i) => (
          <SearchHit
            key={hit.item.id}
            hit={hit}
            term={text.trim()}
            href={hrefOf(hit)}
            selected={offset + i === selected}
            onHover={() => setSelected(offset + i)}
            onOpen={() => go(hit)}
          />
        ))}
      </Stack>
    );

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      withCloseButton={false}
      size="lg"
      yOffset="10vh"
      padding={0}
      radius="lg"
      title={null}
      aria-label={t('title')}
    >
      <TextInput
        data-autofocus
        size="lg"
        variant="unstyled"
        px="md"
        placeholder={t('inputPlaceholder')}
        leftSection={search.isFetching ? <Loader size={18} /> : <IconSearch size={20} />}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        aria-label={t('title')}
        aria-controls="global-search-results"
        aria-activedescendant={hits[selected] ? `search-hit-${hits[selected].item.id}` : undefined}
        role="combobox"
        aria-expanded={hits.length > 0}
      />
      <Divider />
      <ScrollArea.Autosize mah="60vh" id="global-search-results" role="listbox" aria-label={t('results')}>
        <Stack gap="xs" p="xs">
          {!text.trim() && (
            <Text size="sm" c="dimmed" p="sm">
              {t('hint')}
            </Text>
          )}
          {search.isError && text.trim() && (
            <Alert color="red" variant="light">
              {t('error')}
            </Alert>
          )}
          {text.trim() && search.isPending && search.fetchStatus !== 'idle' && (
            <Center p="md">
              <Loader size="sm" />
            </Center>
          )}
          {text.trim() && search.settled && search.isSuccess && hits.length === 0 && (
            <Text size="sm" c="dimmed" p="sm">
              {t('noResults', { term: text.trim() })}
            </Text>
          )}
          {renderGroup(t('accounts'), accounts, 0)}
          {renderGroup(t('licenses'), licenses, accounts.length)}
        </Stack>
      </ScrollArea.Autosize>
      <Divider />
      <Text size="xs" c="dimmed" px="md" py={8}>
        {t('keys')}
      </Text>
    </Modal>
  );
}
