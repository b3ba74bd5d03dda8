import {
  Alert,
  Button,
  Checkbox,
  Group,
  Input,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, notifySuccess } from '../../components/notify.tsx';
import type { PropertyDef, PropertyType, ResetPeriod } from '../entitlements/entitlements-types.ts';
import { ValueField } from '../entitlements/ValueField.tsx';
import type { Product } from '../settings/settings-api.ts';
import { useSaveProperty } from './properties-api.ts';
import {
  bodyOf,
  emptyForm,
  type FormErrors,
  formErrorsOf,
  formOf,
  PROPERTY_TYPES,
  type PropertyForm,
  patchOf,
  RESET_PERIODS,
  rulesOf,
  withOptions,
  withType,
} from './property-form.ts';

/** The fields only number properties have: unit, enforcement, warning threshold, metering and its reset. */
function NumberFields({
  form,
  errors,
  patch,
}: {
  form: PropertyForm;
  errors: FormErrors;
  patch: (p: Partial<PropertyForm>) => void;
}) {
  const { t } = useTranslation('properties');
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput
          label={t('form.unit')}
          description={t('form.unitHint')}
          placeholder={t('form.unitPlaceholder')}
          value={form.unit}
          onChange={(e) => patch({ unit: e.currentTarget.value })}
          maxLength={50}
          error={errors.unit}
          data-testid="property-unit"
        />
        <NumberInput
          label={t('form.warningThreshold')}
          description={t('form.warningThresholdHint')}
          placeholder={t('form.noWarning')}
          value={form.warningThreshold}
          onChange={(v) => patch({ warningThreshold: v })}
          allowDecimal={false}
          clampBehavior="none"
          rightSection="%"
          error={errors.warningThresholdPercent}
          data-testid="property-threshold"
        />
      </SimpleGrid>
      <Input.Wrapper label={t('form.enforcement')} description={t('form.enforcementHint')} error={errors.enforcement}>
        <SegmentedControl
          mt={4}
          value={form.enforcement}
          onChange={(v) => patch({ enforcement: v === 'soft' ? 'soft' : 'hard' })}
          data={[
            { value: 'hard', label: t('enforcement.hard') },
            { value: 'soft', label: t('enforcement.soft') },
          ]}
          aria-label={t('form.enforcement')}
          data-testid="property-enforcement-input"
        />
      </Input.Wrapper>
      <Group gap="lg" align="flex-start">
        <Switch
          mt={30}
          label={t('form.metered')}
          description={t('form.meteredHint')}
          checked={form.metered}
          onChange={(e) => patch({ metered: e.currentTarget.checked })}
          error={errors.metered}
          data-testid="property-metered"
        />
        {form.metered && (
          <Select
            label={t('form.resetPeriod')}
            w={200}
            data={RESET_PERIODS.map((value) => ({ value, label: t(`resetPeriod.${value}`) }))}
            value={form.resetPeriod}
            onChange={(v) => patch({ resetPeriod: (v ?? 'none') as ResetPeriod })}
            allowDeselect={false}
            error={errors.resetPeriod}
            comboboxProps={{ withinPortal: true }}
            data-testid="property-reset"
          />
        )}
      </Group>
    </>
  );
}

/** Define a property of the product, or edit one (its key and type stay as created). */
export function PropertyFormModal({
  opened,
  property,
  product,
  onClose,
}: {
  opened: boolean;
  property: PropertyDef | null;
  product: Product;
  onClose: () => void;
}) {
  const { t } = useTranslation('properties');
  const { t: tValues } = useTranslation('entitlements');
  const { t: tCommon } = useTranslation();
  const save = useSaveProperty();
  const [form, setForm] = useState<PropertyForm>(emptyForm);
  const [errors, setErrors] = useState<FormErrors>({});
  useEffect(() => {
    if (!opened) return;
    setForm(property ? formOf(property) : emptyForm());
    setErrors({});
  }, [opened, property]);
  const patch = (p: Partial<PropertyForm>) => setForm((f) => ({ ...f, ...p }));
  const editing = property !== null;

  const close = () => {
    save.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const built = bodyOf(form);
    if (!built.ok) {
      setErrors({ defaultValue: tValues(`form.valueError.${built.error}`) });
      return;
    }
    const body = property ? patchOf(property, built.body) : built.body;
    if (Object.keys(body).length === 0) return close();
    setErrors({});
    save.mutate(
      { id: property?.id ?? null, productId: product.id, body },
      {
        onSuccess: (saved) => {
          notifySuccess(
            t(editing ? 'form.updated' : 'form.created', { name: saved.name, key: saved.key }),
            'toast-property-saved',
          );
          close();
        },
        onError: (err) => setErrors(formErrorsOf(err, t, errorMessage(err))),
      },
    );
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={property ? t('form.editTitle', { name: property.name }) : t('form.newTitle', { product: product.name })}
      centered
      size="lg"
    >
      <form onSubmit={submit} noValidate data-testid="property-form">
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label={t('form.key')}
              description={editing ? t('form.keyFixed') : t('form.keyHint')}
              placeholder="api_calls"
              required
              disabled={editing}
              data-autofocus
              value={form.key}
              onChange={(e) => patch({ key: e.currentTarget.value })}
              error={errors.key}
              maxLength={64}
              ff="monospace"
              data-testid="property-key"
            />
            <TextInput
              label={t('form.name')}
              description={t('form.nameHint')}
              placeholder={t('form.namePlaceholder')}
              required
              value={form.name}
              onChange={(e) => patch({ name: e.currentTarget.value })}
              error={errors.name}
              maxLength={200}
              data-testid="property-name"
            />
          </SimpleGrid>
          <Textarea
            label={t('form.description')}
            autosize
            minRows={2}
            maxRows={5}
            value={form.description}
            onChange={(e) => patch({ description: e.currentTarget.value })}
            error={errors.description}
            maxLength={2000}
          />
          <Input.Wrapper
            label={t('form.type')}
            description={editing ? t('form.typeFixed') : t('form.typeHint')}
            error={errors.type}
          >
            <SegmentedControl
              mt={4}
              fullWidth
              disabled={editing}
              value={form.type}
              onChange={(v) => setForm((f) => withType(f, v as PropertyType))}
              data={PROPERTY_TYPES.map((value) => ({ value, label: t(`types.${value}`) }))}
              aria-label={t('form.type')}
              data-testid="property-type"
            />
          </Input.Wrapper>
          {form.type === 'enum' && (
            <>
              <TagsInput
                label={t('form.options')}
                description={t('form.optionsHint')}
                value={form.options}
                onChange={(options) => setForm((f) => withOptions(f, options))}
                error={errors.options}
                clearable
                data-testid="property-options"
              />
              <Checkbox
                label={t('form.multiple')}
                description={t('form.multipleHint')}
                checked={form.multiple}
                onChange={(e) => patch({ multiple: e.currentTarget.checked })}
                error={errors.multiple}
              />
            </>
          )}
          {form.type === 'number' && <NumberFields form={form} errors={errors} patch={patch} />}
          {!(form.type === 'enum' && form.options.length === 0) && (
            <ValueField
              def={rulesOf(form)}
              draft={form.defaultDraft}
              onChange={(defaultDraft) => patch({ defaultDraft })}
              error={errors.defaultValue}
              label={t('form.defaultValue')}
            />
          )}
          {errors.general && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="property-error">
              {errors.general}
            </Alert>
          )}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={close}>
              {tCommon('cancel')}
            </Button>
            <Button
              type="submit"
              loading={save.isPending}
              disabled={!form.key.trim() || !form.name.trim()}
              data-testid="property-save"
            >
              {editing ? tCommon('save') : t('form.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
