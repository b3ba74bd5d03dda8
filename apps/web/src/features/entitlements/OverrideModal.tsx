import { Alert, Button, Group, Input, Modal, SegmentedControl, Select, Stack, Text, Textarea } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconAlertTriangle, IconCalendar, IconInfoCircle } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors.ts';
import { errorMessage } from '../../components/notify.tsx';
import type { Enforcement, Override, PropertyDef, Target, ValueSource } from './entitlements-types.ts';
import { overrideLine, sourceLabel } from './SourceBadge.tsx';
import { useOverrideActions } from './use-entitlement-actions.ts';
import { useValueText } from './ValueDisplay.tsx';
import { ValueField } from './ValueField.tsx';
import { dateOf, draftOf, endOfDay, type ValueDraft, valueOfDraft } from './values.ts';

type TargetKind = Target['kind'];

export interface OverrideRequest {
  def: PropertyDef;
  /** The value in force now and where it comes from ("Now: …"). */
  current: { value: unknown; source: ValueSource | null } | null;
  /** Prefill, e.g. the flipped boolean of a switch; else the target's override, else the current value. */
  initialValue?: unknown;
  initialTarget: TargetKind;
}

export interface OverrideTargets {
  /** Absent on the account page: only the account can be chosen. */
  license?: { id: string };
  account: { id: string; name: string };
}

interface FormState {
  target: TargetKind;
  draft: ValueDraft;
  enforcement: 'inherit' | Enforcement;
  reason: string;
  expiry: string | null;
}

type Errors = Partial<Record<'value' | 'reason' | 'expiresAt' | 'general', string>>;

/** The API's answer as messages on the fields (its details' paths), or one general message. */
function errorsOf(t: (k: string) => string, err: unknown): Errors {
  if (!isApiError(err)) return { general: errorMessage(err) };
  if (err.code === 'OVERRIDE_REASON_REQUIRED') return { reason: t('form.reasonRequired') };
  if (err.code === 'OVERRIDE_EXPIRY_PAST') return { expiresAt: t('form.expiryPast') };
  const out: Errors = {};
  for (const [field, message] of Object.entries(err.fieldErrors())) {
    const key = field.split('.')[0];
    if (key === 'value' || key === 'reason' || key === 'expiresAt') out[key] ??= message;
  }
  return Object.keys(out).length ? out : { general: errorMessage(err) };
}

/** Set, change or remove an override of one property for this license or its account: reason required. */
export function OverrideModal({
  request,
  targets,
  existing,
  onClose,
}: {
  request: OverrideRequest | null;
  targets: OverrideTargets;
  existing: (propertyId: string, target: TargetKind) => Override | undefined;
  onClose(): void;
}) {
  const { t } = useTranslation('entitlements');
  const actions = useOverrideActions();
  const valueText = useValueText();
  const [form, setForm] = useState<FormState | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [confirmRemove, setConfirmRemove] = useState(false);

  const stateFor = (r: OverrideRequest, target: TargetKind, initial?: unknown): FormState => {
    const o = existing(r.def.id, target);
    const value = initial !== undefined ? initial : o ? o.value : (r.current?.value ?? r.def.defaultValue);
    return {
      target,
      draft: draftOf(r.def, value),
      enforcement: o?.enforcement ?? 'inherit',
      reason: o?.reason ?? '',
      expiry: o?.expiresAt ? dateOf(o.expiresAt) : null,
    };
  };

  // A new request (another property, or the same again): start from its prefill.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the request changes
  useEffect(() => {
    setErrors({});
    setConfirmRemove(false);
    setForm(request ? stateFor(request, request.initialTarget, request.initialValue) : null);
  }, [request]);

  if (!request || !form) return <Modal opened={false} onClose={onClose} />;
  const { def } = request;
  const target: Target =
    form.target === 'license' && targets.license
      ? { kind: 'license', id: targets.license.id }
      : { kind: 'account', id: targets.account.id };
  const current = existing(def.id, target.kind);
  const patch = (p: Partial<FormState>) => setForm({ ...form, ...p });

  const submit = async () => {
    const parsed = valueOfDraft(def, form.draft);
    const next: Errors = {};
    if (!parsed.ok) next.value = t(`form.valueError.${parsed.error}`);
    if (!form.reason.trim()) next.reason = t('form.reasonRequired');
    setErrors(next);
    if (!parsed.ok || next.reason) return;
    const enforcement = def.type === 'number' && form.enforcement !== 'inherit' ? form.enforcement : null;
    try {
      await actions.save(def, target, current, {
        value: parsed.value,
        reason: form.reason.trim(),
        ...(current
          ? { enforcement, expiresAt: form.expiry ? endOfDay(form.expiry) : null }
          : { ...(enforcement ? { enforcement } : {}), ...(form.expiry ? { expiresAt: endOfDay(form.expiry) } : {}) }),
      });
      onClose();
    } catch (err) {
      setErrors(errorsOf(t, err));
    }
  };

  const remove = async () => {
    if (!current) return;
    try {
      await actions.remove(def, target, current);
      onClose();
    } catch (err) {
      setErrors({ general: errorMessage(err) });
    }
  };

  const now = request.current;
  return (
    <Modal opened onClose={onClose} title={t('form.title', { name: def.name })} centered size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        noValidate
        data-testid="override-form"
      >
        <Stack gap="md">
          {def.description && (
            <Text size="sm" c="dimmed">
              {def.description}
            </Text>
          )}
          {now?.source && (
            <Text size="sm">
              {t('form.now', { value: valueText(def.type, now.value, def.unit), source: sourceLabel(t, now.source) })}
            </Text>
          )}
          {targets.license && (
            <Input.Wrapper label={t('form.target')}>
              <SegmentedControl
                mt={4}
                fullWidth
                value={form.target}
                onChange={(v) => {
                  setErrors({});
                  setConfirmRemove(false);
                  setForm(stateFor(request, v as TargetKind));
                }}
                data={[
                  { value: 'license', label: t('target.thisLicense') },
                  { value: 'account', label: t('target.wholeAccount', { name: targets.account.name }) },
                ]}
                aria-label={t('form.target')}
                data-testid="override-target"
              />
            </Input.Wrapper>
          )}
          {current && (
            <Alert variant="light" color="violet" icon={<IconInfoCircle size={18} />} data-testid="override-existing">
              {t('form.existing', {
                value: valueText(def.type, current.value, def.unit),
                details: overrideLine(t, { ...current, authorName: current.author.name }) ?? '',
              })}
            </Alert>
          )}
          <ValueField def={def} draft={form.draft} onChange={(draft) => patch({ draft })} error={errors.value} />
          {def.type === 'number' && (
            <Select
              label={t('form.enforcement')}
              description={t('form.enforcementHint')}
              data={(['inherit', 'hard', 'soft'] as const).map((value) => ({
                value,
                label: t(`form.enforcementOption.${value}`),
              }))}
              value={form.enforcement}
              onChange={(v) => patch({ enforcement: (v ?? 'inherit') as FormState['enforcement'] })}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
          )}
          <Textarea
            label={t('form.reason')}
            description={t('form.reasonHint')}
            placeholder={t('form.reasonPlaceholder')}
            withAsterisk
            autosize
            minRows={2}
            maxLength={1000}
            value={form.reason}
            onChange={(e) => patch({ reason: e.currentTarget.value })}
            error={errors.reason}
            data-testid="override-reason"
          />
          <DatePickerInput
            label={t('form.expiresAt')}
            description={t('form.expiresAtHint')}
            placeholder={t('form.noExpiry')}
            leftSection={<IconCalendar size={16} />}
            value={form.expiry}
            onChange={(v) => patch({ expiry: v ? String(v) : null })}
            minDate={dayjs().format('YYYY-MM-DD')}
            valueFormat="ll"
            clearable
            error={errors.expiresAt}
            popoverProps={{ withinPortal: true }}
            data-testid="override-expiry"
          />
          {errors.general && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="override-error">
              {errors.general}
            </Alert>
          )}
          {confirmRemove && current ? (
            <Alert color="red" variant="light" title={t('form.removeTitle')}>
              <Text size="sm">{t('form.removeText')}</Text>
              <Group justify="flex-end" gap="sm" mt="sm">
                <Button variant="default" size="xs" onClick={() => setConfirmRemove(false)}>
                  {t('cancel')}
                </Button>
                <Button
                  color="red"
                  size="xs"
                  loading={actions.busy}
                  onClick={() => void remove()}
                  data-testid="override-remove-confirm"
                >
                  {t('form.remove')}
                </Button>
              </Group>
            </Alert>
          ) : (
            <Group justify="space-between" gap="sm">
              <div>
                {current && (
                  <Button
                    variant="subtle"
                    color="red"
                    onClick={() => setConfirmRemove(true)}
                    data-testid="override-remove"
                  >
                    {t('form.remove')}
                  </Button>
                )}
              </div>
              <Group gap="sm">
                <Button variant="default" onClick={onClose}>
                  {t('cancel')}
                </Button>
                <Button type="submit" loading={actions.busy} data-testid="override-save">
                  {t('form.save')}
                </Button>
              </Group>
            </Group>
          )}
        </Stack>
      </form>
    </Modal>
  );
}
