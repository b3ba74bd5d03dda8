import { Modal, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { FormActions } from '../../components/FormActions.tsx';
import { errorMessage, fieldErrorsOf } from '../../components/notify.tsx';
import { FLAG_KEY } from './flag-form.ts';
import { createFlag, useInvalidateFlags } from './flags-api.ts';
import { FLAG_TYPES, type FlagType } from './flags-types.ts';
import { ProductSelect } from './ProductSelect.tsx';

/** "New flag": product, key (the server's FlagKey rule), type, description → created off, then its page. */
export function NewFlagModal({
  opened,
  productId,
  onClose,
}: {
  opened: boolean;
  productId: string | null;
  onClose(): void;
}) {
  const { t } = useTranslation('flags');
  const navigate = useNavigate();
  const invalidate = useInvalidateFlags();
  const [product, setProduct] = useState<string | null>(productId);
  const [key, setKey] = useState('');
  const [type, setType] = useState<FlagType>('release');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setProduct(productId);
    setKey('');
    setType('release');
    setDescription('');
    setErrors({});
  }, [opened, productId]);

  const submit = async () => {
    const problems: Record<string, string> = {};
    if (!product) problems.productId = t('new.productRequired');
    if (!FLAG_KEY.test(key)) problems.key = key ? t('new.keyInvalid') : t('new.keyRequired');
    setErrors(problems);
    if (Object.keys(problems).length > 0 || !product) return;
    setBusy(true);
    try {
      const flag = await createFlag({ productId: product, key, type, description: description.trim() });
      invalidate();
      onClose();
      void navigate(`/flags/${flag.id}`);
    } catch (err) {
      const fields = fieldErrorsOf(err);
      setErrors(Object.keys(fields).length > 0 ? fields : { general: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('new.title')} centered>
      <form
        noValidate
        data-testid="new-flag-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="md">
          <ProductSelect
            label={t('fields.product')}
            withAsterisk
            value={product}
            onChange={setProduct}
            error={errors.productId}
            data-testid="new-flag-product"
          />
          <TextInput
            label={t('fields.key')}
            description={t('new.keyHint')}
            withAsterisk
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            value={key}
            onChange={(e) => setKey(e.currentTarget.value.trim())}
            error={errors.key}
            maxLength={100}
            data-autofocus
            data-testid="new-flag-key"
          />
          <Select
            label={t('fields.type')}
            data={FLAG_TYPES.map((v) => ({ value: v, label: t(`types.${v}`) }))}
            value={type}
            onChange={(v) => v && setType(v as FlagType)}
            allowDeselect={false}
            error={errors.type}
          />
          <Textarea
            label={t('fields.description')}
            autosize
            minRows={2}
            maxLength={2000}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={errors.description}
          />
          <FormActions
            error={errors.general}
            onCancel={onClose}
            submitLabel={t('new.create')}
            busy={busy}
            submitTestId="new-flag-save"
          />
        </Stack>
      </form>
    </Modal>
  );
}
