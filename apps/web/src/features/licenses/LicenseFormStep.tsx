import {
  Alert,
  Button,
  Checkbox,
  Divider,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconArrowLeft, IconCalendar, IconCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { LicenseType } from '../../api/types.ts';
import { daysBetween, endDateFor } from './form-defaults.ts';
import { LICENSE_TYPES } from './license-filters.ts';
import { PAYMENT_STATUSES, type PaymentStatus, type Plan } from './licenses-api.ts';
import type { NewLicenseForm } from './new-license-form.ts';

type Errors = Partial<Record<keyof NewLicenseForm | 'form', string>>;

interface Props {
  plan: Plan;
  accountName: string;
  form: NewLicenseForm;
  errors: Errors;
  submitting: boolean;
  onChange(patch: Partial<NewLicenseForm>): void;
  onBack(): void;
  onSubmit(): void;
}

/** Step 2: the license, pre-filled from the plan; adjust and issue. */
export function LicenseFormStep({ plan, accountName, form, errors, submitting, onChange, onBack, onSubmit }: Props) {
  const { t } = useTranslation('licenses');
  const never = form.endDate === null;
  const unlimited = form.maxMachines === null;
  const length = form.endDate ? daysBetween(form.startDate, form.endDate) : null;

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <Stack gap="md" maw={760}>
        <Text size="sm" c="dimmed">
          {t('new.for', { account: accountName, product: plan.product.name, plan: plan.name })}
        </Text>
        {errors.form && (
          <Alert color="red" variant="light" title={t('new.failed')} data-testid="form-error">
            {errors.form}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput
            label={t('fields.name')}
            placeholder={t('new.namePlaceholder')}
            value={form.name}
            onChange={(e) => onChange({ name: e.currentTarget.value })}
            error={errors.name}
            maxLength={200}
            data-testid="field-name"
          />
          <Select
            label={t('fields.type')}
            data={LICENSE_TYPES.map((v) => ({ value: v, label: t(`type.${v}`) }))}
            value={form.licenseType}
            allowDeselect={false}
            onChange={(v) => v && onChange({ licenseType: v as LicenseType })}
            error={errors.licenseType}
            data-testid="field-type"
          />
          <DatePickerInput
            label={t('fields.startsAt')}
            leftSection={<IconCalendar size={16} />}
            valueFormat="ll"
            value={form.startDate}
            onChange={(v) => {
              if (!v) return;
              const start = String(v);
              // Moving the start keeps the plan's duration, unless the end was set by hand or is "never".
              const keep = form.endDate === endDateFor(form.startDate, plan.durationDays);
              onChange({ startDate: start, ...(keep ? { endDate: endDateFor(start, plan.durationDays) } : {}) });
            }}
            error={errors.startDate}
            data-testid="field-start"
          />
          <Stack gap={6}>
            <DatePickerInput
              label={t('fields.endsAt')}
              leftSection={<IconCalendar size={16} />}
              valueFormat="ll"
              placeholder={never ? t('never') : undefined}
              value={form.endDate}
              minDate={form.startDate}
              disabled={never}
              onChange={(v) => v && onChange({ endDate: String(v) })}
              error={errors.endDate}
              data-testid="field-end"
            />
            {length !== null && (
              <Text size="xs" c="dimmed" data-testid="field-length">
                {t('new.lengthDays', { count: length })}
              </Text>
            )}
            <Checkbox
              label={t('expiry.never')}
              checked={never}
              onChange={(e) =>
                onChange({
                  endDate: e.currentTarget.checked
                    ? null
                    : (endDateFor(form.startDate, plan.durationDays) ?? endDateFor(form.startDate, 365)),
                })
              }
              data-testid="field-never"
            />
          </Stack>
          <Stack gap={6}>
            <NumberInput
              label={t('fields.seats')}
              min={1}
              max={1_000_000}
              allowDecimal={false}
              value={form.maxMachines ?? ''}
              placeholder={unlimited ? t('plan.unlimited') : undefined}
              disabled={unlimited}
              onChange={(v) => onChange({ maxMachines: typeof v === 'number' ? v : null })}
              error={errors.maxMachines}
              data-testid="field-seats"
            />
            <Checkbox
              label={t('new.unlimitedSeats')}
              checked={unlimited}
              onChange={(e) => onChange({ maxMachines: e.currentTarget.checked ? null : (plan.maxMachines ?? 1) })}
            />
          </Stack>
          <TagsInput
            label={t('fields.domains')}
            description={t('new.domainsHint')}
            placeholder={form.domains.length ? undefined : 'app.example.com'}
            value={form.domains}
            onChange={(v) => onChange({ domains: v })}
            splitChars={[',', ' ']}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            error={errors.domains}
            clearable
            data-testid="field-domains"
          />
        </SimpleGrid>
        <Divider label={t('detail.billing')} labelPosition="left" mt="xs" />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <Select
            label={t('fields.paymentStatus')}
            placeholder={t('new.choose')}
            data={PAYMENT_STATUSES.map((v) => ({ value: v, label: t(`payment.${v}`) }))}
            value={form.paymentStatus}
            onChange={(v) => onChange({ paymentStatus: v as PaymentStatus | null })}
            clearable
            error={errors.paymentStatus}
            data-testid="field-payment-status"
          />
          <TextInput
            label={t('fields.purchaseMethod')}
            placeholder={t('new.purchaseMethodPlaceholder')}
            value={form.purchaseMethod}
            onChange={(e) => onChange({ purchaseMethod: e.currentTarget.value })}
            error={errors.purchaseMethod}
            maxLength={200}
          />
          <TextInput
            label={t('fields.orderReference')}
            value={form.orderReference}
            onChange={(e) => onChange({ orderReference: e.currentTarget.value })}
            error={errors.orderReference}
            maxLength={200}
          />
          <TextInput
            label={t('fields.invoiceUrl')}
            placeholder="https://"
            type="url"
            value={form.invoiceUrl}
            onChange={(e) => onChange({ invoiceUrl: e.currentTarget.value })}
            error={errors.invoiceUrl}
            data-testid="field-invoice-url"
          />
        </SimpleGrid>
        <Textarea
          label={t('detail.notes')}
          autosize
          minRows={3}
          maxRows={10}
          maxLength={10_000}
          value={form.notes}
          onChange={(e) => onChange({ notes: e.currentTarget.value })}
          error={errors.notes}
        />
        <Group justify="space-between">
          <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={onBack}>
            {t('new.back')}
          </Button>
          <Button type="submit" leftSection={<IconCheck size={16} />} loading={submitting} data-testid="new-submit">
            {t('new.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
