import { CloseButton, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A list's search box: shows what is typed at once, reports it after a pause (`onSearch`, debounced), follows the
 * value when it changes elsewhere (URL, "clear filters"), and has a clear button.
 */
export function SearchInput({
  value,
  onSearch,
  placeholder,
  label,
  maw = 420,
  testId,
}: {
  value: string;
  onSearch: (value: string) => void;
  placeholder: string;
  label: string;
  maw?: number;
  testId?: string;
}) {
  const { t } = useTranslation('common');
  const [text, setText] = useState(value);
  const push = useDebouncedCallback(onSearch, 300);
  useEffect(() => setText(value), [value]);
  return (
    <TextInput
      style={{ flex: '1 1 240px' }}
      maw={maw}
      leftSection={<IconSearch size={16} />}
      placeholder={placeholder}
      aria-label={label}
      value={text}
      data-testid={testId}
      onChange={(e) => {
        setText(e.currentTarget.value);
        push(e.currentTarget.value);
      }}
      rightSection={
        text ? (
          <CloseButton
            size="sm"
            aria-label={t('clearSearch')}
            onClick={() => {
              setText('');
              push.cancel();
              onSearch('');
            }}
          />
        ) : null
      }
    />
  );
}
