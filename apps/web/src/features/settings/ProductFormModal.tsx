import { Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors.ts';
import { fieldErrorsOf } from '../../components/notify.tsx';
import { notifyFailed, notifySaved } from './notify.ts';
import { type Product, useSaveProduct } from './settings-api.ts';

const CODE = /^[A-Z][A-Z0-9]{1,11}$/;

/** Create a product (code, name, description) or edit one (the code prefixes its keys: it never changes). */
export function ProductFormModal({
  opened,
  product,
  onClose,
}: {
  opened: boolean;
  product: Product | null;
  onClose: () => void;
}) {
  const { t } = useTranslation('settings');
  const { t: tCommon } = useTranslation();
  const save = useSaveProduct();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  useEffect(() => {
    if (!opened) return;
    setCode(product?.code ?? '');
    setName(product?.name ?? '');
    setDescription(product?.description ?? '');
  }, [opened, product]);
  const fields = fieldErrorsOf(save.error);
  const codeTaken = isApiError(save.error) && save.error.status === 409;
  const badCode = code.length > 0 && !CODE.test(code);

  const close = () => {
    save.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      { ...(product ? { id: product.id } : {}), code, name: name.trim(), description },
      {
        onSuccess: (p) => {
          notifySaved(t('catalog.productSaved', { name: p.name }));
          close();
        },
        onError: (err) =>
          Object.keys(fieldErrorsOf(err)).length === 0 && !(isApiError(err) && err.status === 409) && notifyFailed(err),
      },
    );
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={product ? t('catalog.editProduct', { name: product.name }) : t('catalog.newProduct')}
      centered
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput
            label={t('catalog.code')}
            description={t('catalog.codeHelp')}
            required
            disabled={product !== null}
            data-autofocus
            value={code}
            onChange={(e) => setCode(e.currentTarget.value.toUpperCase())}
            error={badCode || fields.code ? t('catalog.codeInvalid') : codeTaken ? t('catalog.codeTaken') : undefined}
            maxLength={12}
            ff="monospace"
          />
          <TextInput
            label={t('catalog.productName')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fields.name}
          />
          <Textarea
            label={t('catalog.description')}
            autosize
            minRows={2}
            maxRows={6}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={fields.description}
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={close}>
              {tCommon('cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!name.trim() || !CODE.test(code)}>
              {tCommon('save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
