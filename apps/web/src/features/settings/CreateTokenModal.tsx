import { Alert, Button, Code, CopyButton, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldErrorsOf } from '../../components/notify.tsx';
import { notifyFailed } from './notify.ts';
import { type Product, type TokenRole, useCreateToken } from './settings-api.ts';

const ROLES: TokenRole[] = ['read-only', 'product', 'admin'];

/** The secret of a new token, shown once: copy button and a warning that it cannot be shown again. */
function SecretOnce({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const { t } = useTranslation('settings');
  return (
    <Stack gap="md">
      <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title={t('tokens.onceTitle')}>
        {t('tokens.onceText', { name })}
      </Alert>
      <Code block data-testid="token-secret" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} fz="sm">
        {secret}
      </Code>
      <Group justify="space-between">
        <CopyButton value={secret}>
          {({ copied, copy }) => (
            <Button
              variant={copied ? 'light' : 'filled'}
              color={copied ? 'green' : undefined}
              leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              onClick={copy}
            >
              {copied ? t('tokens.copied') : t('tokens.copy')}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" onClick={onDone}>
          {t('tokens.stored')}
        </Button>
      </Group>
    </Stack>
  );
}

export function CreateTokenModal({
  opened,
  onClose,
  products,
}: {
  opened: boolean;
  onClose: () => void;
  products: Product[];
}) {
  const { t } = useTranslation('settings');
  const { t: tCommon } = useTranslation();
  const create = useCreateToken();
  const [name, setName] = useState('');
  const [role, setRole] = useState<TokenRole>('read-only');
  const [productId, setProductId] = useState<string | null>(null);
  const [expires, setExpires] = useState<string | null>(null);
  const created = create.data;
  const fields = fieldErrorsOf(create.error);

  const close = () => {
    create.reset();
    setName('');
    setRole('read-only');
    setProductId(null);
    setExpires(null);
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        name: name.trim(),
        role,
        ...(role === 'product' && productId ? { productId } : {}),
        ...(expires ? { expiresAt: dayjs(expires).endOf('day').toISOString() } : {}),
      },
      { onError: (err) => Object.keys(fieldErrorsOf(err)).length === 0 && notifyFailed(err) },
    );
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? t('tokens.createdTitle') : t('tokens.createTitle')}
      centered
      size="lg"
      closeOnClickOutside={!created}
    >
      {created ? (
        <SecretOnce name={created.token.name} secret={created.secret} onDone={close} />
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <TextInput
              label={t('tokens.name')}
              description={t('tokens.nameHelp')}
              required
              data-autofocus
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fields.name}
            />
            <Select
              label={t('tokens.role')}
              value={role}
              allowDeselect={false}
              onChange={(value) => value && setRole(value as TokenRole)}
              data={ROLES.map((r) => ({ value: r, label: t(`tokens.roles.${r}`) }))}
              description={t(`tokens.roleHelp.${role}`)}
            />
            {role === 'product' && (
              <Select
                label={t('tokens.product')}
                required
                value={productId}
                onChange={setProductId}
                data={products.map((p) => ({ value: p.id, label: `${p.code} · ${p.name}` }))}
                error={fields.productId}
              />
            )}
            <DateInput
              label={t('tokens.expiresAt')}
              description={t('tokens.expiresHelp')}
              clearable
              minDate={dayjs().add(1, 'day').format('YYYY-MM-DD')}
              value={expires}
              onChange={(value) => setExpires(value ? String(value) : null)}
              valueFormat="ll"
              error={fields.expiresAt}
            />
            <Text size="xs" c="dimmed">
              {t('tokens.secretNote')}
            </Text>
            <Group justify="flex-end" mt="sm">
              <Button variant="default" onClick={close}>
                {tCommon('cancel')}
              </Button>
              <Button
                type="submit"
                loading={create.isPending}
                disabled={!name.trim() || (role === 'product' && !productId)}
              >
                {t('tokens.createSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
