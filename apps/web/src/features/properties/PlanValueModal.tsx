import { Alert, Button, Group, Modal, Radio, Select, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors.ts';
import { errorMessage, notifySuccess } from '../../components/notify.tsx';
import type { PropertyDef } from '../entitlements/entitlements-types.ts';
import { useValueText } from '../entitlements/ValueDisplay.tsx';
import { ValueField } from '../entitlements/ValueField.tsx';
import { canSetEnforcementOnly, type PlanValueForm, planValueBody, planValueFormOf } from './plan-matrix.ts';
import { type PlanProperties, type PlanPropertyValue, useRemovePlanValue, useSetPlanValue } from './properties-api.ts';

export interface PlanValueRequest {
  plan: PlanProperties['plan'];
  def: PropertyDef;
  row: PlanPropertyValue;
}

type Errors = Partial<Record<'value' | 'enforcement' | 'general', string>>;

/** The server's answer on the fields (`/body/value/1` → the value), else one general message. */
function errorsOf(err: unknown): Errors {
  const out: Errors = {};
  if (isApiError(err) && err.status >= 400 && err.status < 500) {
    for (const [field, message] of Object.entries(err.fieldErrors())) {
      const key = field.split('.')[0];
      if (key === 'value' || key === 'enforcement') out[key] ??= message;
    }
  }
  return Object.keys(out).length > 0 ? out : { general: errorMessage(err) };
}

/** Set a plan's value of one property (and, for numbers, its enforcement), or remove it (the plan inherits again). */
export function PlanValueModal({ request, onClose }: { request: PlanValueRequest | null; onClose: () => void }) {
  const { t } = useTranslation('properties');
  const { t: tValues } = useTranslation('entitlements');
  const { t: tCommon } = useTranslation();
  const valueText = useValueText();
  const set = useSetPlanValue();
  const remove = useRemovePlanValue();
  const [form, setForm] = useState<PlanValueForm | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  useEffect(() => {
    setErrors({});
    setForm(request ? planValueFormOf(request.def, request.row) : null);
  }, [request]);
  if (!request || !form) return <Modal opened={false} onClose={onClose} />;

  const { plan, def, row } = request;
  const base = plan.basePlan;
  const text = (v: unknown) => valueText(def.type, v, def.unit);
  const onlyEnforcement = canSetEnforcementOnly(def, base !== null);
  const baseName = base?.name ?? t('planValue.defaultName');
  const patch = (p: Partial<PlanValueForm>) => setForm({ ...form, ...p });
  const propertyEnforcement = t(`enforcement.${def.enforcement ?? 'hard'}`);
  const inheritedEnforcement = row.basePlanValue?.enforcement
    ? t(`enforcement.${row.basePlanValue.enforcement}`)
    : propertyEnforcement;

  const save = () => {
    const built = planValueBody(def, form);
    if (!built.ok) {
      setErrors(
        built.field === 'value'
          ? { value: tValues(`form.valueError.${built.error}`) }
          : { enforcement: t('planValue.enforcementRequired') },
      );
      return;
    }
    setErrors({});
    set.mutate(
      { planId: plan.id, propertyId: def.id, body: built.body },
      {
        onSuccess: () => {
          notifySuccess(t('planValue.saved', { property: def.name, plan: plan.name }), 'toast-plan-value');
          onClose();
        },
        onError: (err) => setErrors(errorsOf(err)),
      },
    );
  };
  const removeValue = () =>
    remove.mutate(
      { planId: plan.id, propertyId: def.id },
      {
        onSuccess: () => {
          notifySuccess(t('planValue.removed', { property: def.name, plan: plan.name }), 'toast-plan-value');
          onClose();
        },
        onError: (err) => setErrors({ general: errorMessage(err) }),
      },
    );

  const enforcementChoices = [
    ...(form.mode === 'value'
      ? [{ value: 'inherit', label: t('planValue.enforcementInherit', { enforcement: inheritedEnforcement }) }]
      : []),
    { value: 'hard', label: t('enforcement.hard') },
    { value: 'soft', label: t('enforcement.soft') },
  ];

  return (
    <Modal
      opened
      onClose={onClose}
      title={t('planValue.title', { property: def.name, plan: plan.name })}
      centered
      size="lg"
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
        noValidate
        data-testid="plan-value-form"
      >
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {base
              ? row.basePlanValue && !row.basePlanValue.inheritsValue
                ? t('planValue.baseSets', { plan: base.name, value: text(row.basePlanValue.value) })
                : t('planValue.baseSetsNothing', { plan: base.name, value: text(row.defaultValue) })
              : t('planValue.defaultIs', { value: text(row.defaultValue) })}
          </Text>
          {(onlyEnforcement || form.mode === 'enforcementOnly') && (
            <Radio.Group
              label={t('planValue.mode')}
              value={form.mode}
              onChange={(v) => {
                const mode = v === 'enforcementOnly' ? 'enforcementOnly' : 'value';
                const enforcement =
                  mode === 'enforcementOnly' && form.enforcement === 'inherit' ? 'soft' : form.enforcement;
                patch({ mode, enforcement });
              }}
            >
              <Stack gap={6} mt={6}>
                <Radio value="value" label={t('planValue.modeValue')} data-testid="plan-value-mode-value" />
                <Radio
                  value="enforcementOnly"
                  label={t('planValue.modeEnforcementOnly', { plan: baseName })}
                  description={t('planValue.modeEnforcementOnlyHint', { plan: baseName })}
                  data-testid="plan-value-mode-enforcement"
                />
              </Stack>
            </Radio.Group>
          )}
          {form.mode === 'value' && (
            <ValueField
              def={def}
              draft={form.draft}
              onChange={(draft) => patch({ draft })}
              error={errors.value}
              label={t('planValue.value', { plan: plan.name })}
            />
          )}
          {def.type === 'number' && (
            <Select
              label={t('form.enforcement')}
              description={t('form.enforcementHint')}
              data={enforcementChoices}
              value={form.enforcement}
              onChange={(v) => patch({ enforcement: (v ?? 'inherit') as PlanValueForm['enforcement'] })}
              allowDeselect={false}
              error={errors.enforcement}
              comboboxProps={{ withinPortal: true }}
              data-testid="plan-value-enforcement"
            />
          )}
          {errors.general && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="plan-value-error">
              {errors.general}
            </Alert>
          )}
          <Group justify="space-between" gap="sm">
            <div>
              {row.planValue && (
                <Button
                  variant="subtle"
                  color="red"
                  loading={remove.isPending}
                  onClick={removeValue}
                  data-testid="plan-value-remove"
                >
                  {base ? t('planValue.removeInherit', { plan: base.name }) : t('planValue.removeDefault')}
                </Button>
              )}
            </div>
            <Group gap="sm">
              <Button variant="default" onClick={onClose}>
                {tCommon('cancel')}
              </Button>
              <Button type="submit" loading={set.isPending} data-testid="plan-value-save">
                {tCommon('save')}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
