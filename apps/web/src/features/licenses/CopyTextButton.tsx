import { ActionIcon, Button, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifyError, notifySuccess } from '../../components/notify.tsx';
import { copyText } from './browser.ts';

interface Props {
  /** The exact text put on the clipboard. */
  text: string;
  /** Accessible name and button text, e.g. "Copy base64". */
  label: string;
  /** Toast after copying. */
  toast: string;
  testId: string;
  compact?: boolean;
}

/** Copies exactly `text` with navigator.clipboard.writeText, shows a check for a moment and a toast. */
export function CopyTextButton({ text, label, toast, testId, compact }: Props) {
  const { t } = useTranslation('licenses');
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    try {
      await copyText(text);
      setCopied(true);
      notifySuccess(toast, `toast-${testId}`);
    } catch (err) {
      notifyError(t('toast.copyFailed'), err);
    }
  };
  const icon = copied ? <IconCheck size={16} /> : <IconCopy size={16} />;

  if (compact) {
    return (
      <Tooltip label={label} withArrow>
        <ActionIcon
          variant="subtle"
          color={copied ? 'teal' : 'gray'}
          aria-label={label}
          onClick={() => void copy()}
          data-testid={testId}
        >
          {icon}
        </ActionIcon>
      </Tooltip>
    );
  }
  return (
    <Button
      size="xs"
      variant="light"
      color={copied ? 'teal' : undefined}
      leftSection={icon}
      onClick={() => void copy()}
      data-testid={testId}
    >
      {label}
    </Button>
  );
}
