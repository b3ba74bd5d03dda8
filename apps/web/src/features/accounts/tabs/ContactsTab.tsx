import { ActionIcon, Alert, Anchor, Button, Group, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAddressBookOff, IconPlus, IconTrash } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account, Contact } from '../../../api/types.ts';
import { useCan } from '../../../auth/auth-context.ts';
import { EmptyHint } from '../../../components/EmptyHint.tsx';
import { accountFormErrors } from '../account-errors.ts';
import { useUpdateAccount } from '../accounts-api.ts';

const NEW = { name: '', email: '', role: '' };

/** The account's contacts; managers may add and remove them (saved as the whole list, PATCH contacts). */
export function ContactsTab({ account }: { account: Account }) {
  const { t } = useTranslation('accounts');
  const canEdit = useCan('account.edit');
  const update = useUpdateAccount(account.id);
  const [draft, setDraft] = useState(NEW);
  const index = account.contacts.length;
  const errors = accountFormErrors(t, update.error);

  const save = (contacts: Contact[], message: string, after?: () => void) =>
    update.mutate(
      { contacts },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message });
          after?.();
        },
      },
    );

  const add = (event: FormEvent) => {
    event.preventDefault();
    const contact = { name: draft.name.trim(), email: draft.email.trim(), role: draft.role.trim() };
    save([...account.contacts, contact], t('contacts.added', { name: contact.name }), () => setDraft(NEW));
  };

  return (
    <Stack gap="md">
      {account.contacts.length === 0 ? (
        <EmptyHint icon={<IconAddressBookOff size={26} />} title={t('contacts.empty')} />
      ) : (
        <Table verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('contacts.name')}</Table.Th>
              <Table.Th>{t('contacts.email')}</Table.Th>
              <Table.Th>{t('contacts.role')}</Table.Th>
              {canEdit && <Table.Th w={48} />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {account.contacts.map((c, i) => (
              <Table.Tr key={`${c.email}\u0000${c.name}\u0000${c.role}`}>
                <Table.Td fw={600}>{c.name}</Table.Td>
                <Table.Td>
                  <Anchor href={`mailto:${c.email}`} size="sm">
                    {c.email}
                  </Anchor>
                </Table.Td>
                <Table.Td>{c.role || <Text c="dimmed">—</Text>}</Table.Td>
                {canEdit && (
                  <Table.Td>
                    <Tooltip label={t('contacts.remove')} withArrow>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('contacts.removeNamed', { name: c.name })}
                        loading={update.isPending}
                        onClick={() =>
                          save(
                            account.contacts.filter((_, k) => k !== i),
                            t('contacts.removed', { name: c.name }),
                          )
                        }
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {canEdit && (
        <form onSubmit={add} noValidate>
          {errors.general && (
            <Alert color="red" variant="light" mb="sm">
              {errors.general}
            </Alert>
          )}
          <Group align="flex-start" gap="sm" wrap="wrap">
            <TextInput
              style={{ flex: '1 1 160px' }}
              aria-label={t('fields.contactName')}
              placeholder={t('contacts.name')}
              value={draft.name}
              onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
              error={errors.fields[`contacts.${index}.name`]}
            />
            <TextInput
              style={{ flex: '1 1 200px' }}
              aria-label={t('fields.contactEmail')}
              placeholder={t('contacts.email')}
              type="email"
              value={draft.email}
              onChange={(e) => setDraft({ ...draft, email: e.currentTarget.value })}
              error={errors.fields[`contacts.${index}.email`]}
            />
            <TextInput
              style={{ flex: '1 1 140px' }}
              aria-label={t('fields.contactRole')}
              placeholder={t('contacts.rolePlaceholder')}
              value={draft.role}
              onChange={(e) => setDraft({ ...draft, role: e.currentTarget.value })}
            />
            <Button
              type="submit"
              variant="light"
              leftSection={<IconPlus size={16} />}
              disabled={!draft.name.trim() || !draft.email.trim()}
              loading={update.isPending}
            >
              {t('contacts.add')}
            </Button>
          </Group>
        </form>
      )}
    </Stack>
  );
}
