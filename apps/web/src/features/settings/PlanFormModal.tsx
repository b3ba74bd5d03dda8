import {
  Button,
  Fieldset,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LicenseType } from '../../api/types.ts';
import { fieldErrorsOf } from '../../components/notify.tsx';
import { notifyFailed, notifySaved } from './notify.ts';
import {
  type ExpirationStrategy,
  type KeyScheme,
  type Plan,
  type PlanFields,
  type Product,
  useSavePlan,
} from './settings-api.ts';

const TYPES: LicenseType[] = ['trial', 'subscription', 'perpetual', 'custom'];
const STRATEGIES: ExpirationStrategy[] = ['restrict', 'revoke', 'maintain', 'allow'];
const SCHEMES: KeyScheme[] = ['random', 'ed25519-signed'];
const ENTITLEMENT = /^[A-Za-z0-9_.:-]{1,64}$/;
const HOUR_SECONDS = 3_600;
const DAY_SECONDS = 24 * HOUR_SECONDS;

const DEFAULTS: PlanFields = {
  name: '',
  licenseType: 'subscription',
  durationDays: 365,
  graceDays: 0,
  maintenanceDays: null,
  maxMachines: null,
  floating: true,
  heartbeatIntervalSeconds: null,
  expirationStrategy: 'restrict',
  requireFingerprint: false,
  requireDomain: false,
  entitlements: [],
  keyScheme: 'random',
  maxOfflineSeconds: 30 * DAY_SECONDS,
  maxUnboundFiles: null,
  requireNonce: false,
};

const fieldsOf = (plan: Plan): PlanFields => ({
  name: plan.name,
  licenseType: plan.licenseType,
  durationDays: plan.durationDays,
  graceDays: plan.graceDays,
  maintenanceDays: plan.maintenanceDays,
  maxMachines: plan.maxMachines,
  floating: plan.floating,
  heartbeatIntervalSeconds: plan.heartbeatIntervalSeconds,
  expirationStrategy: plan.expirationStrategy,
  requireFingerprint: plan.requireFingerprint,
  requireDomain: plan.requireDomain,
  entitlements: plan.entitlements,
  keyScheme: plan.keyScheme,
  maxOfflineSeconds: plan.maxOfflineSeconds,
  maxUnboundFiles: plan.maxUnboundFiles,
  requireNonce: plan.requireNonce,
});

/** NumberInput's value as a whole number or null (empty = "none / unlimited / never"). */
const intOrNull = (v: string | number): number | null => (v === '' || v === null ? null : Math.trunc(Number(v)));

/**
 * Every field of a plan: type, duration, grace, maintenance, seats, floating, heartbeat, strategy, scopes,
 * entitlements, key scheme, and the offline limits (max offline period, fingerprint-less files, nonce).
 */
export function PlanFormModal({
  opened,
  plan,
  products,
  defaultProductId,
  onClose,
}: {
  opened: boolean;
  plan: Plan | null;
  products: Product[];
  defaultProductId?: string | null;
  onClose: () => void;
}) {
  const { t } = useTranslation('settings');
  const { t: tCommon } = useTranslation();
  const save = useSavePlan();
  const [productId, setProductId] = useState<string | null>(null);
  const [f, setF] = useState<PlanFields>(DEFAULTS);
  useEffect(() => {
    if (!opened) return;
    setProductId(plan?.productId ?? defaultProductId ?? products[0]?.id ?? null);
    setF(plan ? fieldsOf(plan) : DEFAULTS);
  }, [opened, plan, defaultProductId, products]);
  const set = <K extends keyof PlanFields>(key: K, value: PlanFields[K]) => setF((prev) => ({ ...prev, [key]: value }));
  const errors = fieldErrorsOf(save.error);
  const badEntitlements = f.entitlements.filter((e) => !ENTITLEMENT.test(e));

  const close = () => {
    save.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!productId) return;
    save.mutate(
      { ...(plan ? { id: plan.id } : {}), productId, ...f, name: f.name.trim() },
      {
        onSuccess: (p) => {
          notifySaved(t('catalog.planSaved', { name: p.name }));
          close();
        },
        onError: (err) => Object.keys(fieldErrorsOf(err)).length === 0 && notifyFailed(err),
      },
    );
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={plan ? t('catalog.editPlan', { name: plan.name }) : t('catalog.newPlan')}
      size="xl"
      centered
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('catalog.product')}
              required
              disabled={plan !== null}
              value={productId}
              onChange={setProductId}
              data={products.map((p) => ({ value: p.id, label: `${p.code} · ${p.name}` }))}
            />
            <TextInput
              label={t('catalog.planName')}
              required
              data-autofocus
              value={f.name}
              onChange={(e) => set('name', e.currentTarget.value)}
              error={errors.name}
            />
          </SimpleGrid>
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t('catalog.licenseType')}
            </Text>
            <SegmentedControl
              fullWidth
              aria-label={t('catalog.licenseType')}
              value={f.licenseType}
              onChange={(v) => set('licenseType', v as LicenseType)}
              data={TYPES.map((v) => ({ value: v, label: t(`catalog.types.${v}`) }))}
            />
          </div>
          <Fieldset legend={t('catalog.time')}>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <NumberInput
                label={t('catalog.durationDays')}
                description={t('catalog.durationHelp')}
                min={1}
                max={36_500}
                allowDecimal={false}
                value={f.durationDays ?? ''}
                onChange={(v) => set('durationDays', intOrNull(v))}
                error={errors.durationDays}
              />
              <NumberInput
                label={t('catalog.graceDays')}
                description={t('catalog.graceHelp')}
                min={0}
                max={3_650}
                allowDecimal={false}
                value={f.graceDays}
                onChange={(v) => set('graceDays', intOrNull(v) ?? 0)}
                error={errors.graceDays}
              />
              <NumberInput
                label={t('catalog.maintenanceDays')}
                description={t('catalog.maintenanceHelp')}
                min={1}
                max={36_500}
                allowDecimal={false}
                value={f.maintenanceDays ?? ''}
                onChange={(v) => set('maintenanceDays', intOrNull(v))}
                error={errors.maintenanceDays}
              />
            </SimpleGrid>
            <Select
              mt="sm"
              label={t('catalog.expirationStrategy')}
              value={f.expirationStrategy}
              allowDeselect={false}
              onChange={(v) => v && set('expirationStrategy', v as ExpirationStrategy)}
              data={STRATEGIES.map((v) => ({ value: v, label: t(`catalog.strategies.${v}`) }))}
              description={t(`catalog.strategyHelp.${f.expirationStrategy}`)}
            />
          </Fieldset>
          <Fieldset legend={t('catalog.machines')}>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NumberInput
                label={t('catalog.maxMachines')}
                description={t('catalog.maxMachinesHelp')}
                min={1}
                max={1_000_000}
                allowDecimal={false}
                disabled={!f.floating}
                value={f.floating ? (f.maxMachines ?? '') : 1}
                onChange={(v) => set('maxMachines', intOrNull(v))}
                error={errors.maxMachines}
              />
              <NumberInput
                label={t('catalog.heartbeat')}
                description={t('catalog.heartbeatHelp')}
                min={60}
                max={31_536_000}
                allowDecimal={false}
                value={f.heartbeatIntervalSeconds ?? ''}
                onChange={(v) => set('heartbeatIntervalSeconds', intOrNull(v))}
                error={errors.heartbeatIntervalSeconds}
              />
            </SimpleGrid>
            <Group mt="md" gap="xl">
              <Switch
                label={t('catalog.floating')}
                description={t('catalog.floatingHelp')}
                checked={f.floating}
                onChange={(e) => {
                  const floating = e.currentTarget.checked;
                  setF((prev) => ({ ...prev, floating, maxMachines: floating ? prev.maxMachines : 1 }));
                }}
              />
            </Group>
          </Fieldset>
          <Fieldset legend={t('catalog.scopes')}>
            <Group gap="xl">
              <Switch
                label={t('catalog.requireFingerprint')}
                checked={f.requireFingerprint}
                onChange={(e) => set('requireFingerprint', e.currentTarget.checked)}
              />
              <Switch
                label={t('catalog.requireDomain')}
                checked={f.requireDomain}
                onChange={(e) => set('requireDomain', e.currentTarget.checked)}
              />
            </Group>
          </Fieldset>
          <Fieldset legend={t('catalog.offline')}>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NumberInput
                label={t('catalog.maxOfflineHours')}
                description={t('catalog.maxOfflineHelp')}
                min={1}
                max={87_600}
                allowDecimal={false}
                value={f.maxOfflineSeconds / HOUR_SECONDS}
                onChange={(v) => set('maxOfflineSeconds', (intOrNull(v) ?? 0) * HOUR_SECONDS)}
                error={errors.maxOfflineSeconds}
              />
              <NumberInput
                label={t('catalog.maxUnboundFiles')}
                description={t('catalog.maxUnboundFilesHelp')}
                min={0}
                max={1_000_000}
                allowDecimal={false}
                value={f.maxUnboundFiles ?? ''}
                onChange={(v) => set('maxUnboundFiles', intOrNull(v))}
                error={errors.maxUnboundFiles}
              />
            </SimpleGrid>
            <Switch
              mt="md"
              label={t('catalog.requireNonce')}
              description={t('catalog.requireNonceHelp')}
              checked={f.requireNonce}
              onChange={(e) => set('requireNonce', e.currentTarget.checked)}
            />
          </Fieldset>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TagsInput
              label={t('catalog.entitlements')}
              description={t('catalog.entitlementsHelp')}
              value={f.entitlements}
              onChange={(v) => set('entitlements', [...new Set(v.map((x) => x.trim()).filter(Boolean))])}
              error={
                badEntitlements.length > 0 ? t('catalog.entitlementInvalid', { code: badEntitlements[0] }) : undefined
              }
              clearable
            />
            <Select
              label={t('catalog.keyScheme')}
              value={f.keyScheme}
              allowDeselect={false}
              onChange={(v) => v && set('keyScheme', v as KeyScheme)}
              data={SCHEMES.map((v) => ({ value: v, label: t(`catalog.schemes.${v}`) }))}
              description={t(`catalog.schemeHelp.${f.keyScheme}`)}
            />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {tCommon('cancel')}
            </Button>
            <Button
              type="submit"
              loading={save.isPending}
              disabled={!productId || !f.name.trim() || badEntitlements.length > 0}
            >
              {tCommon('save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
