import { Alert, Button, Group, Modal, SimpleGrid, Stack, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../api/types.ts';
import { accountFormErrors } from './account-errors.ts';
import { type AccountInput, useCreateAccount } from './accounts-api.ts';

const EMPTY = {
  name: '',
  crmId: '',
  domains: [] as string[],
  contactName: '',
  contactEmail: '',
  contactRole: '',
  notes: '',
};

/** New account: name, CRM id, email domains, a first contact, notes. API validation errors appear on the fields. */
export function CreateAccountModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose(): void;
  onCreated(account: Account): void;
}) {
  const { t } = useTranslation('accounts');
  const [form, setForm] = useState(EMPTY);
  const [nameMissing, setNameMissing] = useState(false);
  const create = useCreateAccount();
  const errors = accountFormErrors(t, create.error);
  const set = (key: keyof typeof EMPTY) => (value: string | string[]) => setForm((f) => ({ ...f, [key]: value }));
  const withContact = form.contactName.trim() || form.contactEmail.trim();

  const close = () => {
    setForm(EMPTY);
    setNameMissing(false);
    create.reset();
    onClose();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!form.name.trim()) {
      setNameMissing(true);
      return;
    }
    const input: AccountInput = {
      name: form.name.trim(),
      crmId: form.crmId.trim() || null,
      emailDomains: form.domains.map((d) => d.trim()).filter(Boolean),
      notes: form.notes,
      contacts: withContact
        ? [{ name: form.contactName.trim(), email: form.contactEmail.trim(), role: form.contactRole.trim() }]
        : [],
    };
    create.mutate(input, {
      onSuccess: (account) => {
        notifications.show({ color: 'green', message: t('create.done', { name: account.name }) });
        close();
        onCreated(account);
      },
    });
  };

  return (
    <Modal opened={opened} onClose={close} title={t('create.title')} size="lg" radius="lg">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {errors.general && (
            <Alert color="red" variant="light" role="alert">
              {errors.general}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('fields.name')}
              required
              data-autofocus
              value={form.name}
              onChange={(e) => {
                set('name')(e.currentTarget.value);
                setNameMissing(false);
              }}
              error={nameMissing ? t('errors.name') : errors.fields.name}
            />
            <TextInput
              label={t('fields.crmId')}
              description={t('fields.crmIdHint')}
              value={form.crmId}
              onChange={(e) => set('crmId')(e.currentTarget.value)}
              error={errors.fields.crmId}
            />
          </SimpleGrid>
          <TagsInput
            label={t('fields.emailDomains')}
            description={t('fields.emailDomainsHint')}
            placeholder="acme.com"
            value={form.domains}
            onChange={set('domains')}
            splitChars={[',', ' ', ';']}
            clearable
            error={errors.fields.emailDomains}
          />
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t('fields.firstContact')}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <TextInput
                aria-label={t('fields.contactName')}
                placeholder={t('contacts.name')}
                value={form.contactName}
                onChange={(e) => set('contactName')(e.currentTarget.value)}
                error={errors.fields['contacts.0.name']}
              />
              <TextInput
                aria-label={t('fields.contactEmail')}
                placeholder={t('contacts.email')}
                type="email"
                value={form.contactEmail}
                onChange={(e) => set('contactEmail')(e.currentTarget.value)}
                error={errors.fields['contacts.0.email']}
              />
              <TextInput
                aria-label={t('fields.contactRole')}
                placeholder={t('contacts.rolePlaceholder')}
                value={form.contactRole}
                onChange={(e) => set('contactRole')(e.currentTarget.value)}
                error={errors.fields['contacts.0.role']}
              />
            </SimpleGrid>
          </div>
          <Textarea
            label={t('fields.notes')}
            autosize
            minRows={2}
            maxRows={6}
            value={form.notes}
            onChange={(e) => set('notes')(e.currentTarget.value)}
            error={errors.fields.notes}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              {t('common:cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('create.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
