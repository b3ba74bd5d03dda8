import { Alert, Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors.ts';
import { errorMessage, notifySuccess } from '../../components/notify.tsx';
import type { PropertyDef } from '../entitlements/entitlements-types.ts';
import { useDeleteProperty } from './properties-api.ts';

/**
 * Delete a property. While plan values, overrides or usage counters use it the server answers 409 PROPERTY_IN_USE
 * (its message names what uses it); the dialog then says so and offers to delete those too (`?force=true`). Give it
 * `key={property.id}`: each property starts afresh.
 */
export function DeletePropertyModal({ property, onClose }: { property: PropertyDef | null; onClose: () => void }) {
  const { t } = useTranslation('properties');
  const { t: tCommon } = useTranslation();
  const remove = useDeleteProperty();
  const [inUse, setInUse] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!property) return <Modal opened={false} onClose={onClose} />;

  const close = () => {
    remove.reset();
    onClose();
  };
  const run = (force: boolean) =>
    remove.mutate(
      { id: property.id, force },
      {
        onSuccess: () => {
          notifySuccess(t(force ? 'delete.doneForce' : 'delete.done', { key: property.key }), 'toast-property-deleted');
          close();
        },
        onError: (err) => {
          if (isApiError(err, 'PROPERTY_IN_USE') && !force) setInUse(err.message);
          else setError(errorMessage(err));
        },
      },
    );

  return (
    <Modal opened onClose={close} title={t('delete.title', { name: property.name })} centered>
      <Stack gap="md" data-testid="property-delete-dialog">
        {inUse === null ? (
          <Text size="sm">
            {t('delete.text')} <Code>{property.key}</Code>
          </Text>
        ) : (
          <Alert
            color="orange"
            variant="light"
            icon={<IconAlertTriangle size={18} />}
            title={t('delete.inUseTitle')}
            data-testid="property-in-use"
          >
            <Text size="sm">{inUse}</Text>
            <Text size="sm" mt="xs">
              {t('delete.inUseText')}
            </Text>
          </Alert>
        )}
        {error && (
          <Alert color="red" variant="light" data-testid="property-delete-error">
            {error}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close} data-autofocus>
            {tCommon('cancel')}
          </Button>
          {inUse === null ? (
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() => run(false)}
              data-testid="property-delete-confirm"
            >
              {t('delete.confirm')}
            </Button>
          ) : (
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() => run(true)}
              data-testid="property-delete-force"
            >
              {t('delete.force')}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
