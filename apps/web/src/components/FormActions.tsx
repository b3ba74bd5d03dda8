import { Alert, Button, type ButtonProps, Group } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The end of a modal form: the form-wide error when there is one (field errors stay at their fields), then Cancel
 * and the submit button.
 */
export function FormActions({
  error,
  onCancel,
  submitLabel,
  busy,
  disabled,
  color,
  submitTestId,
}: {
  error?: ReactNode;
  onCancel: () => void;
  submitLabel: ReactNode;
  busy: boolean;
  disabled?: boolean;
  color?: ButtonProps['color'];
  submitTestId: string;
}) {
  const { t } = useTranslation('common');
  return (
    <>
      {error && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />}>
          {error}
        </Alert>
      )}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onCancel}>
          {t('cancel')}
        </Button>
        <Button type="submit" color={color} disabled={disabled} loading={busy} data-testid={submitTestId}>
          {submitLabel}
        </Button>
      </Group>
    </>
  );
}
