import { Anchor, Breadcrumbs, Card, Stepper, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../api/errors.ts';
import { useQueryParams } from '../../app/use-query-params.ts';
import { useCan } from '../../auth/auth-context.ts';
import { errorMessage } from '../../components/notify.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { CreatedLicense } from './CreatedLicense.tsx';
import { defaultsFromPlan } from './form-defaults.ts';
import { LicenseFormStep } from './LicenseFormStep.tsx';
import { type LicenseDetail, useAccountById, useCreateLicense, usePlans } from './licenses-api.ts';
import { buildCreateBody, formErrors, type NewLicenseForm } from './new-license-form.ts';
import { PickStep } from './PickStep.tsx';

const emptyForm = (): Omit<NewLicenseForm, 'licenseType' | 'startDate' | 'endDate' | 'maxMachines'> => ({
  name: '',
  domains: [],
  paymentStatus: null,
  purchaseMethod: '',
  orderReference: '',
  invoiceUrl: '',
  notes: '',
});

type Errors = ReturnType<typeof formErrors>;

/** The schema's pattern and format messages in words (other API messages are already readable). */
function friendlier(errors: Errors, t: (key: string) => string): Errors {
  const out = { ...errors };
  if (out.domains?.startsWith('must match')) out.domains = t('new.invalidDomain');
  if (out.invoiceUrl?.startsWith('must match')) out.invoiceUrl = t('new.invalidUrl');
  return out;
}

/** "New license" in two steps: account and plan, then the license pre-filled from the plan. */
export function NewLicensePage() {
  const { t } = useTranslation('licenses');
  const canIssue = useCan('license.issue');
  const { params, update } = useQueryParams();
  const accountId = params.get('accountId');
  const planId = params.get('planId');
  const [step, setStep] = useState(0);
  const [form, setForm] = useState<NewLicenseForm | null>(null);
  const [created, setCreated] = useState<LicenseDetail | null>(null);
  const plans = usePlans();
  const account = useAccountById(accountId);
  const create = useCreateLicense();
  const plan = plans.data?.data.find((p) => p.id === planId);

  const setParam = (name: string, value: string | null) => update({ [name]: value });

  const toForm = () => {
    if (!plan) return;
    setForm({ ...emptyForm(), ...(form ?? {}), ...defaultsFromPlan(plan, new Date()) });
    create.reset();
    setStep(1);
  };

  const submit = () => {
    if (!form || !plan || !accountId) return;
    create.mutate(buildCreateBody({ accountId, planId: plan.id }, form, new Date()), {
      onSuccess: (license) => {
        setCreated(license);
        setStep(2);
      },
    });
  };

  const errors = create.error
    ? isApiError(create.error) && create.error.details.length > 0
      ? friendlier(formErrors(create.error.details), t)
      : { form: errorMessage(create.error) }
    : {};

  return (
    <>
      <Breadcrumbs mb="xs" fz="sm">
        <Anchor component={Link} to="/licenses">
          {t('title')}
        </Anchor>
        <Text size="sm">{t('new.title')}</Text>
      </Breadcrumbs>
      <PageHeader title={t('new.title')} subtitle={t('new.subtitle')} />
      {!canIssue ? (
        <Text c="dimmed">{t('new.notAllowed')}</Text>
      ) : (
        <Card withBorder radius="lg" padding="lg">
          <Stepper active={step} onStepClick={(s) => s < step && step < 2 && setStep(s)} size="sm" mb="xl">
            <Stepper.Step label={t('new.step1')} description={t('new.step1Hint')} />
            <Stepper.Step label={t('new.step2')} description={t('new.step2Hint')} />
            <Stepper.Step label={t('new.step3')} description={t('new.step3Hint')} />
          </Stepper>
          {step === 0 && (
            <PickStep
              accountId={accountId}
              planId={planId}
              plans={{
                data: plans.data?.data ?? [],
                error: plans.error,
                loading: plans.isPending,
                retry: () => void plans.refetch(),
              }}
              onAccount={(id) => setParam('accountId', id)}
              onPlan={(id) => setParam('planId', id)}
              onNext={toForm}
            />
          )}
          {step === 1 && form && plan && (
            <LicenseFormStep
              plan={plan}
              accountName={account.data?.name ?? ''}
              form={form}
              errors={errors}
              submitting={create.isPending}
              onChange={(patch) => setForm((f) => (f ? { ...f, ...patch } : f))}
              onBack={() => setStep(0)}
              onSubmit={submit}
            />
          )}
          {step === 2 && created && (
            <CreatedLicense
              license={created}
              onAnother={() => {
                setCreated(null);
                setForm(null);
                create.reset();
                setStep(0);
              }}
            />
          )}
        </Card>
      )}
    </>
  );
}
