import { Alert, Input, Modal, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors.ts';
import { FormActions } from '../../components/FormActions.tsx';
import { errorMessage } from '../../components/notify.tsx';
import type { CustomerFlag, ToggleScope } from './entitlements-types.ts';
import { useToggleActions } from './use-entitlement-actions.ts';

export interface ToggleRequest {
  flag: CustomerFlag;
  enabled: boolean;
  scope: ToggleScope;
}

/** Turn a flag on or off for this license or its whole account, with a reason (shown in the dashboard and explain). */
export function ToggleModal({
  request,
  targets,
  onClose,
}: {
  request: ToggleRequest | null;
  /** The license (absent on the account page) and the account the toggle can be set for. */
  targets: { license?: { id: string }; account: { id: string; name: string } };
  onClose(): void;
}) {
  const { t } = useTranslation('entitlements');
  const actions = useToggleActions();
  const [scope, setScope] = useState<ToggleScope>('license');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ reason?: string; general?: string }>({});

  useEffect(() => {
    if (!request) return;
    setScope(request.scope);
    const current = request.scope === 'license' ? request.flag.licenseToggle : request.flag.accountToggle;
    setReason(current?.reason ?? '');
    setErrors({});
  }, [request]);

  if (!request) return <Modal opened={false} onClose={onClose} />;
  const { flag, enabled } = request;
  const targetId = scope === 'license' && targets.license ? targets.license.id : targets.account.id;

  const submit = async () => {
    if (!reason.trim()) {
      setErrors({ reason: t('toggle.reasonRequired') });
      return;
    }
    try {
      await actions.set(flag, scope, targetId, enabled, reason.trim());
      onClose();
    } catch (err) {
      const field = isApiError(err) ? err.fieldErrors().reason : undefined;
      setErrors(field ? { reason: field } : { general: errorMessage(err) });
    }
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={t(enabled ? 'toggle.titleOn' : 'toggle.titleOff', { key: flag.key })}
      centered
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        noValidate
        data-testid="toggle-form"
      >
        <Stack gap="md">
          {flag.description && (
            <Text size="sm" c="dimmed">
              {flag.description}
            </Text>
          )}
          {!flag.enabled && (
            <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />}>
              {t('toggle.killSwitchWarning')}
            </Alert>
          )}
          {targets.license && (
            <Input.Wrapper label={t('toggle.scope')}>
              <SegmentedControl
                mt={4}
                fullWidth
                value={scope}
                onChange={(v) => setScope(v as ToggleScope)}
                data={[
                  { value: 'license', label: t('target.thisLicense') },
                  { value: 'account', label: t('target.wholeAccount', { name: targets.account.name }) },
                ]}
                aria-label={t('toggle.scope')}
                data-testid="toggle-scope"
              />
            </Input.Wrapper>
          )}
          <Text size="sm">
            {t(enabled ? 'toggle.explainOn' : 'toggle.explainOff', {
              target:
                scope === 'license'
                  ? t('target.inlineLicense')
                  : t('target.inlineWholeAccount', { name: targets.account.name }),
            })}
          </Text>
          <Textarea
            label={t('toggle.reason')}
            placeholder={t('toggle.reasonPlaceholder')}
            withAsterisk
            autosize
            minRows={2}
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={errors.reason}
            data-autofocus
            data-testid="toggle-reason"
          />
          <FormActions
            error={errors.general}
            onCancel={onClose}
            submitLabel={t(enabled ? 'toggle.turnOn' : 'toggle.turnOff')}
            busy={actions.busy !== null}
            color={enabled ? 'teal' : 'gray'}
            submitTestId="toggle-save"
          />
        </Stack>
      </form>
    </Modal>
  );
}
